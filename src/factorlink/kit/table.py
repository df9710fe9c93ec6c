"""Tabular specs: how a factor kind maps to spreadsheet columns, both ways (pure).

A TableSpec lists a kind's columns with their Chinese and English headers. Parsing a row turns
typed cells into model field values, collecting every error with its column; formatting turns a
record back into the same cells. Imports, exports, templates and the API all go through here,
so a rule is written once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from factorlink.validation.errors import FieldError
from factorlink.validation.parsers import normalize

Parser = Callable[[Any], dict[str, Any]]
Formatter = Callable[[Any], Any]
Refiner = Callable[[dict[str, Any]], None]
# A rule across columns (the smallest part of a carrier not above its area): the errors of a
# row whose columns each parsed.
Checker = Callable[[dict[str, Any]], list["CellError"]]


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: headers, whether required, and how to parse and format it."""

    key: str
    header: str
    header_en: str
    parse: Parser
    format: Formatter
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""
    empty: Mapping[str, Any] | None = None
    # A column of a controlled vocabulary: every spelling it accepts, canonical values first.
    choices: tuple[str, ...] = ()

    @property
    def empty_values(self) -> Mapping[str, Any]:
        """The field values an empty cell stands for (so a blanked cell clears its fields)."""
        return self.empty if self.empty is not None else {self.key: None}

    @property
    def display_header(self) -> str:
        """The header as templates and exports write it ("成果名称*")."""
        return self.header + ("*" if self.required else "")


@dataclass(frozen=True)
class CellError:
    """What is wrong with one cell (or a whole row when column is None)."""

    column: str | None
    reason: str
    reason_en: str
    value: str = ""
    key: str | None = None


@dataclass
class ParsedRow:
    """The field values parsed from one row, and every error found in it."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def header_key(text: str) -> str:
    """Folds a header for matching: no '*', spaces, brackets or case."""
    cleaned = normalize(text).replace("*", "").replace(" ", "").lower()
    return cleaned.replace("(", "").replace(")", "")


@dataclass(frozen=True)
class TableSpec:
    """The columns of one factor kind.

    `refine`, where given, adjusts in place a value that depends on several columns (a carrier's
    区县 read within its city), once every column is parsed; it never adds an error. `check`,
    where given, judges a rule across columns once each parsed, and returns what breaks it.
    """

    kind: str
    label: str
    columns: tuple[Column, ...]
    code_prefix: str
    natural_key: tuple[str, ...]
    refine: Refiner | None = None
    check: Checker | None = None

    def column(self, key: str) -> Column:
        """Returns the column with this key."""
        return next(c for c in self.columns if c.key == key)

    @property
    def required(self) -> tuple[Column, ...]:
        """The columns that must be present and filled."""
        return tuple(c for c in self.columns if c.required)

    def header_map(self) -> dict[str, Column]:
        """Maps every accepted header spelling (Chinese, English, aliases, key) to its column."""
        mapping: dict[str, Column] = {}
        for col in self.columns:
            for name in (col.header, col.header_en, col.key, *col.aliases):
                mapping[header_key(name)] = col
        return mapping

    def match_headers(self, headers: Sequence[str]) -> tuple[dict[int, Column], list[str]]:
        """Maps header positions to columns; returns the unknown headers too."""
        mapping = self.header_map()
        found: dict[int, Column] = {}
        unknown: list[str] = []
        for index, header in enumerate(headers):
            key = header_key(header)
            if not key:
                continue
            col = mapping.get(key)
            if col is None:
                unknown.append(header)
            else:
                found[index] = col
        return found, unknown

    def parse(self, cells: Mapping[str, Any]) -> ParsedRow:
        """Parses the cells of one row, given by column key, into a value for every field."""
        row = ParsedRow()
        blank: list[Column] = []
        for col in self.columns:
            raw = cells.get(col.key)
            is_list = isinstance(raw, list | tuple)
            if (is_list and not raw) or (not is_list and not normalize(raw)):
                blank.append(col)
                if col.required:
                    row.errors.append(
                        CellError(
                            col.header,
                            f"“{col.header}”为必填项",
                            f"{col.header_en} is required",
                            key=col.key,
                        )
                    )
                continue
            try:
                row.values.update(col.parse(raw))
            except FieldError as exc:
                shown = "、".join(normalize(v) for v in raw or ()) if is_list else normalize(raw)
                row.errors.append(CellError(col.header, exc.reason, exc.reason_en, shown, col.key))
        for col in blank:
            for name, value in col.empty_values.items():
                row.values.setdefault(name, value)
        if self.refine is not None:
            self.refine(row.values)
        if self.check is not None and row.ok:
            row.errors.extend(self.check(row.values))
        if row.ok and not row.values.get("code"):
            row.values["code"] = self.derive_code(row.values)
        return row

    def derive_code(self, values: Mapping[str, Any]) -> str:
        """A stable code from the natural key, for rows that come without 编号."""
        key = "\x1f".join(normalize(values.get(k)) for k in self.natural_key)
        return f"{self.code_prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12].upper()}"

    def format(self, record: Any) -> dict[str, Any]:
        """Returns a record's cells by display header, as exports write them."""
        return {col.display_header: col.format(record) for col in self.columns}

    def example_row(self) -> dict[str, str]:
        """The example row written into templates."""
        return {col.display_header: col.example for col in self.columns}
