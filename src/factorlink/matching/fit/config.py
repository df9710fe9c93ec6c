"""The structured-fit configuration file: loading it and refusing it, by key, when it is wrong."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from factorlink.config import Settings, current_settings
from factorlink.matching.fit.assess import CRITERIA, Band, FitConfig, Rule
from factorlink.matching.fit.needs import Feature
from factorlink.reference import (
    IndustryCatalog,
    Region,
    get_industries,
    get_region,
    load_industries,
    load_region,
)
from factorlink.reference.loader import industry_file, region_file
from factorlink.validation.vocab import CARRIER_KINDS, STAGES

DEFAULT_FIT_FILE = Path(__file__).with_name("data") / "fit.yaml"
KINDS = ("achievement", "demand", "capital", "carrier", "expert", "organization", "lead")
_TOP = ("distance", "area", "trl_stages", "directions")
_OPTIONAL = ("industries", "carrier_kinds", "stages", "features", "coverage")
# Keys of a direction that are not criteria.
_DIRECTION_KEYS = ("text_share",)


class FitConfigError(ValueError):
    """A fit file that cannot be used; names the file and the key at fault."""

    def __init__(self, source: str, key: str, message: str, message_en: str) -> None:
        self.source, self.key = source, key
        self.message = f"{source}:{key}:{message}"
        self.message_en = f"{source}: {key}: {message_en}"
        super().__init__(f"{self.message_en} ({self.message})")


class _Reader:
    """Checks the values of one file, raising FitConfigError with the key at fault."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, message: str, message_en: str) -> FitConfigError:
        return FitConfigError(self.source, key, message, message_en)

    def mapping(self, value: Any, key: str) -> Mapping[Any, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(key, "应为键值映射", "expected a mapping")
        return value

    def known(self, value: Mapping[Any, Any], key: str, allowed: tuple[str, ...]) -> None:
        for name in value:
            if name not in allowed:
                listed = ", ".join(allowed)
                raise self.fail(
                    f"{key}.{name}" if key else str(name),
                    f"未知的键,可选:{listed}",
                    f"unknown key; expected one of {listed}",
                )

    def number(self, value: Any, key: str, low: float, high: float = math.inf) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "应为数字", "expected a number")
        if not math.isfinite(value) or not low <= value <= high:
            if math.isfinite(high):
                zh, en = f"应在 {low:g}–{high:g} 之间", f"expected a number {low:g}–{high:g}"
            else:
                zh, en = f"应不小于 {low:g}", f"expected a number ≥ {low:g}"
            raise self.fail(key, zh, en)
        return float(value)

    def flag(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, "应为 true 或 false", "expected true or false")
        return value


def parse_fit_config(
    data: Any, region: Region, industries: IndustryCatalog, source: str = "fit.yaml"
) -> FitConfig:
    """Builds a FitConfig from a parsed file; raises FitConfigError naming the key at fault."""
    r = _Reader(source)
    top = r.mapping(data, "(top level)")
    r.known(top, "", (*_TOP, *_OPTIONAL))
    for key in _TOP:
        if key not in top:
            raise r.fail(key, "缺少此项", "missing")
    bands, beyond = _distance(r, r.mapping(top["distance"], "distance"))
    area = r.mapping(top["area"], "area")
    r.known(area, "area", ("below", "above", "whole_share"))
    directions, shares = _directions(r, r.mapping(top["directions"], "directions"))
    industries_cfg = r.mapping(top.get("industries", {}), "industries")
    r.known(industries_cfg, "industries", ("related", "related_score", "cues"))
    kinds_cfg = r.mapping(top.get("carrier_kinds", {}), "carrier_kinds")
    r.known(kinds_cfg, "carrier_kinds", ("near", "near_score"))
    stages_cfg = r.mapping(top.get("stages", {}), "stages")
    r.known(stages_cfg, "stages", ("near_score",))
    return FitConfig(
        directions=directions,
        text_shares=shares,
        related_industries=_related(r, industries_cfg.get("related", []), industries),
        related_score=r.number(
            industries_cfg.get("related_score", 0.5), "industries.related_score", 0.0, 1.0
        ),
        industry_cues=_cues(r, industries_cfg.get("cues", {}), industries),
        near_kinds=_near_kinds(r, kinds_cfg.get("near", {})),
        near_kind_score=r.number(
            kinds_cfg.get("near_score", 0.4), "carrier_kinds.near_score", 0.0, 1.0
        ),
        features=_features(r, top.get("features", {})),
        all_cities_score=_coverage(r, top.get("coverage", {})),
        near_stage_score=r.number(stages_cfg.get("near_score", 0.5), "stages.near_score", 0.0, 1.0),
        bands=bands,
        beyond_score=beyond,
        trl_stages=_trl_stages(r, r.mapping(top["trl_stages"], "trl_stages")),
        area_below=r.number(area.get("below"), "area.below", 0.0, 1.0),
        area_above=r.number(area.get("above"), "area.above", 1.0),
        whole_share=r.number(area.get("whole_share", 0.75), "area.whole_share", 0.0, 1.0),
        region=region,
        industries=industries,
    )


def _distance(r: _Reader, data: Mapping[Any, Any]) -> tuple[tuple[Band, ...], float]:
    r.known(data, "distance", ("bands", "beyond_score"))
    raw = data.get("bands")
    if not isinstance(raw, list) or not raw:
        raise r.fail("distance.bands", "应为非空列表", "expected a non-empty list")
    bands: list[Band] = []
    for i, item in enumerate(raw):
        key = f"distance.bands[{i}]"
        band = r.mapping(item, key)
        r.known(band, key, ("within_km", "score", "label", "label_en"))
        within = r.number(band.get("within_km"), f"{key}.within_km", 0.0)
        if bands and within <= bands[-1].within_km:
            raise r.fail(f"{key}.within_km", "应逐项递增", "must increase from band to band")
        label, label_en = str(band.get("label", "")), str(band.get("label_en", ""))
        score = r.number(band.get("score"), f"{key}.score", 0.0, 1.0)
        bands.append(Band(within, score, label, label_en))
    beyond = r.number(data.get("beyond_score"), "distance.beyond_score", 0.0, 1.0)
    return tuple(bands), beyond


def _trl_stages(r: _Reader, data: Mapping[Any, Any]) -> dict[int, tuple[str, ...]]:
    table: dict[int, tuple[str, ...]] = {}
    for level, stages in data.items():
        key = f"trl_stages.{level}"
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 9:
            raise r.fail(key, "成熟度应为 1–9 的整数", "readiness level must be an integer 1–9")
        if not isinstance(stages, list) or not all(s in STAGES for s in stages):
            listed = "、".join(STAGES)
            raise r.fail(key, f"应为投资阶段列表,可选:{listed}", f"expected a list of {listed}")
        table[level] = tuple(stages)
    return table


def _directions(
    r: _Reader, data: Mapping[Any, Any]
) -> tuple[dict[tuple[str, str], dict[str, Rule]], dict[tuple[str, str], float]]:
    r.known(data, "directions", KINDS)
    directions: dict[tuple[str, str], dict[str, Rule]] = {}
    shares: dict[tuple[str, str], float] = {}
    for source, targets in data.items():
        targets = r.mapping(targets, f"directions.{source}")
        r.known(targets, f"directions.{source}", KINDS)
        for target, rules in targets.items():
            key = f"directions.{source}.{target}"
            rules = dict(r.mapping(rules, key))
            if "text_share" in rules:
                value = rules.pop("text_share")
                shares[(source, target)] = r.number(value, f"{key}.text_share", 0.0, 1.0)
            directions[(source, target)] = _rules(r, rules, key)
    return directions, shares


def _codes(r: _Reader, value: Any, key: str, industries: IndustryCatalog) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise r.fail(key, "应为行业代码列表", "expected a list of industry codes")
    for code in value:
        if not industries.has(code):
            raise r.fail(key, f"未知的行业代码 {code}", f"unknown industry code {code!r}")
    return value


def _related(r: _Reader, value: Any, industries: IndustryCatalog) -> frozenset[frozenset[str]]:
    if not isinstance(value, list):
        raise r.fail("industries.related", "应为行业代码对的列表", "expected a list of pairs")
    pairs = []
    for i, pair in enumerate(value):
        key = f"industries.related[{i}]"
        codes = _codes(r, pair, key, industries)
        if len(codes) != 2 or codes[0] == codes[1]:
            raise r.fail(key, "应为两个不同的行业代码", "expected two different industry codes")
        pairs.append(frozenset(codes))
    return frozenset(pairs)


def _cues(r: _Reader, value: Any, industries: IndustryCatalog) -> dict[str, tuple[str, ...]]:
    table = r.mapping(value, "industries.cues")
    cues: dict[str, tuple[str, ...]] = {}
    for code, words in table.items():
        key = f"industries.cues.{code}"
        _codes(r, [code], key, industries)
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise r.fail(key, "应为词语列表", "expected a list of words")
        cues[code] = tuple(words)
    return cues


def _coverage(r: _Reader, value: Any) -> float:
    table = r.mapping(value, "coverage")
    r.known(table, "coverage", ("all_cities_score",))
    return r.number(table.get("all_cities_score", 1.0), "coverage.all_cities_score", 0.0, 1.0)


def _words(r: _Reader, value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise r.fail(key, "应为词语列表", "expected a list of words")
    return tuple(value)


def _features(r: _Reader, value: Any) -> tuple[Feature, ...]:
    table = r.mapping(value, "features")
    found = []
    for name, raw in table.items():
        key = f"features.{name}"
        item = r.mapping(raw, key)
        r.known(item, key, ("label", "label_en", "asked", "offered", "refused"))
        label, label_en = item.get("label"), item.get("label_en")
        if not isinstance(label, str) or not isinstance(label_en, str):
            raise r.fail(key, "需要 label 与 label_en", "needs label and label_en")
        found.append(
            Feature(
                key=str(name),
                label=label,
                label_en=label_en,
                asked=_words(r, item.get("asked"), f"{key}.asked"),
                offered=_words(r, item.get("offered"), f"{key}.offered"),
                refused=_words(r, item.get("refused", []), f"{key}.refused"),
            )
        )
    return tuple(found)


def _near_kinds(r: _Reader, value: Any) -> dict[str, tuple[str, ...]]:
    table = r.mapping(value, "carrier_kinds.near")
    kinds = tuple(CARRIER_KINDS)
    r.known(table, "carrier_kinds.near", kinds)
    near: dict[str, tuple[str, ...]] = {}
    for kind, others in table.items():
        key = f"carrier_kinds.near.{kind}"
        if not isinstance(others, list) or not all(o in kinds for o in others):
            raise r.fail(key, f"应为载体类型列表:{', '.join(kinds)}", f"expected kinds of {kinds}")
        near[kind] = tuple(others)
    return near


def _rules(r: _Reader, data: Mapping[Any, Any], key: str) -> dict[str, Rule]:
    r.known(data, key, CRITERIA)
    rules: dict[str, Rule] = {}
    for name, raw in data.items():
        rule = r.mapping(raw, f"{key}.{name}")
        r.known(rule, f"{key}.{name}", ("weight", "hard"))
        weight = r.number(rule.get("weight"), f"{key}.{name}.weight", 0.0)
        rules[name] = Rule(weight, r.flag(rule.get("hard", False), f"{key}.{name}.hard"))
    if not rules:
        raise r.fail(key, "至少需要一项标准", "needs at least one criterion")
    return rules


def load_fit_config(
    path: Path, region: Region | None = None, industries: IndustryCatalog | None = None
) -> FitConfig:
    """Reads and checks a fit file (the configured region and industries unless given)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FitConfigError(str(path), "(file)", "无法读取文件", f"cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise FitConfigError(
            str(path), "(file)", "不是有效的 YAML", f"not valid YAML: {exc}"
        ) from exc
    return parse_fit_config(
        data, region or get_region(), industries or get_industries(), source=str(path)
    )


def fit_config_of(settings: Settings) -> FitConfig:
    """The fit rules of these settings (their fit file, else the packaged defaults), checked
    against their region and industries; read once per set of files."""
    return _cached(
        settings.matching_fit_file or DEFAULT_FIT_FILE,
        region_file(settings),
        industry_file(settings),
    )


def get_fit_config(settings: Settings | None = None) -> FitConfig:
    """The fit rules of these settings, else of the current ones: the app's while it serves a
    request, a database's in its units of work, else the process's (`config.current_settings`)."""
    return fit_config_of(settings or current_settings())


@lru_cache(maxsize=4)
def _cached(path: Path, regions: Path, industries: Path) -> FitConfig:
    # The reference files are part of the key: the config embeds the region and industries.
    return load_fit_config(path, load_region(regions), load_industries(industries))
