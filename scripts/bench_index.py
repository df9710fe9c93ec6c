"""Speed of the index engine: a table of timings (medians of three runs), not a test.

    make bench-index

Cases: the corridor (9 cities × 20 indicators × 10 years, full pipeline with growth), the same
with 1,000 Monte Carlo runs, and the county level (3,000 units × 50 indicators × 5 years) with
1,000 Monte Carlo runs over weights, two normalisations, two aggregations and two imputations.
Data are random (seeded), with 3% gaps and some heavy tails, built in memory.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np

from factorlink.composite.framework import parse_framework
from factorlink.composite.panel import Panel
from factorlink.composite.pipeline import parse_pipeline
from factorlink.composite.run import run_pipeline


def framework(dimensions: int, per_dimension: int) -> Any:
    """A framework of dimensions × indicators, every third indicator negative."""
    return parse_framework(
        {
            "code": "bench",
            "name": "bench",
            "dimensions": [
                {
                    "code": f"d{d}",
                    "name": f"d{d}",
                    "indicators": [
                        {
                            "code": f"i{d}_{i}",
                            "name": f"i{d}_{i}",
                            "direction": -1 if i % 3 == 2 else 1,
                        }
                        for i in range(per_dimension)
                    ],
                }
                for d in range(dimensions)
            ],
        },
        "bench",
    )


def panel(units: int, indicators: int, years: int, seed: int = 7) -> Panel:
    """Lognormal values growing 8% a year, 3% missing, seeded."""
    rng = np.random.default_rng(seed)
    level = rng.lognormal(3, 1, size=(1, units, indicators))
    growth = 1.08 ** np.arange(years)[:, None, None]
    values = level * growth * rng.lognormal(0, 0.05, size=(years, units, indicators))
    values[rng.random(values.shape) < 0.03] = np.nan
    return Panel(
        years=tuple(range(2015, 2015 + years)),
        units=tuple(f"u{i}" for i in range(units)),
        names=tuple(f"u{i}" for i in range(units)),
        values=values,
        denominators=np.empty((years, units, 0)),
        groups={"g": tuple(str(i % 5) for i in range(units))},
    )


def pipeline(runs: int | None) -> Any:
    config: dict[str, Any] = {
        "steps": [
            {"impute": {"method": "group_mean", "group": "g"}},
            {"treat": {"winmax": 5}},
            {"normalise": {"method": "minmax", "range": [1, 100]}},
            {"aggregate": {"method": "arithmetic"}},
        ],
        "growth": {"base_year": 2015},
    }
    if runs:
        config["sensitivity"] = {
            "runs": runs,
            "seed": 1,
            "impute": [{"method": "group_mean", "group": "g"}, {"method": "median"}],
            "normalise": [{"method": "minmax", "range": [1, 100]}, {"method": "rank"}],
            "aggregate": ["arithmetic", "geometric"],
        }
    return parse_pipeline(config, "bench")


def timed(units: int, dims: int, per: int, years: int, runs: int | None) -> float:
    fw, data, spec = framework(dims, per), panel(units, dims * per, years), pipeline(runs)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run_pipeline(spec, fw, data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    cases = [
        ("corridor", 9, 5, 4, 10, None),
        ("corridor + Monte Carlo", 9, 5, 4, 10, 1000),
        ("county level + Monte Carlo", 3000, 5, 10, 5, 1000),
    ]
    print(f"{'case':<28}{'units':>7}{'indicators':>12}{'years':>7}{'runs':>7}{'seconds':>10}")
    for name, units, dims, per, years, runs in cases:
        seconds = timed(units, dims, per, years, runs)
        print(f"{name:<28}{units:>7}{dims * per:>12}{years:>7}{runs or 0:>7}{seconds:>10.3f}")


if __name__ == "__main__":
    main()
