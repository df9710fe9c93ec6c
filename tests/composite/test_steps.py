"""Each step against values computed by hand."""

from __future__ import annotations

from typing import TypedDict, Unpack

import numpy as np
import pytest

from factorlink.composite.steps.aggregate import Tree, aggregate, weighted_mean
from factorlink.composite.steps.denominate import denominate
from factorlink.composite.steps.growth import cagr_percent, cumulative_percent
from factorlink.composite.steps.impute import impute
from factorlink.composite.steps.moments import kurtosis, skewness
from factorlink.composite.steps.normalise import IndicatorParams, NormaliseSpec, normalise
from factorlink.composite.steps.rank import ranks
from factorlink.composite.steps.screen import screen
from factorlink.composite.steps.treat import TreatSpec, failing, log_transform, treat_slice
from factorlink.composite.steps.weights import pca_weights

NAN = np.nan


def col(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)[:, None]


def test_skewness_and_kurtosis_are_e1071_type_2() -> None:
    # x = 1,2,3,4,10: deviations −3,−2,−1,0,6; Σd² = 50, Σd³ = 180, Σd⁴ = 1394, n = 5.
    # G1 = √5·180/50^1.5 · √20/3 = 1.697056…; G2 = (6·(5·1394/2500 − 3) + 6)·4/6 = 3.152.
    x = col(1, 2, 3, 4, 10)
    assert skewness(x)[0] == pytest.approx(1.6970563, abs=1e-7)
    assert kurtosis(x)[0] == pytest.approx(3.152, abs=1e-12)


def test_moments_ignore_missing_values_and_need_enough_points() -> None:
    x = np.array([[1, 1], [2, NAN], [3, 5], [4, NAN], [10, NAN]], dtype=float)
    assert skewness(x)[0] == pytest.approx(1.6970563, abs=1e-7)
    assert np.isnan(skewness(x)[1]) and np.isnan(kurtosis(x)[1])  # two values only
    assert np.isnan(skewness(col(3, 3, 3, 3))[0])  # no spread


def test_winsorisation_moves_the_top_point_one_step_at_a_time() -> None:
    x = col(*([1.0] * 20), 2, 3, 500, 1000, 1000)
    spec = TreatSpec(winmax=5)
    assert failing(x, spec)[0]
    # Step 1: the two tied 1000s become 500; still failing (skew 2.49, kurtosis 4.56).
    step1 = x.copy()
    step1[-2:] = 500
    assert failing(step1, spec)[0]
    # Step 2: the three 500s become 3 (the next value down), and the column passes.
    out, log = treat_slice(x, spec)
    assert out[-6:, 0].tolist() == [1, 2, 3, 3, 3, 3]
    assert log.winsorised[0] == 3 and not log.logged[0] and log.passes[0]
    assert log.points[-6:, 0].tolist() == [0, 0, 0, 1, 1, 1]
    assert log.skew[0] == pytest.approx(skewness(x)[0])


def test_one_step_can_be_enough() -> None:
    x = col(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100)
    out, log = treat_slice(x, TreatSpec(winmax=5))
    assert out[-2:, 0].tolist() == [30, 30] and log.winsorised[0] == 1 and log.passes[0]


def test_winsorisation_of_a_low_outlier_and_its_limit() -> None:
    x = col(-100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
    out, log = treat_slice(x, TreatSpec(winmax=5))
    assert out[0, 0] == 1 and log.points[0, 0] == -1 and log.passes[0]
    none, log0 = treat_slice(x, TreatSpec(winmax=0, fallback="none"))
    assert none[0, 0] == -100 and log0.winsorised[0] == 0 and not log0.passes[0]


def test_log_fallback_uses_the_original_values() -> None:
    # winmax=1: the first step already moves two tied points and the column still fails.
    x = col(*([1.0] * 20), 2, 3, 500, 1000, 1000)
    out, log = treat_slice(x, TreatSpec(winmax=1))
    assert log.logged[0] and log.winsorised[0] == 0
    lo, hi = 1.0, 1000.0
    assert out[:, 0] == pytest.approx(np.log(x[:, 0] - lo + 0.01 * (hi - lo)))
    assert log_transform(col(1, 101))[:, 0] == pytest.approx([np.log(1.0), np.log(101.0)])


def _params(
    *directions: int, target: float = NAN, goals: tuple[float, float] = (NAN, NAN)
) -> IndicatorParams:
    m = len(directions)
    return IndicatorParams(
        direction=np.array(directions, dtype=float),
        target=np.full(m, target),
        goal_low=np.full(m, goals[0]),
        goal_high=np.full(m, goals[1]),
    )


class _SpecOptions(TypedDict, total=False):
    """The NormaliseSpec fields a test may set besides the method."""

    low: float
    high: float
    mean: float
    sd: float
    cap: bool
    reference_unit: int | None


def _norm(
    values: list[float],
    method: str,
    direction: int = 1,
    *,
    target: float = NAN,
    goals: tuple[float, float] = (NAN, NAN),
    **options: Unpack[_SpecOptions],
) -> list[float]:
    params = _params(direction, target=target, goals=goals)
    spec = NormaliseSpec(method=method, **options)
    x = np.array(values, dtype=float)[None, :, None]
    return [round(v, 6) for v in normalise(x, spec, params)[0, :, 0].tolist()]


def test_each_normaliser() -> None:
    assert _norm([2, 4, 6], "minmax") == [0, 50, 100]
    assert _norm([2, 4, 6], "minmax", -1) == [100, 50, 0]
    assert _norm([2, 4, 6], "minmax", low=1.0, high=10.0) == [1, 5.5, 10]
    assert _norm([2, 4, 6], "zscore") == [-1, 0, 1]  # sd (n−1) = 2
    assert _norm([2, 4, 6], "zscore", mean=100.0, sd=10.0) == [90, 100, 110]
    assert _norm([5, 1, 5, 3], "rank") == [3.5, 1, 3.5, 2]
    assert _norm([2, 4, 8], "distance_to_max") == [25, 50, 100]
    assert _norm([2, 4, 8], "distance_to_max", -1) == [100, 50, 25]
    assert _norm([2, 4, 8], "distance_to_target", target=6.0) == [0, 50, 100]
    assert _norm([2, 4, 8], "distance_to_target", target=6.0, cap=False) == [0, 50, 150]
    assert _norm([2, 4, 8], "distance_to_target", -1, target=4.0) == [100, 100, 0]
    assert _norm([2, 4, 8], "goalposts", goals=(3.0, 7.0)) == [0, 25, 100]
    assert _norm([2, 4, 8], "goalposts", -1, goals=(3.0, 7.0)) == [100, 75, 0]
    assert _norm([2, 4, 8], "distance_to_reference", reference_unit=1) == [50, 100, 200]


def test_normalising_across_years_pools_the_years() -> None:
    x = np.array([[[0.0], [10.0]], [[10.0], [20.0]]])  # (2 years, 2 units, 1 indicator)
    params = _params(1)
    per_year = normalise(x, NormaliseSpec(), params)[:, :, 0]
    pooled = normalise(x, NormaliseSpec(across_years=True), params)[:, :, 0]
    assert per_year.tolist() == [[0, 100], [0, 100]]
    assert pooled.tolist() == [[0, 50], [50, 100]]
    base = normalise(x, NormaliseSpec("distance_to_reference", reference_year=0), params)
    assert base[:, :, 0].tolist() == [[0, 200], [200, 400]]  # base-year mean is 5


def test_arithmetic_mean_reweights_around_missing_values() -> None:
    w = np.array([1.0, 1.0, 2.0])
    assert weighted_mean(np.array([50, NAN, 80.0]), w, "arithmetic") == pytest.approx(70)
    assert np.isnan(weighted_mean(np.array([NAN, NAN, NAN]), w, "arithmetic"))
    assert weighted_mean(np.array([10, 1000.0]), np.ones(2), "geometric") == pytest.approx(100)
    assert weighted_mean(np.array([1, 3.0]), np.ones(2), "harmonic") == pytest.approx(1.5)
    assert weighted_mean(np.array([4, NAN, 16.0]), np.ones(3), "geometric") == pytest.approx(8)


def test_aggregation_goes_up_the_tree() -> None:
    # indicators 0, 1 → node 3 (dim A); indicator 2 → node 4 (dim B); 3, 4 → node 5 (index)
    tree = Tree(3, (np.array([0, 1]), np.array([2]), np.array([3, 4])))
    x = np.array([[[20.0, 40.0, 90.0], [NAN, 60.0, 30.0]]])
    weights = np.array([1, 3, 1, 1, 1, 1], dtype=float)
    scores, _ = aggregate(x, tree, weights, "arithmetic")
    assert scores[0].tolist() == [[35, 90, 62.5], [60, 30, 45]]


def test_pca_weights_follow_the_common_signal() -> None:
    a = np.array([1.0, 2.0, 3.0, 4.0])
    b = 2 * a + 1
    c = np.array([1.0, -1.0, -1.0, 1.0])  # uncorrelated with a
    assert pca_weights(np.column_stack([a, b, c])) == pytest.approx([0.5, 0.5, 0.0], abs=1e-9)
    assert pca_weights(np.column_stack([a, a[::-1] ** 2])) == pytest.approx([0.5, 0.5])
    assert pca_weights(np.column_stack([a, b, c])[:2]).tolist() == pytest.approx([1 / 3] * 3)


def test_growth_cumulative_and_cagr() -> None:
    scores = np.array([[100.0, 50.0], [110.0, 0.0], [121.0, 72.0]])
    years = np.array([2019, 2020, 2021])
    cumulative = cumulative_percent(scores, 0)
    assert cumulative[:, 0] == pytest.approx([0, 10, 21])
    assert cumulative[:, 1] == pytest.approx([0, -100, 44])
    cagr = cagr_percent(scores, years, 0)
    assert np.isnan(cagr[0, 0]) and cagr[1:, 0] == pytest.approx([10, 10])
    assert cagr[2, 1] == pytest.approx(20)  # 50 → 72 in two years: 1.2² = 1.44
    assert np.isnan(cumulative_percent(np.array([[0.0], [5.0]]), 0)[1, 0])


def test_ranks_best_first_with_shared_ranks() -> None:
    x = np.array([[[3.0], [9.0], [3.0], [NAN]]])
    out = ranks(x, descending=True, ties="min")[0, :, 0]
    assert out[:3].tolist() == [2, 1, 2] and np.isnan(out[3])


def test_impute_methods() -> None:
    x = np.array([[[1.0], [NAN], [3.0], [10.0]], [[NAN], [4.0], [NAN], [NAN]]])
    active = np.ones((2, 4), dtype=bool)
    assert impute(x, "mean", active)[0, 1, 0] == pytest.approx(14 / 3)
    assert impute(x, "median", active)[0, 1, 0] == 3
    groups = np.array([0, 0, 1, 1])
    assert impute(x, "group_mean", active, groups)[0, 1, 0] == 1
    carried = impute(x, "previous_year", active)[1, :, 0]
    assert carried.tolist() == [1, 4, 3, 10]
    inactive = active.copy()
    inactive[0, 1] = False
    assert np.isnan(impute(x, "mean", inactive)[0, 1, 0])


def test_screen_and_denominate() -> None:
    x = np.array([[[1.0, NAN], [2.0, 3.0]]])
    kept = screen(x, np.ones((1, 2), dtype=bool), 0.9)
    assert kept.tolist() == [[False, True]]
    d = np.array([[[10.0], [0.0]]])
    out = denominate(x, d, np.array([0, -1]), np.array([1000.0, 1.0]))
    assert out[0, 0, 0] == 100 and np.isnan(out[0, 1, 0]) and out[0, 1, 1] == 3
