"""Auction sessions (拍卖会), their lots, registered bidders, bids, results and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from factorlink.db.base import Base, IdMixin, TimestampMixin, UTCDateTime, utcnow

# Money is kept in whole 元 (BigInteger): exact sums and comparisons; the API speaks 万元.
Yuan = BigInteger


class SessionStatus(enum.StrEnum):
    """A session is prepared as a draft, opened to bidders, and closed when every lot is."""

    draft = "draft"
    open = "open"
    closed = "closed"


class BidderStatus(enum.StrEnum):
    """A registration waits for an operator to confirm the deposit."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class AuctionSession(Base, IdMixin, TimestampMixin):
    """An auction session with a schedule, increment bands and anti-sniping minutes."""

    __tablename__ = "auction_sessions"

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[SessionStatus] = mapped_column(
        Enum(SessionStatus, native_enum=False, length=20),
        default=SessionStatus.draft,
        nullable=False,
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    extension_minutes: Mapped[int] = mapped_column(Integer, default=5, nullable=False)
    # [[floor_yuan, step_yuan], …], floors strictly increasing from 0.
    bands: Mapped[list[Any]] = mapped_column(JSON, nullable=False)
    deposit_yuan: Mapped[int] = mapped_column(Yuan, default=0, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The city (code) the session is run in: operators scoped to other cities may not run it.
    # None: the whole region (admins and operators without a scope).
    city: Mapped[str | None] = mapped_column(String(32))
    # What bidders read before they register: 竞买公告, 竞买须知 and how to pay the deposit.
    announcement: Mapped[str | None] = mapped_column(Text)
    rules: Mapped[str | None] = mapped_column(Text)
    deposit_instructions: Mapped[str | None] = mapped_column(Text)
    # When an operator published the results (结果公告); None while unpublished.
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Lot(Base, IdMixin, TimestampMixin):
    """An achievement offered in a session, with its terms and its live state."""

    __tablename__ = "auction_lots"
    __table_args__ = (UniqueConstraint("session_id", "number"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("auction_sessions.id"), index=True, nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    # The achievement as it was offered: the lot keeps its own copy of what was sold.
    achievement_id: Mapped[int | None] = mapped_column(
        ForeignKey("achievements.id", ondelete="SET NULL"), index=True
    )
    achievement_code: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    city: Mapped[str | None] = mapped_column(String(32))
    industry: Mapped[str | None] = mapped_column(String(32))
    start_yuan: Mapped[int] = mapped_column(Yuan, nullable=False)
    reserve_yuan: Mapped[int | None] = mapped_column(Yuan)
    appraised_yuan: Mapped[int | None] = mapped_column(Yuan)  # 评估价, shown to everyone
    deposit_yuan: Mapped[int] = mapped_column(Yuan, default=0, nullable=False)
    single_offer: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    # Live state, changed only under the lot's lock; `version` counts the changes.
    end_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    price_yuan: Mapped[int | None] = mapped_column(Yuan)
    leader_bidder_id: Mapped[int | None] = mapped_column(ForeignKey("auction_bidders.id"))
    leader_label: Mapped[str | None] = mapped_column(String(20))
    leader_max_yuan: Mapped[int | None] = mapped_column(Yuan)
    runner_up_max_yuan: Mapped[int | None] = mapped_column(Yuan)
    bid_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    bidder_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    extension_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Bidder(Base, IdMixin, TimestampMixin):
    """A user registered to bid in a session, for their organisation."""

    __tablename__ = "auction_bidders"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("auction_sessions.id"), index=True, nullable=False
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    status: Mapped[BidderStatus] = mapped_column(
        Enum(BidderStatus, native_enum=False, length=20),
        default=BidderStatus.pending,
        nullable=False,
    )
    deposit_yuan: Mapped[int | None] = mapped_column(Yuan)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    # When the bidder accepted the session's terms (竞买须知) on registering.
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Bid(Base, IdMixin):
    """An accepted bid and the answer given for it (replayed for a retried Idempotency-Key)."""

    __tablename__ = "auction_bids"
    __table_args__ = (UniqueConstraint("bidder_id", "idempotency_key"),)

    lot_id: Mapped[int] = mapped_column(ForeignKey("auction_lots.id"), index=True, nullable=False)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("auction_bidders.id"), nullable=False)
    label: Mapped[str] = mapped_column(String(20), nullable=False)
    max_yuan: Mapped[int] = mapped_column(Yuan, nullable=False)
    price_after_yuan: Mapped[int] = mapped_column(Yuan, nullable=False)
    leading_after: Mapped[bool] = mapped_column(Boolean, nullable=False)
    end_at_after: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    extended: Mapped[bool] = mapped_column(Boolean, nullable=False)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    idempotency_key: Mapped[str] = mapped_column(String(100), nullable=False)
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)


class AuditEntry(Base, IdMixin):
    """One bid attempt or lot event; append-only (the database refuses UPDATE and DELETE)."""

    __tablename__ = "auction_audit"

    # Plain integers, not foreign keys: the log outlives and never cascades with its subjects.
    lot_id: Mapped[int] = mapped_column(Integer, index=True, nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    event: Mapped[str] = mapped_column(String(20), nullable=False)
    user_id: Mapped[int | None] = mapped_column(Integer)
    bidder_id: Mapped[int | None] = mapped_column(Integer)
    bid_id: Mapped[int | None] = mapped_column(Integer)
    amount_yuan: Mapped[int | None] = mapped_column(Yuan)
    price_after_yuan: Mapped[int | None] = mapped_column(Yuan)
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    # The bid the entry is about, for the ORM to fill `bid_id` in when both are written at once.
    bid: Mapped[Bid | None] = relationship(
        primaryjoin="foreign(AuditEntry.bid_id) == Bid.id", viewonly=False, lazy="raise"
    )


class Answer(Base, IdMixin):
    """The answer given to a keyed bid attempt, accepted or refused; append-only.

    A retry with the same Idempotency-Key (per user) and the same bid gets this answer again;
    with another bid, a 409. An accepted attempt points at its bid (the receipt is built from
    it); a refused one keeps its problem (status, code, title, messages, fields).
    """

    __tablename__ = "auction_answers"
    __table_args__ = (UniqueConstraint("user_id", "idempotency_key"),)

    # Plain integers, like the audit log's: an answer outlives its subjects.
    user_id: Mapped[int] = mapped_column(Integer, nullable=False)
    idempotency_key: Mapped[str] = mapped_column(String(100), nullable=False)
    lot_id: Mapped[int] = mapped_column(Integer, nullable=False)
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[int] = mapped_column(Integer, nullable=False)
    bid_id: Mapped[int | None] = mapped_column(Integer)
    problem: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    bid: Mapped[Bid | None] = relationship(
        primaryjoin="foreign(Answer.bid_id) == Bid.id", viewonly=False, lazy="raise"
    )


class LotResult(Base, IdMixin):
    """How a lot ended; one per lot. A sale is settled as a signed introduction."""

    __tablename__ = "auction_results"

    lot_id: Mapped[int] = mapped_column(ForeignKey("auction_lots.id"), unique=True, nullable=False)
    sold: Mapped[bool] = mapped_column(Boolean, nullable=False)
    hammer_yuan: Mapped[int | None] = mapped_column(Yuan)
    premium_yuan: Mapped[int | None] = mapped_column(Yuan)
    winner_bidder_id: Mapped[int | None] = mapped_column(ForeignKey("auction_bidders.id"))
    winner_label: Mapped[str | None] = mapped_column(String(20))
    introduction_id: Mapped[int | None] = mapped_column(
        ForeignKey("introductions.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


def _refuse_change(_mapper: Any, _connection: Any, target: Any) -> None:
    raise PermissionError(f"{type(target).__tablename__} is append-only")


# The ORM refuses too, before the database's triggers would (see migrations 0003 and 0005).
for _model in (Bid, AuditEntry, Answer):
    event.listen(_model, "before_update", _refuse_change)
    event.listen(_model, "before_delete", _refuse_change)
