"""Every query of the auctions domain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, tuple_

from factorlink.achievement.models import Achievement
from factorlink.auction.models import (
    Answer,
    AuctionSession,
    AuditEntry,
    Bid,
    Bidder,
    BidderStatus,
    Lot,
    LotResult,
    SessionStatus,
)
from factorlink.kit.repository import Repository
from factorlink.organization.models import Organization


@dataclass(frozen=True, slots=True)
class Registration:
    """What a bid batch needs of a bidder's registration: its id, user and status."""

    id: int
    user_id: int
    status: BidderStatus


class SessionRepository(Repository[AuctionSession]):
    """Auction sessions."""

    model = AuctionSession

    def get_for_update(self, id_: int, *, share: bool = False) -> AuctionSession | None:
        """Gets a session with its row locked until the unit of work ends (PostgreSQL; `share`:
        FOR SHARE, which only excludes writers such as the unit that closes it), re-read."""
        stmt = select(AuctionSession).where(AuctionSession.id == id_)
        stmt = stmt.with_for_update(read=share)
        return self.session.scalars(stmt, execution_options={"populate_existing": True}).first()

    def open_ids(self) -> Sequence[int]:
        """Ids of the open sessions."""
        stmt = select(AuctionSession.id).where(AuctionSession.status == SessionStatus.open)
        return list(self.session.scalars(stmt.order_by(AuctionSession.id)))

    def list_statement(self, statuses: Sequence[SessionStatus]) -> Select[AuctionSession]:
        """Sessions in the given statuses, the soonest first."""
        return (
            select(AuctionSession)
            .where(AuctionSession.status.in_(statuses))
            .order_by(AuctionSession.starts_at.desc(), AuctionSession.id.desc())
        )


class LotRepository(Repository[Lot]):
    """Lots and their live state."""

    model = Lot

    def get_for_update(self, id_: int) -> Lot | None:
        """Gets a lot with its row locked until the unit of work ends (PostgreSQL).

        SQLite ignores FOR UPDATE; its units take the database's write lock up front instead
        (`Database.unit_of_work(immediate=True)`).
        """
        stmt = select(Lot).where(Lot.id == id_).with_for_update()
        return self.session.scalars(stmt, execution_options={"populate_existing": True}).first()

    def with_session_for_update(self, id_: int) -> tuple[Lot, AuctionSession] | None:
        """Gets a lot and its session in one statement, the lot's row locked as
        `get_for_update` locks it."""
        stmt = (
            select(Lot, AuctionSession)
            .join(AuctionSession, AuctionSession.id == Lot.session_id)
            .where(Lot.id == id_)
            .with_for_update(of=Lot)
        )
        options = {"populate_existing": True}
        row = self.session.execute(stmt, execution_options=options).first()
        return None if row is None else (row[0], row[1])

    def of_session(self, session_id: int) -> Sequence[Lot]:
        """The lots of a session, by number."""
        return self.all(select(Lot).where(Lot.session_id == session_id).order_by(Lot.number))

    def counts(self, session_ids: Sequence[int]) -> dict[int, int]:
        """How many lots each of several sessions has, by session id (absent: none)."""
        if not session_ids:
            return {}
        stmt = (
            select(Lot.session_id, func.count())
            .where(Lot.session_id.in_(session_ids))
            .group_by(Lot.session_id)
        )
        return {int(session_id): int(n) for session_id, n in self.session.execute(stmt)}

    def achievement(self, id_: int | None, code: str | None) -> Achievement | None:
        """The achievement a new lot offers, by id or by code (编号)."""
        if id_ is not None:
            return self.session.get(Achievement, id_)
        return self.session.scalars(select(Achievement).where(Achievement.code == code)).first()

    def next_number(self, session_id: int) -> int:
        """The number the next lot of a session gets."""
        stmt = select(func.coalesce(func.max(Lot.number), 0)).where(Lot.session_id == session_id)
        return int(self.session.scalar(stmt) or 0) + 1

    def has_achievement(self, session_id: int, achievement_id: int) -> bool:
        """Tells whether an achievement is already a lot of the session."""
        stmt = select(Lot.id).where(
            Lot.session_id == session_id, Lot.achievement_id == achievement_id
        )
        return self.session.scalar(stmt) is not None

    def due(self, session_id: int | None = None) -> Sequence[int]:
        """Ids of lots not yet closed, whatever their end (the caller checks the time)."""
        stmt = select(Lot.id).where(Lot.closed_at.is_(None)).order_by(Lot.id)
        if session_id is not None:
            stmt = stmt.where(Lot.session_id == session_id)
        return list(self.session.scalars(stmt))

    def version(self, id_: int) -> tuple[int, bool, SessionStatus] | None:
        """A lot's change counter, whether it is closed, and its session's status (which opens
        its bidding): in one statement, what live listeners poll to learn of a change."""
        stmt = (
            select(Lot.version, Lot.closed_at, AuctionSession.status)
            .join(AuctionSession, AuctionSession.id == Lot.session_id)
            .where(Lot.id == id_)
        )
        row = self.session.execute(stmt).first()
        return None if row is None else (int(row[0]), row[1] is not None, row[2])


class BidderRepository(Repository[Bidder]):
    """Registrations of bidders."""

    model = Bidder

    def of_user(self, session_id: int, user_id: int) -> Bidder | None:
        """A user's registration for a session."""
        return self.get_by(session_id=session_id, user_id=user_id)

    def organization_names(self, bidder_ids: Sequence[int]) -> dict[int, str]:
        """The names of the organisations several bidders bid for, by bidder id."""
        if not bidder_ids:
            return {}
        stmt = (
            select(Bidder.id, Organization.name)
            .join(Organization, Bidder.organization_id == Organization.id)
            .where(Bidder.id.in_(bidder_ids))
        )
        return {int(bidder_id): name for bidder_id, name in self.session.execute(stmt)}

    def of_users(self, session_id: int, user_ids: Sequence[int]) -> dict[int, Bidder]:
        """Several users' registrations for a session, by user id."""
        if not user_ids:
            return {}
        stmt = select(Bidder).where(Bidder.session_id == session_id, Bidder.user_id.in_(user_ids))
        return {b.user_id: b for b in self.session.scalars(stmt)}

    def registrations_of(self, session_id: int, user_ids: Sequence[int]) -> dict[int, Registration]:
        """Several users' registrations for a session, by user id: what deciding their bids
        reads of them (id and status), columns only, not the mapped rows."""
        if not user_ids:
            return {}
        stmt = select(Bidder.id, Bidder.user_id, Bidder.status).where(
            Bidder.session_id == session_id, Bidder.user_id.in_(user_ids)
        )
        return {
            int(user_id): Registration(int(id_), int(user_id), status)
            for id_, user_id, status in self.session.execute(stmt)
        }

    def of_session(self, session_id: int) -> Sequence[Bidder]:
        """Every registration of a session, in order of arrival."""
        return self.all(select(Bidder).where(Bidder.session_id == session_id).order_by(Bidder.id))


class BidRepository(Repository[Bid]):
    """Accepted bids (append-only)."""

    model = Bid

    def by_key(self, bidder_id: int, key: str) -> Bid | None:
        """The bid a bidder sent with an Idempotency-Key, if any."""
        return self.get_by(bidder_id=bidder_id, idempotency_key=key)

    def label_of(self, lot_id: int, bidder_id: int) -> str | None:
        """The label a bidder already has on a lot."""
        stmt = select(Bid.label).where(Bid.lot_id == lot_id, Bid.bidder_id == bidder_id).limit(1)
        return self.session.scalar(stmt)

    def labels_of(self, lot_id: int, bidder_ids: Sequence[int]) -> dict[int, str]:
        """The labels several bidders already have on a lot, by bidder id."""
        if not bidder_ids:
            return {}
        stmt = (
            select(Bid.bidder_id, Bid.label)
            .where(Bid.lot_id == lot_id, Bid.bidder_id.in_(bidder_ids))
            .distinct()
        )
        return {int(bidder_id): label for bidder_id, label in self.session.execute(stmt)}

    def of_lot(self, lot_id: int, *, newest_first: bool = False) -> Sequence[Bid]:
        """A lot's bids, in the order they were accepted (or the reverse)."""
        order = Bid.id.desc() if newest_first else Bid.id
        return self.all(select(Bid).where(Bid.lot_id == lot_id).order_by(order))

    def last_by_bidder(self, lot_id: int, bidder_ids: Sequence[int]) -> dict[int, Bid]:
        """Several bidders' latest bids on a lot, by bidder id (absent: no bid)."""
        if not bidder_ids:
            return {}
        latest = (
            select(func.max(Bid.id))
            .where(Bid.lot_id == lot_id, Bid.bidder_id.in_(bidder_ids))
            .group_by(Bid.bidder_id)
        )
        return {b.bidder_id: b for b in self.session.scalars(select(Bid).where(Bid.id.in_(latest)))}

    def last_of_lots(self, lot_ids: Sequence[int], bidder_id: int) -> dict[int, Bid]:
        """A bidder's latest bid on each of several lots, by lot id (absent: no bid)."""
        if not lot_ids:
            return {}
        latest = (
            select(func.max(Bid.id))
            .where(Bid.bidder_id == bidder_id, Bid.lot_id.in_(lot_ids))
            .group_by(Bid.lot_id)
        )
        return {b.lot_id: b for b in self.session.scalars(select(Bid).where(Bid.id.in_(latest)))}


class AnswerRepository(Repository[Answer]):
    """Answers given to keyed bid attempts (append-only)."""

    model = Answer

    def by_key(self, user_id: int, key: str) -> Answer | None:
        """The answer a user was given for an Idempotency-Key, if any."""
        return self.get_by(user_id=user_id, idempotency_key=key)

    def earlier_by_keys(
        self, pairs: Sequence[tuple[int, str]]
    ) -> dict[tuple[int, str], tuple[str, int | None, dict[str, Any] | None]]:
        """What was answered to several (user id, Idempotency-Key) pairs, by pair: the request
        hash, the bid id (accepted) and the problem (refused), columns only."""
        if not pairs:
            return {}
        stmt = select(
            Answer.user_id,
            Answer.idempotency_key,
            Answer.request_hash,
            Answer.bid_id,
            Answer.problem,
        ).where(tuple_(Answer.user_id, Answer.idempotency_key).in_(pairs))
        return {
            (user, key): (digest, bid, problem)
            for user, key, digest, bid, problem in self.session.execute(stmt)
        }


class AuditRepository(Repository[AuditEntry]):
    """The append-only audit log."""

    model = AuditEntry

    def of_lot(self, lot_id: int) -> Sequence[AuditEntry]:
        """A lot's audit entries, oldest first."""
        stmt = select(AuditEntry).where(AuditEntry.lot_id == lot_id).order_by(AuditEntry.id)
        return self.all(stmt)


class ResultRepository(Repository[LotResult]):
    """Lot results."""

    model = LotResult

    def of_lot(self, lot_id: int) -> LotResult | None:
        """The result of a lot, once closed."""
        return self.get_by(lot_id=lot_id)

    def of_lots(self, lot_ids: Sequence[int]) -> dict[int, LotResult]:
        """Results of several lots, by lot id."""
        if not lot_ids:
            return {}
        rows = self.session.scalars(select(LotResult).where(LotResult.lot_id.in_(lot_ids)))
        return {r.lot_id: r for r in rows}
