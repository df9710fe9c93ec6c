"""Properties every input keeps, whatever the numbers (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from factorlink.composite.data import ValueProblem, parse_value
from factorlink.composite.steps.aggregate import weighted_mean
from factorlink.composite.steps.normalise import IndicatorParams, NormaliseSpec, normalise
from factorlink.composite.steps.rank import ranks
from factorlink.composite.steps.treat import TreatSpec, treat_slice

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
columns = st.lists(finite, min_size=4, max_size=40)


@settings(max_examples=60, deadline=None)
@given(columns, st.sampled_from([1, -1]))
def test_minmax_stays_in_range_and_keeps_order(values: list[float], direction: int) -> None:
    x = np.array(values)[None, :, None]
    params = IndicatorParams(np.array([direction], float), *(np.full(1, np.nan),) * 3)
    y = normalise(x, NormaliseSpec(low=1, high=100), params)[0, :, 0]
    if np.ptp(x) == 0:
        return
    assert np.nanmin(y) >= 1 - 1e-9 and np.nanmax(y) <= 100 + 1e-9
    order = np.argsort(np.array(values) * direction, kind="stable")
    assert (np.diff(y[order]) >= -1e-9).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(1, 100)), min_size=1, max_size=8), st.data())
def test_weighted_means_lie_between_the_present_values(
    values: list[float | None], data: st.DataObject
) -> None:
    x = np.array([np.nan if v is None else v for v in values])
    w = np.array(data.draw(st.lists(st.floats(0.1, 10), min_size=len(x), max_size=len(x))))
    present = x[~np.isnan(x)]
    for method in ("arithmetic", "geometric", "harmonic"):
        mean = weighted_mean(x, w, method)
        if present.size == 0:
            assert np.isnan(mean)
        else:
            assert present.min() - 1e-9 <= mean <= present.max() + 1e-9


@settings(max_examples=60, deadline=None)
@given(columns)
def test_treatment_never_widens_the_range_nor_reorders(values: list[float]) -> None:
    x = np.array(values)[:, None]
    y, log = treat_slice(x, TreatSpec(winmax=5, fallback="none"))
    assert y.min() >= x.min() and y.max() <= x.max()
    order = np.argsort(x[:, 0], kind="stable")
    assert (np.diff(y[order, 0]) >= 0).all()
    assert log.winsorised[0] == int((log.points != 0).sum())


@settings(max_examples=60, deadline=None)
@given(columns)
def test_best_value_ranks_first(values: list[float]) -> None:
    x = np.array(values)[None, :, None]
    r = ranks(x, descending=True, ties="min")[0, :, 0]
    assert r.min() == 1 and r.max() <= len(values)
    assert r[int(np.argmax(values))] == 1


@given(st.one_of(st.text(max_size=30), st.just("1e999"), st.just("-1E400")))
def test_any_cell_text_is_a_number_a_gap_or_refused(text: str) -> None:
    try:
        value = parse_value(text)
    except ValueProblem:
        return
    assert value is None or np.isfinite(value)
