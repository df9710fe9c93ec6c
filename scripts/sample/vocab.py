"""Reads the generator's vocabulary files and the corridor's reference data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from factorlink.reference import IndustryCatalog, Region, load_industries, load_region
from factorlink.reference.loader import DATA_DIR

VOCAB = Path(__file__).with_name("vocab")
# The order topics are read in, and so the order of the generated records.
INDUSTRY_FILES = ("ai", "ic", "biomed", "equipment", "new_energy", "materials", "nev", "green")


@cache
def region() -> Region:
    """The G60 corridor, read from the package's data file (not from the environment)."""
    return load_region(DATA_DIR / "g60.yaml")


@cache
def industries() -> IndustryCatalog:
    """The industry catalogue, read from the package's data file."""
    return load_industries(DATA_DIR / "industries.yaml")


def industry_of(subfield: str) -> str:
    """The industry code of a sub-field; fails loudly on a sub-field the catalogue lacks."""
    match = industries().resolve(subfield)
    if match is None or match.subfield != subfield:
        raise ValueError(f"unknown sub-field {subfield!r}")
    return match.industry.code


def industry_cell(subfield: str) -> str:
    """How an operator writes industry and sub-field ("新材料/石墨烯")."""
    name = industries().get(industry_of(subfield)).name
    return f"{name.split('/')[0]}/{subfield}"


def read(name: str) -> Any:
    """One vocabulary file."""
    with (VOCAB / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class DemandSide:
    """What enterprises ask for on a topic, in their own words."""

    subs: tuple[str, ...]
    businesses: tuple[str, ...]
    titles: tuple[str, ...]
    problems: tuple[str, ...]
    targets: tuple[str, ...]
    keywords: tuple[str, ...]
    budget: tuple[int, int] | None
    coop: tuple[str, ...] | None
    org: str | None

    @property
    def sub(self) -> str:
        """The sub-field of the topic's first demand."""
        return self.subs[0]

    @property
    def business(self) -> str:
        """The business of the topic's first demand."""
        return self.businesses[0]

    @property
    def industry(self) -> str:
        return industry_of(self.subs[0])

    def industry_for(self, variant: int) -> str:
        """The industry of one demand."""
        return industry_of(self.subs[variant])


@dataclass(frozen=True)
class Topic:
    """A technical theme: what labs offer (achievements) and what enterprises need (demands)."""

    key: str
    kind: str
    trl: tuple[int, int] | None
    price: tuple[int, int] | None
    titles: tuple[str, ...]
    subs: tuple[str, ...]
    methods: tuple[str, ...]
    pain: tuple[tuple[str, str], ...]
    metrics: tuple[tuple[str, str], ...]
    uses: tuple[tuple[str, str], ...]
    keywords: tuple[str, ...]
    variant_keywords: tuple[tuple[str, ...], ...]
    demand: DemandSide

    @property
    def industry(self) -> str:
        return industry_of(self.subs[0])

    def metrics_for(self, variant: int) -> tuple[str, ...]:
        """The indicators that describe one variant (untagged ones describe them all)."""
        return tuple(m for m, tag in self.metrics if not tag or str(variant) in tag)

    def pain_for(self, variant: int) -> str:
        """The problem one variant answers, as a clause."""
        return "，".join(p for p, tag in self.pain if not tag or str(variant) in tag)

    def uses_for(self, variant: int) -> tuple[str, ...]:
        """The application scenarios of one variant."""
        return tuple(u for u, tag in self.uses if not tag or str(variant) in tag)


def _tagged(metric: str) -> tuple[str, str]:
    # "面内导热系数≥{1200-1800}W/(m·K) @02" describes variants 0 and 2 only (metrics, uses, pains).
    text, _, tag = metric.partition(" @")
    return text, tag


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _pair(value: list[int] | None) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value else None


def _demand(raw: dict[str, Any]) -> DemandSide:
    count = len(raw["titles"])
    side = DemandSide(
        subs=tuple(raw.get("subs") or [raw["sub"]] * count),
        businesses=tuple(raw.get("businesses") or [raw["business"]] * count),
        titles=tuple(raw["titles"]),
        problems=tuple(raw["problems"]),
        targets=tuple(raw["targets"]),
        keywords=tuple(raw["keywords"]),
        budget=_pair(raw.get("budget")),
        coop=tuple(raw["coop"]) if raw.get("coop") else None,
        org=raw.get("org"),
    )
    if not len(side.titles) == len(side.problems) == len(side.subs) == len(side.businesses):
        raise ValueError(f"demand titles, problems, subs and businesses differ: {side.titles}")
    for sub in side.subs:
        industry_of(sub)
    return side


def _topic(key: str, raw: dict[str, Any]) -> Topic:
    titles = tuple(raw["titles"])
    subs = tuple(raw.get("subs") or [raw["sub"]] * len(titles))
    topic = Topic(
        key=key,
        kind=raw.get("kind", "hard"),
        trl=_pair(raw.get("trl")),
        price=_pair(raw.get("price")),
        titles=titles,
        subs=subs,
        methods=tuple(raw["methods"]),
        pain=tuple(_tagged(p) for p in _listed(raw["pain"])),
        metrics=tuple(_tagged(m) for m in raw["metrics"]),
        uses=tuple(_tagged(u) for u in raw["uses"]),
        keywords=tuple(raw["keywords"]),
        variant_keywords=tuple(tuple(k.split("、")) for k in raw["kw"]),
        demand=_demand(raw["demand"]),
    )
    if not len(titles) == len(subs) == len(topic.methods) == len(topic.variant_keywords):
        raise ValueError(f"titles, subs, methods and kw differ in number: {titles}")
    for sub in subs:
        industry_of(sub)
    for variant in range(len(titles)):
        if len(topic.metrics_for(variant)) < 2 or len(topic.uses_for(variant)) < 2:
            raise ValueError(f"fewer than two indicators or uses for {titles[variant]}")
        if not topic.pain_for(variant):
            raise ValueError(f"no problem statement for {titles[variant]}")
    return topic


@cache
def topics() -> tuple[Topic, ...]:
    """Every topic, industry by industry."""
    out: list[Topic] = []
    for name in INDUSTRY_FILES:
        for index, raw in enumerate(read(f"topics/{name}.yaml"), start=1):
            out.append(_topic(f"{name}-{index:02d}", raw))
    return tuple(out)
