"""Structured fit: how well two factors' facts agree, criterion by criterion (pure).

Each criterion is judged only where both sides state what it needs; an unknown (a missing
figure, a price 面议) is neither a hit nor a miss. The configuration says, per direction, which
criteria count, how much each weighs, and which are hard: a missed hard criterion filters the
candidate out, a soft one only lowers its score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from factorlink.matching.fit import criteria, space
from factorlink.matching.fit.criteria import Judge, Outcome
from factorlink.matching.fit.needs import Feature
from factorlink.matching.fit.profile import Profile
from factorlink.matching.fit.words import LABELS
from factorlink.reference.industries import IndustryCatalog
from factorlink.reference.regions import Region

JUDGES: dict[str, Judge] = {**criteria.JUDGES, **space.JUDGES}
CRITERIA: tuple[str, ...] = tuple(JUDGES)


@dataclass(frozen=True)
class Criterion:
    """One structured criterion of a match, met or missed, and why in both languages."""

    key: str
    label: str
    label_en: str
    met: bool | None
    score: float
    weight: float
    hard: bool
    detail: str
    detail_en: str
    # False where a miss is a reason shown, never a filter (a threshold for whole buildings
    # missed by a partial lease, a neighbouring investment stage).
    binding: bool = True
    # False where one side does not state what the criterion needs: not worth showing.
    applies: bool = True

    @property
    def filters(self) -> bool:
        """Tells whether this criterion takes the candidate out."""
        return self.hard and self.binding and self.met is False


@dataclass(frozen=True)
class Fit:
    """The weighted fit of a target to a source; passed is False when a hard criterion missed."""

    score: float | None
    passed: bool
    criteria: tuple[Criterion, ...]

    @property
    def met(self) -> tuple[Criterion, ...]:
        """The criteria met, in the order of the configuration."""
        return tuple(c for c in self.criteria if c.met is True)

    @property
    def missed(self) -> tuple[Criterion, ...]:
        """The criteria missed, hard or soft."""
        return tuple(c for c in self.criteria if c.met is False)


@dataclass(frozen=True)
class Rule:
    """How one criterion counts in one direction."""

    weight: float
    hard: bool = False


@dataclass(frozen=True)
class Band:
    """Cities at most within_km apart score this much."""

    within_km: float
    score: float
    # How people say it: 很近, 较近, 较远 (none: the figure alone).
    label: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class FitConfig:
    """The rules of every direction, the distance bands, and the reference data to explain."""

    directions: Mapping[tuple[str, str], Mapping[str, Rule]]
    bands: tuple[Band, ...]
    beyond_score: float
    # Which investment stages fund an achievement of a given readiness (TRL 1–9).
    trl_stages: Mapping[int, tuple[str, ...]]
    area_below: float
    area_above: float
    region: Region
    industries: IndustryCatalog
    # A tenant taking this share of a building or more takes it whole: thresholds hold.
    whole_share: float = 0.75
    # Share of text relevance in a match's score, per direction (the rest is the fit).
    text_shares: Mapping[tuple[str, str], float] = field(default_factory=dict)
    default_text_share: float = 0.7
    # Industries close enough to count partly (汽车零部件 and 高端装备), and how much.
    related_industries: frozenset[frozenset[str]] = frozenset()
    related_score: float = 0.5
    # Words that point to an industry in a lead's own words (钣金 → 高端装备).
    industry_cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Kinds of space that can stand in for one another (a factory for land), and how much.
    near_kinds: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    near_kind_score: float = 0.4
    # What covering a city scores when a product covers every city of the corridor (a product
    # for one city scores 1; in between, in proportion).
    all_cities_score: float = 1.0
    # Facilities a lead may ask for and how carriers' words offer them.
    features: tuple[Feature, ...] = ()
    # A stage next to one the capital invests in counts this much, and never filters.
    near_stage_score: float = 0.5

    def text_share(self, source_kind: str, target_kind: str) -> float:
        """The share of text relevance in the score of a direction."""
        return self.text_shares.get((source_kind, target_kind), self.default_text_share)

    def related(self, a: str, b: str) -> bool:
        """Tells whether two industries are listed as related."""
        return frozenset((a, b)) in self.related_industries

    def supports(self, source_kind: str, target_kind: str) -> bool:
        """Tells whether a direction has rules."""
        return (source_kind, target_kind) in self.directions

    def rules(self, source_kind: str, target_kind: str) -> Mapping[str, Rule]:
        """The rules of a direction; raises ValueError for a direction that has none."""
        try:
            return self.directions[(source_kind, target_kind)]
        except KeyError:
            raise ValueError(f"no fit rules for {source_kind} -> {target_kind}") from None


def assess(source: Profile, target: Profile, config: FitConfig) -> Fit:
    """Judges every criterion of the direction and combines them into one fit."""
    criteria = tuple(
        _criterion(key, rule, source, target, config)
        for key, rule in config.rules(source.kind, target.kind).items()
    )
    counted = [c for c in criteria if c.met is not None and c.weight > 0]
    total = sum(c.weight for c in counted)
    score = sum(c.score * c.weight for c in counted) / total if total else None
    passed = not any(c.filters for c in criteria)
    return Fit(score=score, passed=passed, criteria=criteria)


def _criterion(key: str, rule: Rule, source: Profile, target: Profile, cfg: FitConfig) -> Criterion:
    label, label_en = LABELS[key]
    outcome = JUDGES[key](source, target, cfg) or Outcome.unknown(label, label_en)
    return Criterion(
        key=key,
        label=label,
        label_en=label_en,
        met=outcome.met,
        score=outcome.score,
        weight=rule.weight,
        hard=rule.hard,
        detail=outcome.detail,
        detail_en=outcome.detail_en,
        binding=outcome.binding,
        applies=outcome.applies,
    )
