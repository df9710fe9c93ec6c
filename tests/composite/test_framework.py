"""Framework files: the default one, and the problems a wrong one is refused for."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from factorlink.composite.files import PACKAGE_DATA, load_framework
from factorlink.composite.framework import parse_framework
from factorlink.errors import InvalidInput


def test_the_default_framework() -> None:
    fw = load_framework(PACKAGE_DATA / "framework.yaml")
    assert [d.name for d in fw.dimensions] == [
        "资源共享",
        "科创成效",
        "创新集群",
        "开放生态",
        "制度创新",
    ]
    assert len(fw.indicators) == 20 and fw.index.code == "g60_index"
    assert {d.code for d in fw.denominators} == {"population", "gdp"}
    assert fw.level("g60_index") == 0 and fw.level("sharing") == 1 and fw.level("fdi") == 2


def test_small_framework_tree(small_framework: Path) -> None:
    fw = load_framework(small_framework)
    tree = fw.tree()
    assert [a.code for a in fw.aggregates] == ["talent", "openness", "small"]
    assert [c.tolist() for c in tree.children] == [[0, 1], [2, 3], [4, 5]]
    assert fw.weights().tolist() == [1, 1, 1, 1, 1, 2, 1]


def _problems(data: object) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        parse_framework(data, "f.yaml")
    return {str(e["field"]): str(e["reason_en"]) for e in caught.value.errors}


def test_every_problem_is_named_by_its_path() -> None:
    data = yaml.safe_load(
        """
        code: x
        dimensions:
          - code: a
            indicators:
              - {code: i1, direction: 2}
              - {code: i1, weight: -1}
              - {code: 9bad, denominator: people}
          - code: b
        """
    )
    problems = _problems(data)
    assert problems["index.dimensions[0].indicators[0].direction"] == "direction must be 1 or -1"
    assert "duplicate" in problems["index.dimensions[0].indicators[1].code"]
    assert "cannot be negative" in problems["index.dimensions[0].indicators[1].weight"]
    assert "invalid code" in problems["index.dimensions[0].indicators[2].code"]
    assert "needs exactly one of" in problems["index.dimensions[1]"]
    assert "not declared" in problems["9bad.denominator"]


def test_not_a_mapping() -> None:
    assert _problems(["a"]) == {"": "the top level must be a mapping"}
