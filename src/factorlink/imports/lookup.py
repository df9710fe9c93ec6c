"""Finding the stored record each row of a file refers to, in a few batched queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from factorlink.imports.checks import CheckedRow
from factorlink.imports.repository import OrganizationLookup
from factorlink.listing.service import ListingService
from factorlink.organization.service import OrganizationService


def unique_fields(listing: ListingService[Any]) -> tuple[str, ...]:
    """The fields the table keeps unique besides the code (an organisation's name, credit code)."""
    columns = inspect(listing.model).columns
    return tuple(c.key for c in columns if c.unique and c.key != "code")


def owner_ids(session: Session, rows: Sequence[CheckedRow]) -> dict[str, int]:
    """The stored organisations the rows name as owners, by name, in one batched lookup."""
    names = (r.values.get("organization_name") or "" for r in rows if r.ok)
    return {name: org.id for name, org in OrganizationLookup(session).by_names(names).items()}


class StoredRecords:
    """The records a file's rows match: by 编号, and for organisations by credit code or name.

    Looked up a batch of rows at a time (`look_up`); which row took which record is remembered
    across the batches of one file."""

    def __init__(self, session: Session, listing: ListingService[Any]) -> None:
        self.session = session
        self.listing = listing
        self.by_code: dict[str, Any] = {}
        self.by_credit: dict[str, Any] = {}
        self.by_name: dict[str, Any] = {}
        self._claimed: dict[int, int] = {}

    def look_up(self, rows: Sequence[CheckedRow]) -> None:
        """Finds the stored records of a batch of rows (forgetting the previous batch's)."""
        session, listing = self.session, self.listing
        valid = [r.values for r in rows if r.ok]
        self.by_code = listing.repository.by_codes([v["code"] for v in valid])
        self.by_credit, self.by_name = {}, {}
        if isinstance(listing, OrganizationService):
            # An organisation is known by its credit code, then its name, whatever code it got.
            lookup = OrganizationLookup(session)
            self.by_credit = lookup.by_credit_codes(v.get("credit_code") or "" for v in valid)
            self.by_name = lookup.by_names(v.get("name") or "" for v in valid)

    def find(self, row: CheckedRow) -> Any | None:
        """The stored record this row refers to, if any."""
        values = row.values
        return (
            self.by_credit.get(values.get("credit_code") or "")
            or self.by_name.get(values.get("name") or "")
            or self.by_code.get(values["code"])
        )

    def claim(self, obj: Any, number: int) -> int | None:
        """Marks a record as taken by a row; returns the earlier row that took it, if one did."""
        earlier = self._claimed.setdefault(obj.id, number)
        return earlier if earlier != number else None
