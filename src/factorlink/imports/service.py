"""Imports and exports of listings, shared by the command line and the API.

An import validates every row, matches it to what is stored (by 编号 or natural key), and
creates, updates or leaves each record alone. It flushes once and never commits: when an
all-or-nothing import finds a bad row it raises, and the unit of work rolls everything back.
A dry run does the same work inside a savepoint that it always rolls back. Each row written
also logs a match change (through the listing service: `matching/live/changes.py`), rolled back
with it.

Rows stream through in batches (`BATCH` rows: read, checked, matched in a few queries, written
and flushed), so memory stays flat however long the file; the report keeps the first errors
only (`ImportLimits.max_errors`). A flush is not a commit: a failed import still writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from itertools import islice
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.errors import Conflict, FactorLinkError, PermissionDenied
from factorlink.imports.checks import CheckedRow, RowChecker, column_for, map_columns
from factorlink.imports.kinds import SERVICES, ImportKind, detect_kind, kind_fits
from factorlink.imports.lookup import StoredRecords, owner_ids, unique_fields
from factorlink.imports.readers import ImportLimits, SourceRow, Table, refuse
from factorlink.imports.report import ImportRejected, ImportReport, RowError
from factorlink.listing.service import ListingService

# Called with the number of steps done: each row is checked, then written (two steps a row).
Progress = Callable[[int], object]
# Rows read, checked, looked up and written together: few queries, little memory.
BATCH = 500


def batches(rows: Iterable[SourceRow], size: int = BATCH) -> Iterator[list[SourceRow]]:
    """The rows in lists of `size`."""
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def same_values(obj: Any, values: Mapping[str, Any]) -> bool:
    """Tells whether a stored record already holds every parsed value."""
    for key, value in values.items():
        if key == "organization_name":
            current = obj.organization.name if obj.organization is not None else None
        else:
            current = getattr(obj, key, None)
        if current != value:
            return False
    return True


def resolve_kind(kind: ImportKind | None, table: Table) -> ImportKind:
    """The kind a file is imported as: the one chosen, or the one its headers fit. A file
    lacking a required column of the chosen kind that fits another is refused naming that
    one (选了“机构”的技术需求文件); a file that fits none names the closest."""
    ranked = kind_fits(table.headers)
    found = detect_kind(table.headers)
    if kind is None:
        if found is not None:
            return found
        best = ranked[0]
        if best.fits:
            both = [f.label for f in ranked if f.fits and f.matched == best.matched]
            raise refuse(
                table.name,
                "无法从表头判断导入类型:表头同时符合"
                + "、".join(f"“{b}”" for b in both)
                + ",请选择导入类型",
                "the headers fit several kinds ("
                + ", ".join(f.kind.value for f in ranked if f.fits and f.matched == best.matched)
                + "); choose the kind",
            )
        missing = "、".join(c.display_header for c in best.missing)
        raise refuse(
            table.name,
            f"无法从表头判断导入类型:最接近“{best.label}”,但缺少必填列:{missing}",
            f"cannot tell the kind from the headers: closest is {best.kind.value}, which "
            "lacks " + ", ".join(f"{c.header} ({c.header_en})" for c in best.missing),
        )
    chosen = next(f for f in ranked if f.kind == kind)
    if not chosen.fits and found is not None and found != kind:
        missing = "、".join(c.display_header for c in chosen.missing)
        label = next(f.label for f in ranked if f.kind == found)
        raise refuse(
            table.name,
            f"这个文件看起来是“{label}”文件(表头与之相符),而导入类型选的是“{chosen.label}”"
            f"(缺少必填列:{missing})。请把导入类型改为“{label}”,或选择“按表头自动识别”",
            f"this looks like a {found.value} file (its headers fit), not {kind.value} "
            f"(missing required column(s): "
            + ", ".join(f"{c.header} ({c.header_en})" for c in chosen.missing)
            + f"); choose {found.value} or let the headers tell",
        )
    return kind


class ImportService:
    """Loads files of listings into the registry and writes them back out."""

    def __init__(
        self, session: Session, viewer: Viewer, limits: ImportLimits | None = None
    ) -> None:
        self.session = session
        self.viewer = viewer
        self.limits = limits or ImportLimits()

    def run(
        self,
        kind: ImportKind | None,
        table: Table,
        *,
        skip_invalid: bool = False,
        dry_run: bool = False,
        source: str | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Imports a table; raises ImportRejected (writing nothing) if all-or-nothing fails.

        Without a kind, the headers tell it (`resolve_kind`). A dry run checks, matches and
        flushes every row as a real run would, then undoes it all.
        """
        self._require_staff()
        detected = kind is None
        kind = resolve_kind(kind, table)
        report = ImportReport(
            table.name,
            kind.value,
            table.format,
            len(table.rows),
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            headers=table.headers,
            max_errors=self.limits.max_errors,
            kind_detected=detected,
        )
        with self._undone() if dry_run else nullcontext():
            self._load(kind, table, report, source, progress)
        return report

    def _load(
        self,
        kind: ImportKind,
        table: Table,
        report: ImportReport,
        source: str | None,
        progress: Progress | None,
    ) -> None:
        listing = SERVICES[kind](self.session, self.viewer)
        columns = map_columns(listing.spec, table)
        report.warnings.extend(columns.warnings)
        checker = RowChecker(listing.spec, table.name, columns, unique_fields(listing))
        stored = StoredRecords(self.session, listing)
        writer = _RowWriter(self, listing, report, stored)
        origin = (source or table.name)[:200]
        for batch in batches(table.rows, BATCH):
            rows = []
            for source_row in batch:
                rows.append(checker.check(source_row))
                if progress is not None:
                    progress(1)
            listing.know_organizations(owner_ids(self.session, rows))
            stored.look_up(rows)
            # Rows are flushed together after each batch; lookups in between need not flush.
            with self.session.no_autoflush:
                for row in rows:
                    if row.ok:
                        writer.write(row, origin)
                    if not row.ok:
                        report.reject(row.source.number, row.source.cells, row.errors)
                    if progress is not None:
                        progress(1)
            self._flush(report)
        if report.failed:
            raise ImportRejected(report)

    @contextmanager
    def _undone(self) -> Iterator[None]:
        """Runs a block inside a savepoint and rolls it back, leaving the caller's work alone."""
        # Only dry runs use a savepoint: SQLite commits when an outermost savepoint is released,
        # which would take a real import's commit away from the unit of work.
        savepoint = self.session.begin_nested()
        try:
            yield
        finally:
            savepoint.rollback()

    def export(self, kind: ImportKind) -> list[dict[str, Any]]:
        """Every listing of a kind as cells keyed by display header, oldest first."""
        self._require_staff()
        listing = SERVICES[kind](self.session, self.viewer)
        return [listing.spec.format(record) for record in listing.repository.all()]

    def _flush(self, report: ImportReport) -> None:
        """Sends a batch's writes (the unit of work commits, or rolls back, all of them)."""
        try:
            self.session.flush()
        except IntegrityError:
            if report.failed:  # already refused for its rows: those are the better answer
                raise ImportRejected(report) from None
            name = report.file
            raise Conflict(
                f"“{name}”与已有记录冲突(唯一字段重复),未写入任何数据",
                message_en=f"{name} clashes with stored records (a unique field); nothing written",
            ) from None

    def _require_staff(self) -> None:
        if not self.viewer.is_staff:
            raise PermissionDenied("仅运营人员可导入导出", message_en="Operators and admins only")


class _RowWriter:
    """Creates, updates or leaves alone the record of one valid row."""

    def __init__(
        self,
        service: ImportService,
        listing: ListingService[Any],
        report: ImportReport,
        stored: StoredRecords,
    ) -> None:
        self.session = service.session
        self.viewer = service.viewer
        self.listing = listing
        self.report = report
        self.stored = stored

    def write(self, row: CheckedRow, origin: str) -> None:
        """Applies one row, or adds the reason it cannot be applied to the row's errors."""
        values = dict(row.values)
        obj = self.stored.find(row)
        if obj is not None:
            earlier = self.stored.claim(obj, row.source.number)
            if earlier is not None:
                row.errors.append(
                    self._error(
                        row,
                        f"与第{earlier}行对应同一条已有记录",
                        f"refers to the same stored record as row {earlier}",
                    )
                )
                return
            if not row.explicit_code:
                values.pop("code")  # matched by natural key: the stored code stays
        # The listing service's own write rule, before anything is compared: a record outside
        # the viewer's reach answers alike whether or not the row equals it (no oracle).
        try:
            self.listing.check_can_change(obj, values)
        except PermissionDenied as exc:
            row.errors.append(
                self._error(row, exc.message, exc.message_en or exc.message, key="city")
            )
            return
        if obj is not None and same_values(obj, values):
            self.report.unchanged += 1
            return
        try:
            # Through the listing service, the one writer of listings: a refused row leaves
            # no trace, and the write goes to the change log the match indexes follow.
            if obj is None:
                self.listing.write_new(values, origin, bulk=True)
                self.report.created += 1
            else:
                self.listing.write_change(obj, values)
                self.report.updated += 1
        except FactorLinkError as exc:
            fields = [str(e["field"]) for e in exc.errors or [] if e.get("field")]
            key = fields[0] if fields and column_for(self.listing.spec, fields[0]) else None
            row.errors.append(self._error(row, exc.message, exc.message_en or exc.message, key))

    def _error(
        self, row: CheckedRow, reason: str, reason_en: str, key: str | None = None
    ) -> RowError:
        col = column_for(self.listing.spec, key) if key else None
        return RowError(
            self.report.file,
            row.source.number,
            col.header if col else None,
            col.header_en if col else None,
            key,
            row.typed_text(key),
            reason,
            reason_en,
        )
