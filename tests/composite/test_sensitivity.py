"""The Monte Carlo: seeded, and collapsing to the nominal ranks when nothing varies."""

from __future__ import annotations

import numpy as np

from factorlink.composite.steps.aggregate import Tree, aggregate
from factorlink.composite.steps.rank import ranks
from factorlink.composite.steps.sensitivity import SensitivitySpec, simulate

TREE = Tree(4, (np.array([0, 1]), np.array([2, 3]), np.array([4, 5])))
WEIGHTS = np.ones(7)


def _normalised(variant: int) -> np.ndarray:
    rng = np.random.default_rng(variant)
    return rng.uniform(1, 100, size=(2, 12, 4))


def _nominal() -> np.ndarray:
    scores, _ = aggregate(_normalised(0)[1:], TREE, WEIGHTS, "arithmetic")
    return ranks(scores[:, :, -1:], descending=True, ties="min")[0, :, 0]


def _run(seed: int, noise: float = 0.25, variants: int = 2) -> tuple[np.ndarray, ...]:
    spec = SensitivitySpec(
        runs=300,
        noise=noise,
        seed=seed,
        n_normalise=variants,
        aggregators=("arithmetic", "geometric") if variants > 1 else ("arithmetic",),
    )
    out = simulate(lambda i, j: _normalised(j), TREE, WEIGHTS, spec, 1, _nominal())
    return out.median, out.low, out.high


def test_the_same_seed_gives_the_same_intervals() -> None:
    first, second = _run(7), _run(7)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    other = _run(8)
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_without_noise_or_alternatives_every_run_is_the_nominal_ranking() -> None:
    median, low, high = _run(7, noise=0.0, variants=1)
    nominal = _nominal()
    assert np.array_equal(median, nominal) and np.array_equal(low, nominal)
    assert np.array_equal(high, nominal)


def test_intervals_widen_with_the_choices() -> None:
    _, low, high = _run(7)
    assert (low <= high).all() and (high - low).max() >= 2
