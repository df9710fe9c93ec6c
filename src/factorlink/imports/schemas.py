"""API shapes of an import report."""

from __future__ import annotations

from pydantic import BaseModel


class RowErrorOut(BaseModel):
    """One reason a row was rejected."""

    file: str
    row: int | None
    column: str | None
    column_en: str | None
    field: str | None
    value: str
    reason: str
    reason_en: str


class NoticeOut(BaseModel):
    """A warning that did not stop the import."""

    reason: str
    reason_en: str


class ImportReportOut(BaseModel):
    """What an import did (or, on a dry run, would do)."""

    file: str
    kind: str
    kind_detected: bool = False  # true when the kind was told by the file's headers
    format: str
    rows: int
    skip_invalid: bool
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[RowErrorOut]
    errors_omitted: int = 0  # errors past the first FACTORLINK_IMPORT_MAX_ERRORS, not listed
    warnings: list[NoticeOut]
    rejected_file: str | None = None
