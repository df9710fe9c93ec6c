"""Queries for carriers' photos."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, func, or_, select

from factorlink.kit.repository import Repository
from factorlink.photo.models import CarrierPhoto


class PhotoRepository(Repository[CarrierPhoto]):
    """The photos of carriers, in their order."""

    model = CarrierPhoto

    def of(self, carrier_id: int) -> Sequence[CarrierPhoto]:
        """A carrier's photos, the cover first."""
        stmt = (
            select(CarrierPhoto)
            .where(CarrierPhoto.carrier_id == carrier_id)
            .order_by(CarrierPhoto.position, CarrierPhoto.id)
        )
        return self.session.scalars(stmt).all()

    def covers(self, carrier_ids: Iterable[int]) -> dict[int, CarrierPhoto]:
        """The cover of each of these carriers that has photos, in one query."""
        ids = sorted(set(carrier_ids))
        if not ids:
            return {}
        stmt = select(CarrierPhoto).where(
            CarrierPhoto.carrier_id.in_(ids), CarrierPhoto.position == 0
        )
        return {p.carrier_id: p for p in self.session.scalars(stmt)}

    def counts(self, carrier_ids: Iterable[int]) -> dict[int, int]:
        """How many photos each of these carriers has (those with none left out)."""
        ids = sorted(set(carrier_ids))
        if not ids:
            return {}
        stmt = (
            select(CarrierPhoto.carrier_id, func.count())
            .where(CarrierPhoto.carrier_id.in_(ids))
            .group_by(CarrierPhoto.carrier_id)
        )
        return {int(cid): int(n) for cid, n in self.session.execute(stmt)}


def hashes_in_use(connection: Connection, hashes: set[str]) -> set[str]:
    """Which of these file hashes a committed photo row still names (display or thumbnail)."""
    if not hashes:
        return set()
    table = CarrierPhoto.__table__
    wanted = sorted(hashes)
    rows = connection.execute(
        select(table.c.display_sha256, table.c.thumb_sha256).where(
            or_(table.c.display_sha256.in_(wanted), table.c.thumb_sha256.in_(wanted))
        )
    )
    used: set[str] = set()
    for display, thumb in rows:
        used.update((display, thumb))
    return used & hashes
