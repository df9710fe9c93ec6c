"""COINr's iMeta table (Level, iCode, iName, Direction, Weight, …, Parent, Type) as a framework."""

from __future__ import annotations

from typing import Any

from factorlink.composite.errors import Problems
from factorlink.composite.framework import Framework, parse_framework
from factorlink.imports.readers import Table

COLUMNS = (
    "iCode",
    "iName",
    "Direction",
    "Weight",
    "Unit",
    "Target",
    "Denominator",
    "Parent",
    "Type",
)


def _number(text: str) -> float | int | None:
    if text.strip() == "":
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def _records(table: Table, problems: Problems) -> list[dict[str, str]]:
    missing = [c for c in COLUMNS if c not in table.headers]
    for column in missing:
        problems.add("header", f"缺少列“{column}”", f"missing column {column!r}", column=column)
    problems.raise_if_any()
    return [
        {
            h: "" if c is None else str(c).strip()
            for h, c in zip(table.headers, row.cells, strict=True)
        }
        for row in table.rows
    ]


def _node(record: dict[str, str], children: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    code = record["iCode"]
    node: dict[str, Any] = {"code": code, "name": record["iName"] or code}
    weight = _number(record["Weight"])
    node["weight"] = 1 if weight is None else weight
    if record["Type"] == "Indicator":
        node["direction"] = _number(record["Direction"]) or 1
        node["unit"] = record["Unit"]
        if record["Denominator"]:
            node["denominator"] = record["Denominator"]
        if record["Target"]:
            node["target"] = _number(record["Target"])
        return node
    kids = [_node(k, children) for k in children.get(code, [])]
    leaves = all(k["Type"] == "Indicator" for k in children.get(code, []))
    node["indicators" if leaves else "dimensions"] = kids
    return node


def framework_from_imeta(table: Table) -> Framework:
    """Builds the framework a COINr iMeta table describes (groups are ignored here)."""
    problems = Problems(table.name, "iMeta 表有误", "the iMeta table is invalid")
    records = _records(table, problems)
    children: dict[str, list[dict[str, str]]] = {}
    roots = []
    for record in records:
        if record["Type"] not in ("Indicator", "Aggregate"):
            continue
        if record["Parent"]:
            children.setdefault(record["Parent"], []).append(record)
        else:
            roots.append(record)
    if len(roots) != 1:
        problems.add("Parent", "应恰有一个无上级的汇总项(指数)", "needs exactly one root aggregate")
        problems.raise_if_any()
    root = _node(roots[0], children)
    root["denominators"] = [
        {"code": r["iCode"], "name": r["iName"] or r["iCode"], "unit": r["Unit"]}
        for r in records
        if r["Type"] == "Denominator"
    ]
    return parse_framework(root, table.name)
