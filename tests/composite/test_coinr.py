"""COINr's ASEM example, computed by our engine, gives COINr's published Index scores."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factorlink.composite.files import load_pipeline
from factorlink.composite.run import run_pipeline

# COINr documentation, "results" article: build_example_coin() Index scores.
PUBLISHED = {"CHE": 68.38, "NLD": 64.82, "DNK": 64.80, "NOR": 64.47, "BEL": 63.54, "SWE": 63.00}


def test_asem_index_scores_match_coinr_to_two_decimals(asem_pipeline: Path) -> None:
    loaded = load_pipeline(asem_pipeline)
    assert loaded.panel.values.shape == (1, 51, 49)
    result = run_pipeline(loaded.spec, loaded.framework, loaded.panel)
    index = result.score("Index")[0]
    scores = dict(zip(loaded.panel.units, index, strict=True))
    for unit, published in PUBLISHED.items():
        assert round(float(scores[unit]), 2) == pytest.approx(published, abs=1e-9), unit
    top = [loaded.panel.units[i] for i in np.argsort(-index)[:6]]
    assert top == list(PUBLISHED)
    ranks = dict(zip(loaded.panel.units, result.rank("Index")[0], strict=True))
    assert [ranks[u] for u in PUBLISHED] == [1, 2, 3, 4, 5, 6]


def test_asem_treatment_and_framework(asem_pipeline: Path) -> None:
    loaded = load_pipeline(asem_pipeline)
    framework = loaded.framework
    assert [a.code for a in framework.dimensions] == ["Conn", "Sust"]
    assert framework.level("LPI") == 3 and framework.index.code == "Index"
    result = run_pipeline(loaded.spec, loaded.framework, loaded.panel)
    log = result.treatments[0]
    # Winsorisation alone brings every ASEM indicator within the thresholds.
    assert log.passes.all() and not log.logged.any()
    assert int((log.winsorised > 0).sum()) == 15 and int(log.winsorised.sum()) == 35
    normalised = result.normalised[0]
    assert np.nanmin(normalised) == 0 and np.nanmax(normalised) == 100
    assert not np.isnan(result.scores).any()  # group-mean imputation filled every gap


def test_asem_sensitivity_is_reproducible(asem_pipeline: Path) -> None:
    loaded = load_pipeline(asem_pipeline)
    first = run_pipeline(loaded.spec, loaded.framework, loaded.panel).uncertainty
    second = run_pipeline(loaded.spec, loaded.framework, loaded.panel).uncertainty
    assert first is not None and second is not None and first.runs == 200
    assert np.array_equal(first.median, second.median)
    assert np.array_equal(first.low, second.low) and np.array_equal(first.high, second.high)
    assert (first.low <= first.median).all() and (first.median <= first.high).all()
    che = loaded.panel.units.index("CHE")
    assert first.nominal[che] == 1 and first.low[che] <= 2


def test_a_year_of_the_panel_scores_as_the_year_alone(asem_pipeline: Path, tmp_path: Path) -> None:
    # Every step but across-year normalisation works year by year, so 2018 of the panel (the
    # same data as the single-year file) reproduces the published scores too.
    text = asem_pipeline.read_text(encoding="utf-8").replace("ASEM_iData.csv", "ASEM_iData_p.csv")
    text = text.replace("../shared/data", str(asem_pipeline.parents[3] / "shared" / "data"))
    panel_file = tmp_path / "panel.yaml"
    panel_file.write_text(text, encoding="utf-8")
    loaded = load_pipeline(panel_file)
    assert loaded.panel.years == (2018, 2019, 2020, 2021, 2022)
    result = run_pipeline(loaded.spec, loaded.framework, loaded.panel)
    scores = dict(zip(loaded.panel.units, result.score("Index")[0], strict=True))
    assert {u: round(float(scores[u]), 2) for u in PUBLISHED} == PUBLISHED


def test_growth_over_the_example_purse(asem_pipeline: Path) -> None:
    loaded = load_pipeline(asem_pipeline.with_name("panel-pipeline.yaml"))
    result = run_pipeline(loaded.spec, loaded.framework, loaded.panel)
    growth = result.growth
    assert growth is not None and growth.base_year == 2018
    index = result.score("Index")
    # Without imputation, five countries lack 10% of the data and are screened out each year.
    assert result.active.sum(axis=1).tolist() == [46] * 5
    assert np.nanmin(result.normalised) == 0 and np.nanmax(result.normalised) == 100
    expected = (index[4] / index[0] - 1) * 100
    assert growth.cumulative[4, :, -1] == pytest.approx(expected, nan_ok=True)
    cagr = ((index[4] / index[0]) ** (1 / 4) - 1) * 100
    assert growth.cagr[4, :, -1] == pytest.approx(cagr, nan_ok=True)
    overall = np.nanmean(index, axis=1)
    assert growth.overall_cumulative[:, -1] == pytest.approx((overall / overall[0] - 1) * 100)
