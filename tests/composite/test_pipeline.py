"""Pipeline files: steps in order with valid options, and the runs they describe."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from factorlink.composite.files import load_pipeline
from factorlink.composite.pipeline import parse_pipeline
from factorlink.composite.run import run_pipeline
from factorlink.errors import InvalidInput


def _problems(text: str) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        parse_pipeline(yaml.safe_load(text), "p.yaml")
    return {str(e["field"]): str(e["reason_en"]) for e in caught.value.errors}


def test_steps_out_of_order_or_unknown() -> None:
    problems = _problems(
        """
        steps:
          - normalise: {method: minmax, range: [100, 0]}
          - treat: {winmax: -1}
          - blend: {}
          - aggregate: {method: median, weights: magic}
        """
    )
    assert "low < high" in problems["steps[0].normalise.range"]
    assert "before normalise" in problems["steps[1].treat"]
    assert "from 0 to 1000" in problems["steps[1].treat.winmax"]
    assert "unknown step 'blend'" in problems["steps[2].blend"]
    assert "median" in problems["steps[3].aggregate.method"]
    assert "magic" in problems["steps[3].aggregate.weights"]


def test_growth_needs_one_scale_across_years() -> None:
    problems = _problems(
        """
        steps: [{normalise: {across_years: false}}, {aggregate: {}}]
        growth: {base_year: 2019}
        """
    )
    assert "across_years" in problems["steps.normalise.across_years"]
    spec = parse_pipeline(
        yaml.safe_load("steps: [{normalise: {}}, {aggregate: {}}]\ngrowth: {base_year: 2019}"),
        "p.yaml",
    )
    assert spec.normalise.spec.across_years  # growth turns it on by default


def test_a_misspelt_section_is_named() -> None:
    problems = _problems("steps: [{normalise: {}}, {aggregate: {}}]\nsensitivty: {runs: 5}\n")
    assert "unknown option 'sensitivty'" in problems["sensitivty"]


def test_missing_steps_and_unknown_options() -> None:
    problems = _problems("steps:\n  - impute: {method: mean, colour: red}\n")
    assert "unknown option 'colour'" in problems["steps[0].impute.colour"]
    with pytest.raises(InvalidInput) as caught:
        parse_pipeline({"steps": [{"impute": {}}]}, "p.yaml")
    missing = [e["reason_en"] for e in caught.value.errors if e["field"] == "steps"]
    assert missing == ["the 'normalise' step is missing", "the 'aggregate' step is missing"]


def _write(tmp_path: Path, small_framework: Path, steps: str, extra: str = "") -> Path:
    (tmp_path / "data.csv").write_text(
        "城市,年份,population,researchers,patents,deals,costs\n"
        "松江,2022,100,100,10,5,4\n松江,2023,100,200,20,,2\n"
        "杭州,2022,1000,500,30,20,8\n杭州,2023,1000,800,50,30,6\n"
        "嘉兴,2022,400,200,12,8,5\n嘉兴,2023,400,300,18,10,5\n",
        encoding="utf-8",
    )
    path = tmp_path / "p.yaml"
    path.write_text(
        f"framework: {small_framework.name}\ndata: data.csv\nunits: corridor\n{steps}{extra}",
        encoding="utf-8",
    )
    return path


def test_a_panel_run_with_growth(tmp_path: Path, small_framework: Path) -> None:
    steps = (
        "steps:\n  - denominate: {}\n  - impute: {method: previous_year}\n"
        "  - normalise: {method: minmax, range: [1, 100]}\n  - aggregate: {method: geometric}\n"
        "growth: {base_year: 2022}\n"
    )
    loaded = load_pipeline(_write(tmp_path, small_framework, steps))
    result = run_pipeline(loaded.spec, loaded.framework, loaded.panel)
    assert loaded.panel.names == ("上海松江", "杭州", "嘉兴")
    # researchers per population: 松江 1 → 2, 杭州 0.5 → 0.8, 嘉兴 0.5 → 0.75 (pooled years)
    assert result.treated[:, :, 0].tolist() == [[1, 0.5, 0.5], [2, 0.8, 0.75]]
    assert result.treated[1, 0, 2] == 5  # 松江's 2023 deals carried from 2022
    assert result.normalised[1, 0, 0] == 100 and result.normalised[0, 1, 0] == 1
    assert result.growth is not None and np.isnan(result.growth.cagr[0]).all()
    assert (result.growth.cumulative[1, :, -1] > 0).all()


def test_geometric_needs_positive_values(tmp_path: Path, small_framework: Path) -> None:
    steps = "steps:\n  - normalise: {method: minmax}\n  - aggregate: {method: geometric}\n"
    loaded = load_pipeline(_write(tmp_path, small_framework, steps))
    with pytest.raises(InvalidInput) as caught:
        run_pipeline(loaded.spec, loaded.framework, loaded.panel)
    assert "range [1, 100]" in str(caught.value.message_en)


def test_pca_weights_and_screening(tmp_path: Path, small_framework: Path) -> None:
    steps = (
        "steps:\n  - screen: {min_share: 1.0}\n  - normalise: {}\n  - aggregate: {weights: pca}\n"
    )
    loaded = load_pipeline(_write(tmp_path, small_framework, steps))
    result = run_pipeline(loaded.spec, loaded.framework, loaded.panel)
    assert not result.active[1, 0]  # 松江 2023 lacks deals: screened out that year
    assert np.isnan(result.scores[1, 0]).all() and np.isnan(result.ranks[1, 0]).all()
    assert result.ranks[1, 1:, -1].tolist() == [1, 2]
    talent = result.weights[[0, 1]]
    assert talent.sum() == pytest.approx(1.0)
