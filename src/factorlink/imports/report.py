"""What an import did: counts, every rejected row with its reasons, and warnings (pure)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from factorlink.errors import InvalidInput


@dataclass(frozen=True)
class RowError:
    """One reason a row was rejected, located as the operator sees the file."""

    file: str
    row: int | None
    column: str | None
    column_en: str | None
    field: str | None
    value: str
    reason: str
    reason_en: str

    def to_dict(self) -> dict[str, Any]:
        """The error as the API and problem details show it."""
        return asdict(self)

    def describe(self) -> str:
        """A one-line Chinese description, for the 错误原因 column of rejected files."""
        return f"{self.column}: {self.reason}" if self.column else self.reason

    def describe_en(self) -> str:
        """A one-line English description."""
        return f"{self.column_en}: {self.reason_en}" if self.column_en else self.reason_en


@dataclass(frozen=True)
class Notice:
    """A warning that does not stop the import (unknown columns, skipped example rows)."""

    reason: str
    reason_en: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class RejectedRow:
    """A rejected row: its number, its original cells, and why."""

    number: int
    cells: tuple[Any, ...]
    errors: tuple[RowError, ...]


@dataclass
class ImportReport:
    """The outcome of importing one file."""

    file: str
    kind: str
    format: str
    rows: int
    skip_invalid: bool = False
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    headers: tuple[str, ...] = ()
    errors: list[RowError] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    rejected_rows: list[RejectedRow] = field(default_factory=list)
    rejected_file: str | None = None

    @property
    def rejected(self) -> int:
        """How many rows were not loaded."""
        return len(self.rejected_rows)

    @property
    def failed(self) -> bool:
        """An all-or-nothing import with any bad row writes nothing."""
        return bool(self.rejected_rows) and not self.skip_invalid

    def reject(self, number: int, cells: tuple[Any, ...], errors: list[RowError]) -> None:
        """Records a row that will not be loaded."""
        self.errors.extend(errors)
        self.rejected_rows.append(RejectedRow(number, cells, tuple(errors)))

    def counts(self) -> dict[str, int]:
        """The row counts by outcome."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    def to_dict(self) -> dict[str, Any]:
        """The report as the API returns it."""
        return {
            "file": self.file,
            "kind": self.kind,
            "format": self.format,
            "rows": self.rows,
            "skip_invalid": self.skip_invalid,
            "dry_run": self.dry_run,
            **self.counts(),
            "errors": [e.to_dict() for e in self.errors],
            "warnings": [w.to_dict() for w in self.warnings],
            "rejected_file": self.rejected_file,
        }


class ImportRejected(InvalidInput):
    """An all-or-nothing import found bad rows, so nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        rows = report.rejected
        super().__init__(
            f"导入失败:“{report.file}”中有{rows}行数据有误,未写入任何数据",
            message_en=f"Import rejected: {rows} invalid row(s) in {report.file}; nothing written",
            errors=[e.to_dict() for e in report.errors],
        )
        self.report = report
