"""Learning the blend: coordinate ascent finds the criterion that separates, leave-one-out holds
each lead out of its own learning."""

from __future__ import annotations

from factorlink.matching.evaluation.scenarios import ScenarioLead
from factorlink.matching.evaluation.tuning import Blend, learn, score, tune
from factorlink.matching.fit.assess import Criterion, Fit, Rule
from factorlink.matching.retrieval.fusion import Fused
from factorlink.matching.service import Candidate
from tests.matching.fit.test_assess import config

DIRECTION = ("lead", "carrier")


def _criterion(key: str, value: float) -> Criterion:
    return Criterion(key, key, key, value >= 0.5, value, 1.0, False, key, key)


def _candidate(code: str, relevance: float, near: float, size: float) -> Candidate:
    fit = Fit(None, True, (_criterion("distance", near), _criterion("area", size)))
    hit = Fused(0, relevance, relevance, None, relevance, None)
    return Candidate(None, code, hit, fit, DIRECTION)


def _leads(n: int) -> tuple[list[ScenarioLead], dict[str, list[Candidate]]]:
    """Leads whose right answer is always the near one, whatever the text or the size say."""
    leads, found = [], {}
    for i in range(n):
        lead_id = f"L{i}"
        leads.append(ScenarioLead(lead_id, "space", {}, "carrier", {f"right{i}": 3}))
        found[lead_id] = [
            _candidate(f"right{i}", 0.40, near=1.0, size=0.0),
            _candidate(f"wordy{i}", 0.60, near=0.0, size=1.0),
            _candidate(f"big{i}", 0.45, near=0.2, size=1.0),
        ]
    return leads, found


def test_a_blend_scores_text_and_fit_in_shares() -> None:
    candidate = _candidate("x", 0.5, near=1.0, size=0.0)
    assert score(candidate, Blend(1.0, {"distance": 1, "area": 1})) == 0.5
    assert score(candidate, Blend(0.0, {"distance": 1, "area": 0})) == 1.0
    assert score(candidate, Blend(0.5, {"distance": 1, "area": 1})) == 0.5
    # A candidate a hard criterion filters has no score at all.
    filtered = Candidate(None, "y", candidate.hit, Fit(0.0, False, ()), DIRECTION)
    assert score(filtered, Blend(0.5, {})) is None


def test_learning_finds_the_criterion_that_separates() -> None:
    leads, found = _leads(4)
    start = Blend(0.7, {"distance": 1.0, "area": 1.0})
    learned = learn(leads, found, start)
    assert learned.weights["distance"] > learned.weights["area"] or learned.share < 0.7
    ranked = sorted(found["L0"], key=lambda c: -(score(c, learned) or 0))
    assert ranked[0].code == "right0"


def test_leave_one_out_ranks_every_lead_by_a_blend_learned_without_it() -> None:
    leads, found = _leads(5)
    cfg = config({DIRECTION: {"distance": Rule(1.0), "area": Rule(1.0)}})
    tuned = tune(leads, found, cfg)
    assert set(tuned.held_out) == set(tuned.dev) == {lead.id for lead in leads}
    assert all(tuned.held_out[f"L{i}"][0] == f"right{i}" for i in range(5))
    assert DIRECTION in tuned.blends
