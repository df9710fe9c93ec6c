"""Fixtures of the index tests: the repository's example pipelines and small framework files."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ASEM_PIPELINE = REPO / "examples" / "coinr-asem" / "pipeline.yaml"
CORRIDOR_PIPELINE = REPO / "examples" / "corridor" / "pipeline.yaml"

SMALL_FRAMEWORK = """\
code: small
name: 小指数
sample: true
denominators:
  - {code: population, name: 常住人口, unit: 万人}
dimensions:
  - code: talent
    name: 人才
    indicators:
      - {code: researchers, name: 研发人员, unit: 人, denominator: population}
      - {code: patents, name: 发明专利, unit: 件}
  - code: openness
    name: 开放
    weight: 2
    indicators:
      - {code: deals, name: 技术合同, unit: 项}
      - {code: costs, name: 企业成本, unit: 元, direction: -1}
"""


@pytest.fixture
def asem_pipeline(shared_data: Path) -> Path:
    """COINr's example pipeline; skipped where ../shared/data is absent."""
    assert (shared_data / "coinr-asem" / "ASEM_iData.csv").is_file()
    return ASEM_PIPELINE


@pytest.fixture
def small_framework(tmp_path: Path) -> Path:
    """A two-dimension framework file with a denominator and a negative indicator."""
    path = tmp_path / "framework.yaml"
    path.write_text(SMALL_FRAMEWORK, encoding="utf-8")
    return path
