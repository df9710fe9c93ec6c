"""What an import did: counts, the rejected rows with their reasons, and warnings (pure).

A report keeps the first `max_errors` errors and rejected rows, and counts the rest: a file of
100,000 bad rows answers with a thousand reasons and the number of the others, not with all.
"""

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
    max_errors: int = 1_000
    rejected: int = 0  # how many rows were not loaded
    errors_omitted: int = 0  # errors past the first max_errors, counted but not kept
    kind_detected: bool = False  # the kind was told by the headers, not chosen

    @property
    def rejected_omitted(self) -> int:
        """Rejected rows past the first max_errors, not kept (nor in a rejected-row file)."""
        return self.rejected - len(self.rejected_rows)

    @property
    def failed(self) -> bool:
        """An all-or-nothing import with any bad row writes nothing."""
        return bool(self.rejected_rows) and not self.skip_invalid

    def reject(self, number: int, cells: tuple[Any, ...], errors: list[RowError]) -> None:
        """Records a row that will not be loaded; past max_errors it is only counted."""
        self.rejected += 1
        room = max(self.max_errors - len(self.errors), 0)
        self.errors.extend(errors[:room])
        self.errors_omitted += max(len(errors) - room, 0)
        if len(self.rejected_rows) < self.max_errors:
            self.rejected_rows.append(RejectedRow(number, cells, tuple(errors)))

    def omitted(self) -> Notice | None:
        """What the report left out past max_errors, if anything."""
        if not self.errors_omitted and not self.rejected_omitted:
            return None
        more, kept, rows, total = (
            self.errors_omitted,
            len(self.errors),
            len(self.rejected_rows),
            self.rejected,
        )
        return Notice(
            f"另有{more}条错误未列出(报告只保留前{kept}条);有误的行共{total}行,"
            f"未导入行文件只含前{rows}行。修改原文件后重新导入即可(未变的行不会重复写入)",
            f"{more} more error(s) not listed (a report keeps the first {kept}); of {total} "
            f"rejected rows the rejected-rows file holds the first {rows}. Fix the original file "
            "and import it again (unchanged rows are not written twice)",
        )

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
            "kind_detected": self.kind_detected,
            "format": self.format,
            "rows": self.rows,
            "skip_invalid": self.skip_invalid,
            "dry_run": self.dry_run,
            **self.counts(),
            "errors": [e.to_dict() for e in self.errors],
            "errors_omitted": self.errors_omitted,
            "warnings": [w.to_dict() for w in self.warnings],
            "rejected_file": self.rejected_file,
        }


class ImportRejected(InvalidInput):
    """An all-or-nothing import found bad rows, so nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        rows = report.rejected
        more, more_en = omitted_note(report)
        # A dry run is a check: it did not fail to import, it found what to fix.
        head, head_en = (
            ("检查未通过(试运行)", "Check found errors (dry run)")
            if report.dry_run
            else ("导入失败", "Import rejected")
        )
        super().__init__(
            f"{head}:“{report.file}”中有{rows}行数据有误,未写入任何数据{more}",
            message_en=f"{head_en}: {rows} invalid row(s) in {report.file}; "
            f"nothing written{more_en}",
            errors=[e.to_dict() for e in report.errors],
        )
        self.report = report


def omitted_note(report: ImportReport) -> tuple[str, str]:
    """What a report says of the errors it did not keep (empty when it kept them all)."""
    if not report.errors_omitted:
        return "", ""
    kept, more = len(report.errors), report.errors_omitted
    return (
        f"(仅列出前{kept}条错误,另有{more}条未列出)",
        f" (the first {kept} errors are listed, {more} more are not)",
    )
