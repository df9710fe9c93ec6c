"""The fit file: the packaged one, a deployment's own, and bad files refused by key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from factorlink.config import Settings, get_settings, settings_scope
from factorlink.matching.fit.assess import CRITERIA, Rule, assess
from factorlink.matching.fit.config import (
    DEFAULT_FIT_FILE,
    FitConfigError,
    fit_config_of,
    get_fit_config,
    load_fit_config,
    parse_fit_config,
)
from factorlink.matching.fit.profile import Profile, Span
from factorlink.reference.loader import DATA_DIR, load_industries, load_region

REGION = load_region(DATA_DIR / "g60.yaml")
INDUSTRIES = load_industries(DATA_DIR / "industries.yaml")

DIRECTIONS = {
    ("capital", "achievement"),
    ("capital", "organization"),
    ("expert", "demand"),
    ("demand", "achievement"),
    ("demand", "expert"),
    ("achievement", "demand"),
    ("achievement", "organization"),
    ("achievement", "capital"),
    ("organization", "capital"),
    ("organization", "carrier"),
    ("lead", "achievement"),
    ("lead", "expert"),
    ("lead", "capital"),
    ("lead", "carrier"),
    ("carrier", "organization"),
    ("carrier", "lead"),
}


def packaged() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULT_FIT_FILE.read_text(encoding="utf-8"))
    return data


def parse(data: Any) -> Any:
    return parse_fit_config(data, REGION, INDUSTRIES, source="fit.yaml")


def test_the_packaged_file_covers_every_direction() -> None:
    cfg = load_fit_config(DEFAULT_FIT_FILE, REGION, INDUSTRIES)
    assert set(cfg.directions) == DIRECTIONS
    for rules in cfg.directions.values():
        assert rules and set(rules) <= set(CRITERIA)
        # A criterion that does not score must at least filter.
        assert all(rule.weight > 0 or rule.hard for rule in rules.values())
    assert cfg.rules("achievement", "organization")["org_kind"] == Rule(0.0, hard=True)
    assert cfg.rules("lead", "capital")["cities"] == Rule(1.0, hard=True)
    assert cfg.rules("achievement", "capital")["cities"] == Rule(1.0, hard=False)
    assert cfg.rules("demand", "achievement")["budget"] == Rule(2.0, hard=False)
    assert [b.within_km for b in cfg.bands] == sorted(b.within_km for b in cfg.bands)
    assert cfg.trl_stages[6] == ("A轮",)


def test_the_packaged_rules_filter_capital_outside_its_cities() -> None:
    cfg = load_fit_config(DEFAULT_FIT_FILE, REGION, INDUSTRIES)
    fund = Profile("capital", industries=("ic",), cities=("hefei",), stages=("A轮",))
    wants = Profile("lead", industries=("ic",), cities=("songjiang",), stages=("A轮",))
    fit = assess(wants, fund, cfg)
    assert not fit.passed
    assert [c.key for c in fit.criteria if c.met is False] == ["cities"]


def test_weights_come_from_the_file(tmp_path: Path) -> None:
    source = Profile("demand", industries=("materials",), budget=Span(50, 80))
    target = Profile("achievement", industries=("ai",), price=Span(60, 60))
    data = packaged()
    rules = data["directions"]["demand"]["achievement"]
    rules["industry"]["weight"] = 1
    rules["budget"]["weight"] = 3
    path = tmp_path / "fit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    mine = load_fit_config(path, REGION, INDUSTRIES)
    default = load_fit_config(DEFAULT_FIT_FILE, REGION, INDUSTRIES)
    # industry missed (0), budget met (1): weighted 3:2 by default, 1:3 in the file.
    assert assess(source, target, default).score == pytest.approx(2 / 5)
    assert assess(source, target, mine).score == pytest.approx(3 / 4)


def test_hard_flags_come_from_the_file(tmp_path: Path) -> None:
    data = packaged()
    data["directions"]["demand"]["achievement"]["industry"]["hard"] = True
    path = tmp_path / "fit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    source = Profile("demand", industries=("materials",))
    target = Profile("achievement", industries=("ai",))
    assert assess(source, target, load_fit_config(DEFAULT_FIT_FILE, REGION, INDUSTRIES)).passed
    assert not assess(source, target, load_fit_config(path, REGION, INDUSTRIES)).passed


@pytest.fixture
def fit_file_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Points FACTORLINK_MATCHING_FIT_FILE at a copy of the packaged file with one change."""
    data = packaged()
    data["directions"]["demand"]["expert"] = {"industry": {"weight": 5, "hard": True}}
    path = tmp_path / "deployment-fit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("FACTORLINK_MATCHING_FIT_FILE", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


def test_a_deployment_points_the_settings_at_its_own_file(fit_file_env: Path) -> None:
    assert get_settings().matching_fit_file == fit_file_env
    assert get_fit_config().rules("demand", "expert") == {"industry": Rule(5.0, hard=True)}


def test_the_packaged_file_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACTORLINK_MATCHING_FIT_FILE", raising=False)
    get_settings.cache_clear()
    try:
        assert get_fit_config().rules("demand", "expert") == {
            "industry": Rule(3.0),
            "subfield": Rule(2.0),
            "distance": Rule(1.0),
        }
    finally:
        get_settings.cache_clear()


def test_the_rules_are_those_of_the_settings_given_or_current(tmp_path: Path) -> None:
    data = packaged()
    data["directions"]["demand"]["expert"] = {"industry": {"weight": 7, "hard": True}}
    path = tmp_path / "app-fit.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    mine = Settings(matching_fit_file=path)
    assert get_fit_config(mine).rules("demand", "expert") == {"industry": Rule(7.0, hard=True)}
    assert fit_config_of(mine) is get_fit_config(mine)  # read once per set of files
    with settings_scope(mine):
        assert get_fit_config() is fit_config_of(mine)
    assert get_fit_config() is not fit_config_of(mine)


def _broken(change: Any) -> FitConfigError:
    data = packaged()
    change(data)
    with pytest.raises(FitConfigError) as caught:
        parse(data)
    return caught.value


def _rules(data: dict[str, Any]) -> dict[str, Any]:
    rules: dict[str, Any] = data["directions"]["demand"]["achievement"]
    return rules


@pytest.mark.parametrize(
    ("change", "key", "message", "message_en"),
    [
        (
            lambda d: _rules(d).update(colour={"weight": 1}),
            "directions.demand.achievement.colour",
            "未知的键",
            "unknown key; expected one of industry, subfield",
        ),
        (
            lambda d: _rules(d)["budget"].update(weight=-1),
            "directions.demand.achievement.budget.weight",
            "应不小于 0",
            "expected a number ≥ 0",
        ),
        (
            lambda d: _rules(d)["budget"].update(weight="高"),
            "directions.demand.achievement.budget.weight",
            "应为数字",
            "expected a number",
        ),
        (
            lambda d: _rules(d)["budget"].update(hard="yes"),
            "directions.demand.achievement.budget.hard",
            "应为 true 或 false",
            "expected true or false",
        ),
        (
            lambda d: _rules(d)["budget"].update(hrad=True),
            "directions.demand.achievement.budget.hrad",
            "未知的键",
            "expected one of weight, hard",
        ),
        (
            lambda d: d["directions"]["demand"].update(auction={"industry": {"weight": 1}}),
            "directions.demand.auction",
            "未知的键",
            "expected one of achievement, demand",
        ),
        (
            lambda d: d["directions"].update(patent={}),
            "directions.patent",
            "未知的键",
            "unknown key",
        ),
        (
            lambda d: d["directions"]["demand"].update(expert={}),
            "directions.demand.expert",
            "至少需要一项标准",
            "needs at least one criterion",
        ),
        (
            lambda d: d["distance"]["bands"][2].update(within_km=10),
            "distance.bands[2].within_km",
            "应逐项递增",
            "must increase",
        ),
        (
            lambda d: d["distance"]["bands"][0].update(score=1.5),
            "distance.bands[0].score",
            "应在 0–1 之间",
            "expected a number 0–1",
        ),
        (
            lambda d: d["distance"].update(bands=[]),
            "distance.bands",
            "应为非空列表",
            "expected a non-empty list",
        ),
        (
            lambda d: d["area"].update(below=2),
            "area.below",
            "应在 0–1 之间",
            "expected a number 0–1",
        ),
        (
            lambda d: d["trl_stages"].update({10: ["A轮"]}),
            "trl_stages.10",
            "成熟度应为 1–9 的整数",
            "readiness level must be an integer 1–9",
        ),
        (
            lambda d: d["trl_stages"].update({6: ["E轮"]}),
            "trl_stages.6",
            "应为投资阶段列表",
            "expected a list of 种子期",
        ),
        (lambda d: d.pop("area"), "area", "缺少此项", "missing"),
        (lambda d: d.update(directions=[]), "directions", "应为键值映射", "expected a mapping"),
    ],
)
def test_a_bad_file_is_refused_naming_the_key(
    change: Any, key: str, message: str, message_en: str
) -> None:
    error = _broken(change)
    assert error.key == key
    assert error.message.startswith(f"fit.yaml:{key}:") and message in error.message
    assert error.message_en.startswith(f"fit.yaml: {key}: ") and message_en in error.message_en
    assert key in str(error)


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fit.yaml"
    path.write_text("directions: [unclosed\n", encoding="utf-8")
    with pytest.raises(FitConfigError, match="not valid YAML") as caught:
        load_fit_config(path, REGION, INDUSTRIES)
    assert caught.value.source == str(path) and "不是有效的 YAML" in caught.value.message


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FitConfigError, match="cannot read") as caught:
        load_fit_config(tmp_path / "absent.yaml", REGION, INDUSTRIES)
    assert "无法读取文件" in caught.value.message


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(FitConfigError, match="expected a mapping"):
        parse(["industry"])


def test_the_packaged_rules_offer_technology_to_enterprises_only() -> None:
    cfg = load_fit_config(DEFAULT_FIT_FILE, REGION, INDUSTRIES)
    offer = Profile("achievement", industries=("materials",), city="hefei")
    firm = Profile("organization", industries=("materials",), city="hefei", org_kind="enterprise")
    campus = Profile("organization", industries=("materials",), city="hefei", org_kind="university")
    assert assess(offer, firm, cfg).passed and not assess(offer, campus, cfg).passed
    # The filter weighs nothing: both score alike on industry and distance.
    assert assess(offer, firm, cfg).score == assess(offer, campus, cfg).score == 1.0
