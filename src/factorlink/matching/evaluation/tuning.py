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

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from factorlink.matching.evaluation.metrics import ndcg
from factorlink.matching.evaluation.scenarios import NDCG_AT, ScenarioLead
from factorlink.matching.fit.assess import FitConfig
from factorlink.matching.service import Candidate

SHARES = tuple(round(0.05 * i, 2) for i in range(4, 20))
WEIGHTS = (0.0, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0)
PASSES = 3
# A move must gain this much mean nDCG@5 on the training leads: smaller gains are noise.
MIN_GAIN = 0.003
TAIL = 0.25
# A criterion's weight is learned only from leads where it decides something: judged on at
# least this many of them (met or missed on some candidate); otherwise it keeps its setting.
MIN_INFORMED = 2


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
    """Mean nDCG@5, plus a little of nDCG@20: of two blends alike on the first five, the one
    that also ranks the rest better generalises better (a smoother target than nDCG@5 alone)."""
    if not leads:
        return 0.0
    total = 0.0
    for lead in leads:
        ranked = _ranked(found[lead.id], blend)
        total += ndcg(ranked, lead.grades, NDCG_AT) + TAIL * ndcg(ranked, lead.grades, 20)
    return total / len(leads)


def _informed(
    leads: Sequence[ScenarioLead], found: Mapping[str, Sequence[Candidate]], key: str
) -> int:
    """On how many leads a criterion is judged (not unknown) for some candidate."""
    return sum(
        any(
            c.fit is not None and any(x.key == key and x.met is not None for x in c.fit.criteria)
            for c in found[lead.id]
        )
        for lead in leads
    )


def learn(
    leads: Sequence[ScenarioLead], found: Mapping[str, Sequence[Candidate]], start: Blend
) -> Blend:
    """The blend that scores best on these leads, by coordinate ascent from `start`. A move
    must gain MIN_GAIN (ties and noise keep the value already there), and a criterion judged
    on fewer than MIN_INFORMED leads keeps its configured weight."""
    best, quality = start, _quality(leads, found, start)
    keys = [k for k in start.weights if _informed(leads, found, k) >= MIN_INFORMED]
    for _ in range(PASSES):
        moved = False
        for value in SHARES:
            trial = replace(best, share=value)
            if (q := _quality(leads, found, trial)) > quality + MIN_GAIN:
                best, quality, moved = trial, q, True
        for key in keys:
            for value in WEIGHTS:
                trial = replace(best, weights={**best.weights, key: value})
                if (q := _quality(leads, found, trial)) > quality + MIN_GAIN:
                    best, quality, moved = trial, q, True
        if not moved:
            break
    return best


def _starts(origin: Blend) -> list[Blend]:
    """Where ascent starts: the configured blend, and even weights at a low, middle and high
    text share (one path can stall where another does not)."""
    even = dict.fromkeys(origin.weights, 1.0)
    return [origin, *(Blend(share, even) for share in (0.3, 0.5, 0.8))]


def learn_from(
    leads: Sequence[ScenarioLead], found: Mapping[str, Sequence[Candidate]], starts: list[Blend]
) -> Blend:
    """The best of the blends learned from several starts (the first wins a tie)."""
    best, quality = starts[0], -1.0
    for start in starts:
        blend = learn(leads, found, start)
        if (q := _quality(leads, found, blend)) > quality + 1e-9:
            best, quality = blend, q
    return best


@dataclass(frozen=True)
class Tuned:
    """What learning found: the blends, and each lead's ranking by the learned blend (dev) and
    by the blend learned without it (leave-one-out)."""

    blends: dict[tuple[str, str], Blend]
    dev: dict[str, list[str]]
    held_out: dict[str, list[str]]


def tune(
    leads: Sequence[ScenarioLead],
    found: Mapping[str, Sequence[Candidate]],
    config: FitConfig,
) -> Tuned:
    """Learns each direction's blend — the median of the blends learned leaving out one lead at
    a time — and ranks each lead by the blend learned without it (leave-one-out)."""
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
        folds = []
        for lead in members:
            others = [x for x in members if x.id != lead.id]
            folds.append(learn_from(others, found, _starts(origin)))
            held_out[lead.id] = _ranked(found[lead.id], folds[-1])
        # What the folds agree on: each knob's median over the leave-one-out blends, steadier
        # than one blend fitted to every lead (which a single odd lead can pull).
        blends[direction] = _median(folds)
        for lead in members:
            dev[lead.id] = _ranked(found[lead.id], blends[direction])
    return Tuned(blends, dev, held_out)


def _median(blends: Sequence[Blend]) -> Blend:
    keys = blends[0].weights
    return Blend(
        statistics.median(b.share for b in blends),
        {key: statistics.median(b.weights[key] for b in blends) for key in keys},
    )


def as_yaml(blends: Mapping[tuple[str, str], Blend]) -> str:
    """The learned shares and weights, as lines to carry into the fit file."""
    lines = []
    for (source, target), blend in sorted(blends.items()):
        lines.append(f"{source} → {target}: text_share {blend.share:g}")
        lines.extend(f"    {key}: weight {value:g}" for key, value in blend.weights.items())
    return "\n".join(lines)
