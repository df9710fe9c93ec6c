"""Learning the blend from judged scenarios: text share and criterion weights per direction.

The expensive part of matching — text retrieval and judging every criterion — is done once per
lead (`scenarios.collect`); a blend only re-weighs what was found, so hundreds of blends are
tried in a second. Coordinate ascent moves one knob at a time (the text share, then each
criterion's weight) to the value on its grid that scores best on the training leads, from the
configured values, until nothing improves. Leave-one-out says how well the learning
generalises: each lead is scored by a blend learned without it. Hard criteria are rules, not
learned: they stay as the fit file has them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from factorlink.matching.evaluation.metrics import ndcg
from factorlink.matching.evaluation.scenarios import NDCG_AT, ScenarioLead
from factorlink.matching.fit.assess import FitConfig
from factorlink.matching.service import Candidate

SHARES = tuple(round(0.05 * i, 2) for i in range(4, 20))
WEIGHTS = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0)
PASSES = 3


@dataclass(frozen=True)
class Blend:
    """One direction's blend: the share of text relevance and each criterion's weight."""

    share: float
    weights: Mapping[str, float]


def blends_of(config: FitConfig) -> dict[tuple[str, str], Blend]:
    """The configured blend of every direction."""
    return {
        direction: Blend(
            config.text_share(*direction), {key: rule.weight for key, rule in rules.items()}
        )
        for direction, rules in config.directions.items()
    }


def score(candidate: Candidate, blend: Blend) -> float | None:
    """A candidate's score under a blend (None: a hard criterion filters it out)."""
    fit = candidate.fit
    if fit is not None and not fit.passed:
        return None
    total = weighted = 0.0
    for criterion in fit.criteria if fit is not None else ():
        weight = blend.weights.get(criterion.key, 0.0)
        if criterion.met is None or weight <= 0:
            continue
        total += weight
        weighted += weight * criterion.score
    if total == 0:
        return candidate.hit.relevance
    return blend.share * candidate.hit.relevance + (1 - blend.share) * weighted / total


def _ranked(candidates: Sequence[Candidate], blend: Blend) -> list[str]:
    scored = [(s, c.code) for c in candidates if (s := score(c, blend)) is not None]
    scored.sort(key=lambda row: -row[0])
    return [code for _, code in scored]


def _quality(
    leads: Sequence[ScenarioLead], found: Mapping[str, Sequence[Candidate]], blend: Blend
) -> float:
    if not leads:
        return 0.0
    return math.fsum(ndcg(_ranked(found[x.id], blend), x.grades, NDCG_AT) for x in leads) / len(
        leads
    )


def learn(
    leads: Sequence[ScenarioLead], found: Mapping[str, Sequence[Candidate]], start: Blend
) -> Blend:
    """The blend that scores best on these leads, by coordinate ascent from `start` (ties keep
    the value already there, so nothing moves without a reason)."""
    best, quality = start, _quality(leads, found, start)
    for _ in range(PASSES):
        moved = False
        for value in SHARES:
            trial = replace(best, share=value)
            if (q := _quality(leads, found, trial)) > quality + 1e-9:
                best, quality, moved = trial, q, True
        for key in start.weights:
            for value in WEIGHTS:
                trial = replace(best, weights={**best.weights, key: value})
                if (q := _quality(leads, found, trial)) > quality + 1e-9:
                    best, quality, moved = trial, q, True
        if not moved:
            break
    return best


@dataclass(frozen=True)
class Tuned:
    """What learning found: the blends, and each lead's ranking by the learned blend (dev) and
    by a blend learned without it (leave-one-out)."""

    blends: dict[tuple[str, str], Blend]
    dev: dict[str, list[str]]
    held_out: dict[str, list[str]]


def tune(
    leads: Sequence[ScenarioLead],
    found: Mapping[str, Sequence[Candidate]],
    config: FitConfig,
) -> Tuned:
    """Learns each direction's blend on all its leads, and leave-one-out rankings."""
    start = blends_of(config)
    groups: dict[tuple[str, str], list[ScenarioLead]] = {}
    for lead in leads:
        candidates = found.get(lead.id, ())
        if candidates:
            groups.setdefault(candidates[0].direction, []).append(lead)
    blends: dict[tuple[str, str], Blend] = {}
    dev: dict[str, list[str]] = {}
    held_out: dict[str, list[str]] = {}
    for direction, members in groups.items():
        origin = start.get(direction, Blend(config.default_text_share, {}))
        blends[direction] = learn(members, found, origin)
        for lead in members:
            dev[lead.id] = _ranked(found[lead.id], blends[direction])
            others = [x for x in members if x.id != lead.id]
            held_out[lead.id] = _ranked(found[lead.id], learn(others, found, origin))
    return Tuned(blends, dev, held_out)


def as_yaml(blends: Mapping[tuple[str, str], Blend]) -> str:
    """The learned shares and weights, as lines to carry into the fit file."""
    lines = []
    for (source, target), blend in sorted(blends.items()):
        lines.append(f"{source} → {target}: text_share {blend.share:g}")
        lines.extend(f"    {key}: weight {value:g}" for key, value in blend.weights.items())
    return "\n".join(lines)
