"""The index framework: index → dimensions (→ sub-dimensions) → indicators (pure).

Read from a YAML mapping (see data/framework.yaml) or from a COINr iMeta table. Every error
names where it is (`dimensions[1].indicators[0].direction`) in Chinese and English.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from factorlink.composite.errors import Problems
from factorlink.composite.steps.aggregate import Tree

CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


@dataclass(frozen=True)
class Indicator:
    """One measured indicator."""

    code: str
    name: str
    parent: str
    name_en: str = ""
    direction: int = 1
    weight: float = 1.0
    unit: str = ""
    denominator: str | None = None
    scale: float = 1.0
    source: str = ""
    target: float | None = None
    goalposts: tuple[float, float] | None = None


@dataclass(frozen=True)
class Aggregate:
    """The index or one of its dimensions: a weighted combination of its children."""

    code: str
    name: str
    parent: str | None
    children: tuple[str, ...]
    name_en: str = ""
    weight: float = 1.0


@dataclass(frozen=True)
class Denominator:
    """A size measure indicators may be divided by."""

    code: str
    name: str
    unit: str = ""


@dataclass(frozen=True)
class Framework:
    """The whole tree; aggregates are ordered children first, so the index comes last."""

    code: str
    name: str
    name_en: str
    indicators: tuple[Indicator, ...]
    aggregates: tuple[Aggregate, ...]
    denominators: tuple[Denominator, ...] = ()
    sample: bool = False
    _position: dict[str, int] = field(init=False, repr=False, compare=False)
    _levels: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        codes = [n.code for n in self.indicators] + [a.code for a in self.aggregates]
        object.__setattr__(self, "_position", {c: i for i, c in enumerate(codes)})
        parents: dict[str, str | None] = {n.code: n.parent for n in self.indicators}
        parents.update({a.code: a.parent for a in self.aggregates})
        object.__setattr__(self, "_levels", {c: _depth(c, parents) for c in codes})

    @property
    def index(self) -> Aggregate:
        """The root: the index itself."""
        return self.aggregates[-1]

    @property
    def dimensions(self) -> tuple[Aggregate, ...]:
        """The index's direct children that are aggregates."""
        by_code = {a.code: a for a in self.aggregates}
        return tuple(by_code[c] for c in self.index.children if c in by_code)

    def position(self, code: str) -> int:
        """A node's place: indicators 0..m-1, then aggregates."""
        return self._position[code]

    def tree(self) -> Tree:
        """The framework as index arrays for the aggregation step."""
        return Tree(
            len(self.indicators),
            tuple(
                np.array([self._position[c] for c in a.children], dtype=np.int64)
                for a in self.aggregates
            ),
        )

    def weights(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Each node's weight from the file, in node order."""
        return np.array(
            [n.weight for n in self.indicators] + [a.weight for a in self.aggregates],
            dtype=np.float64,
        )

    def level(self, code: str) -> int:
        """Depth below the index: 0 for the index, 1 for dimensions, …"""
        return self._levels[code]


def _depth(code: str, parents: Mapping[str, str | None]) -> int:
    depth, node = 0, parents.get(code)
    while node is not None:
        depth, node = depth + 1, parents.get(node)
    return depth


class _Reader:
    """Walks a framework mapping, collecting every problem with its path."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.indicators: list[Indicator] = []
        self.aggregates: list[Aggregate] = []
        self.seen: set[str] = set()

    def text(self, item: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
        value = item.get(key)
        if value is None or str(value).strip() == "":
            if required:
                self.problems.add(f"{where}.{key}", "缺少此项", "missing")
            return ""
        return str(value).strip()

    def number(self, item: Mapping[str, Any], key: str, where: str, default: float) -> float:
        value = item.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.problems.add(f"{where}.{key}", "应为有限数值", "must be a finite number")
            return default
        return float(value)

    def code(self, item: Mapping[str, Any], where: str) -> str:
        code = self.text(item, "code", where)
        if code and not CODE.match(code):
            self.problems.add(
                f"{where}.code",
                f"代码“{code}”无效:以字母开头,仅含字母、数字、下划线",
                f"invalid code {code!r}: a letter, then letters, digits or underscores",
            )
        elif code in self.seen:
            self.problems.add(f"{where}.code", f"代码“{code}”重复", f"duplicate code {code!r}")
        self.seen.add(code)
        return code

    def group(self, item: Any, where: str, parent: str | None) -> str:
        if not isinstance(item, Mapping):
            self.problems.add(where, "应为映射(code、name…)", "must be a mapping (code, name, …)")
            return ""
        code = self.code(item, where)
        subs, leaves = item.get("dimensions"), item.get("indicators")
        if bool(subs) == bool(leaves):
            self.problems.add(
                where,
                "须有且仅有 dimensions 或 indicators 之一(非空)",
                "needs exactly one of dimensions or indicators, not empty",
            )
        kids = self.children(subs or leaves or [], where, code, bool(subs))
        self.aggregates.append(
            Aggregate(
                code=code,
                name=self.text(item, "name", where) or code,
                name_en=str(item.get("name_en") or ""),
                parent=parent,
                children=tuple(kids),
                weight=self.weight(item, where),
            )
        )
        return code

    def children(self, items: Any, where: str, parent: str, groups: bool) -> list[str]:
        key = "dimensions" if groups else "indicators"
        if not isinstance(items, Sequence) or isinstance(items, str):
            self.problems.add(f"{where}.{key}", "应为列表", "must be a list")
            return []
        make = self.group if groups else self.indicator
        return [make(x, f"{where}.{key}[{i}]", parent) for i, x in enumerate(items)]

    def weight(self, item: Mapping[str, Any], where: str) -> float:
        weight = self.number(item, "weight", where, 1.0)
        if weight < 0:
            self.problems.add(f"{where}.weight", "权重不能为负", "a weight cannot be negative")
        return weight

    def indicator(self, item: Any, where: str, parent: str) -> str:
        if not isinstance(item, Mapping):
            self.problems.add(where, "应为映射(code、name…)", "must be a mapping (code, name, …)")
            return ""
        code = self.code(item, where)
        direction = item.get("direction", 1)
        if direction not in (1, -1):
            self.problems.add(f"{where}.direction", "方向应为1或-1", "direction must be 1 or -1")
            direction = 1
        self.indicators.append(
            Indicator(
                code=code,
                name=self.text(item, "name", where) or code,
                name_en=str(item.get("name_en") or ""),
                parent=parent,
                direction=int(direction),
                weight=self.weight(item, where),
                unit=str(item.get("unit") or ""),
                denominator=str(item["denominator"]) if item.get("denominator") else None,
                scale=self.number(item, "scale", where, 1.0),
                source=str(item.get("source") or ""),
                target=self.optional(item, "target", where),
                goalposts=self.goalposts(item, where),
            )
        )
        return code

    def optional(self, item: Mapping[str, Any], key: str, where: str) -> float | None:
        return None if item.get(key) is None else self.number(item, key, where, 0.0)

    def goalposts(self, item: Mapping[str, Any], where: str) -> tuple[float, float] | None:
        posts = item.get("goalposts")
        if posts is None:
            return None
        ok = isinstance(posts, Sequence) and len(posts) == 2
        if not ok or not all(isinstance(p, int | float) for p in posts) or posts[0] >= posts[1]:
            self.problems.add(
                f"{where}.goalposts",
                "应为[下限, 上限],下限小于上限",
                "must be [low, high], low < high",
            )
            return None
        return float(posts[0]), float(posts[1])


def _denominators(data: Any, reader: _Reader) -> tuple[Denominator, ...]:
    out = []
    for i, item in enumerate(data or []):
        where = f"denominators[{i}]"
        if not isinstance(item, Mapping):
            reader.problems.add(where, "应为映射", "must be a mapping")
            continue
        code = reader.code(item, where)
        out.append(Denominator(code, str(item.get("name") or code), str(item.get("unit") or "")))
    return tuple(out)


def _check_denominators(framework: Framework, problems: Problems) -> None:
    known = {d.code for d in framework.denominators}
    for i in framework.indicators:
        if i.denominator and i.denominator not in known:
            problems.add(
                f"{i.code}.denominator",
                f"分母“{i.denominator}”未在 denominators 中声明",
                f"denominator {i.denominator!r} is not declared under denominators",
            )


def parse_framework(data: Any, source: str) -> Framework:
    """Builds a framework from a parsed YAML mapping; raises InvalidInput listing every problem."""
    problems = Problems(source, "指标框架有误", "the framework is invalid")
    if not isinstance(data, Mapping):
        problems.add("", "顶层应为映射", "the top level must be a mapping")
        problems.raise_if_any()
        raise AssertionError  # unreachable: raise_if_any raised
    reader = _Reader(problems)
    denominators = _denominators(data.get("denominators"), reader)
    root = dict(data)
    root.setdefault("code", "index")
    reader.group(root, "index", None)
    framework = Framework(
        code=str(root["code"]),
        name=str(data.get("name") or root["code"]),
        name_en=str(data.get("name_en") or ""),
        indicators=tuple(reader.indicators),
        aggregates=tuple(reader.aggregates),
        denominators=denominators,
        sample=bool(data.get("sample", False)),
    )
    _check_denominators(framework, problems)
    problems.raise_if_any()
    return framework
