"""The bid path: one locked unit of work decides, stores and audits a batch of attempts.

Each attempt carries the time the server received it (`BidRequest.received_at`, stamped at the
edge); the rules judge it against the lot's end as it stands, which only ever moves later, so a
bid that waited for the lock is judged as if decided on arrival. The caller opens the unit with
the write lock taken up front (SQLite: BEGIN IMMEDIATE; PostgreSQL: `BidBatch` locks the lot
row) and commits it before answering. Every attempt of a known user is stored with its answer
(`Answer`), refused ones too, so a retry with the same Idempotency-Key gets the same answer and
the same key with another bid a 409. A refused attempt is returned rather than raised, so its
audit entry and answer are committed too.

A batch reads what it needs in a few statements for all its bids (tokens and their users,
earlier answers, registrations, labels), checks each token as `auth.service` does without
reading it again, and writes at its end (`BidBatch.write`): the bids in one statement (their ids
read back), then the answers and audit entries as one executemany each, not a statement per
row. Lookups see what the batch itself decided through its own maps (answers by key, labels by
bidder).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from factorlink.auction import rules
from factorlink.auction.clock import Clock, system_clock
from factorlink.auction.closing import close_if_due, close_sold_outright, is_closable
from factorlink.auction.models import (
    Answer,
    AuctionSession,
    AuditEntry,
    Bid,
    BidderStatus,
    Lot,
    SessionStatus,
)
from factorlink.auction.money import wan_text
from factorlink.auction.repository import (
    AnswerRepository,
    AuditRepository,
    BidderRepository,
    BidRepository,
    LotRepository,
    Registration,
)
from factorlink.auction.terms import lot_state, lot_terms, store_state
from factorlink.auth import access
from factorlink.auth.service import viewer_for_token, viewers_for_tokens
from factorlink.auth.viewer import Viewer
from factorlink.errors import (
    Conflict,
    FactorLinkError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)


@dataclass(frozen=True)
class BidRequest:
    """One bid as received: who (bearer token), where, how much, its key and when it came."""

    token: str | None
    lot_id: int
    amount_yuan: int
    key: str
    received_at: datetime


@dataclass(slots=True)
class NewBid:
    """A bid this batch accepted, as `write` stores it (a row of `Bid`; its id once written):
    a plain record, cheaper to make than the mapped row the session would track."""

    lot_id: int
    bidder_id: int
    label: str
    max_yuan: int
    price_after_yuan: int
    leading_after: bool
    end_at_after: datetime
    extended: bool
    placed_at: datetime
    idempotency_key: str
    request_hash: str
    id: int = 0


@dataclass(frozen=True)
class Attempt:
    """The outcome of one bid request: the bid (stored before, or new), or why it was
    refused."""

    bid: Bid | NewBid | None = None
    refusal: FactorLinkError | None = None
    replayed: bool = False


@dataclass(frozen=True)
class Earlier:
    """The answer already given to a key: stored (bid id) or given in this batch (the bid)."""

    request_hash: str
    bid_id: int | None
    bid: NewBid | None
    problem: dict[str, Any] | None


class StoredRefusal(FactorLinkError):
    """A refusal as it was stored with its attempt, given again to a retry."""

    def __init__(self, problem: dict[str, Any]) -> None:
        super().__init__(
            problem["message"],
            message_en=problem.get("message_en"),
            errors=problem.get("errors") or None,
            headers={**problem.get("headers", {}), "Idempotent-Replayed": "true"},
        )
        self.status = int(problem["status"])
        self.code = str(problem["code"])
        self.title = str(problem["title"])


def request_hash(lot_id: int, amount_yuan: int) -> str:
    """What a retry must repeat exactly to be the same bid."""
    return hashlib.sha256(f"{lot_id}:{amount_yuan}".encode()).hexdigest()


def problem_of(error: FactorLinkError) -> dict[str, Any]:
    """A refusal as stored with its answer."""
    return {
        "status": error.status,
        "code": error.code,
        "title": error.title,
        "message": error.message,
        "message_en": error.message_en,
        "errors": error.errors,
        "headers": error.headers,
    }


def key_reused() -> Conflict:
    """The answer to a key sent again with another bid."""
    return Conflict(
        "该 Idempotency-Key 已用于另一笔出价;新的出价请换一个新的 Key",
        message_en="this Idempotency-Key was used for a different bid; use a new key",
        errors=[
            {
                "field": "Idempotency-Key",
                "reason": "已用于另一笔出价",
                "reason_en": "already used for a different bid",
            }
        ],
    )


class BidBatch:
    """Places the bids of one locked unit of work, in the order given."""

    def __init__(
        self,
        session: Session,
        clock: Clock = system_clock,
        labels: dict[tuple[int, int], str] | None = None,
    ) -> None:
        self.session = session
        # Labels given in committed units, by (lot, bidder): a bidder's label on a lot never
        # changes once stored (bids are append-only), so batches of one process share what
        # they learnt (`labels`, see `remember_labels`) and read only the bidders new to it.
        self.known_labels = labels if labels is not None else {}
        self.clock = clock
        self.lots = LotRepository(session)
        self.bids = BidRepository(session)
        self.audit = AuditRepository(session)
        self.answers = AnswerRepository(session)
        self._lots: dict[int, tuple[Lot, AuctionSession] | None] = {}
        self._bidders: dict[tuple[int, int], Registration | None] = {}
        self._labels: dict[tuple[int, int], str | None] = {}
        self._answered: dict[tuple[int, str], Earlier | None] = {}
        self._viewers: dict[str, Viewer | NotAuthenticated] = {}  # by token, checked at once
        self._terms: dict[int, rules.Terms] = {}  # by lot: fixed once bidding starts
        # What `write` stores: the accepted bids, and answers and audit entries with their bid.
        self._bids: list[NewBid] = []
        self._answers: list[tuple[dict[str, Any], NewBid | None]] = []
        self._entries: list[tuple[dict[str, Any], Bid | NewBid | None]] = []

    def prefetch(self, requests: Sequence[BidRequest]) -> None:
        """Reads what deciding the requests needs in a few statements for the whole batch
        (their tokens and users, earlier answers to their keys, registrations and labels on
        their lot), instead of several statements per bid."""
        with self.session.no_autoflush:
            self._viewers.update(
                viewers_for_tokens(self.session, {r.token or "" for r in requests})
            )
            users = {
                t: v.user_id if isinstance(v, Viewer) else None for t, v in self._viewers.items()
            }
            pairs = sorted(
                {(u, r.key) for r in requests if r.token and (u := users[r.token]) is not None}
            )
            stored = self.answers.earlier_by_keys(pairs)
            for pair in pairs:
                earlier = stored.get(pair)
                if earlier is None:
                    self._answered[pair] = None
                else:
                    hashed, bid_id, problem = earlier
                    self._answered[pair] = Earlier(hashed, bid_id, None, problem)
            for lot_id in {r.lot_id for r in requests}:
                found = self._lot(lot_id)
                if found is None:
                    continue
                user_ids = sorted({u for u in users.values() if u is not None})
                registered = BidderRepository(self.session).registrations_of(found[1].id, user_ids)
                for user_id in user_ids:
                    self._bidders[found[1].id, user_id] = registered.get(user_id)
                known = self.known_labels
                bidder_ids = [b.id for b in registered.values() if (lot_id, b.id) not in known]
                labels = self.bids.labels_of(lot_id, bidder_ids)
                for bidder_id in bidder_ids:
                    self._labels[lot_id, bidder_id] = labels.get(bidder_id)

    def place(self, request: BidRequest) -> Attempt:
        """Decides one bid; the batch's session holds what to write."""
        with self.session.no_autoflush:
            try:
                viewer = self._viewer(request.token)
                user_id = access.require_user(viewer)
            except FactorLinkError as exc:
                return Attempt(refusal=exc)  # no user: nothing to key an answer to
            return self._place(user_id, request)

    def _place(self, user_id: int, request: BidRequest) -> Attempt:
        found = self._lot(request.lot_id)
        digest = request_hash(request.lot_id, request.amount_yuan)
        earlier = self._earlier(user_id, request.key)
        if earlier is not None:
            return self._replay(found, user_id, earlier, digest, request)
        if found is None:
            lot_id = request.lot_id
            missing = NotFound(f"拍品{lot_id}不存在", message_en=f"lot {lot_id} not found")
            self._answer(user_id, request, digest, refusal=missing)
            return Attempt(refusal=missing)
        lot, auction = found
        bidder = self._bidder(auction.id, user_id)
        now = self.clock()
        if is_closable(lot, now):
            close_if_due(self.session, lot, auction, now, user_id)
        # A closed lot refuses as closed, whoever bids; otherwise admission comes first.
        admission = _admission(auction, bidder) if lot.closed_at is None else None
        if admission is not None:
            code, refusal = admission
            return self._refuse(lot, bidder, user_id, request, digest, refusal, code)
        try:
            bidder_id = bidder.id if bidder is not None else 0
            state = rules.place(
                self._terms_of(lot, auction),
                lot_state(lot),
                bidder_id,
                request.amount_yuan,
                request.received_at,
            )
        except rules.Refusal as exc:
            return self._refuse(lot, bidder, user_id, request, digest, _error(exc), exc.code)
        assert bidder is not None  # admitted
        bid = self._accept(lot, bidder, state, request, digest)
        self._answer(user_id, request, digest, bid=bid)
        if state.closed:
            close_sold_outright(self.session, lot, auction, request.received_at, user_id)
        return Attempt(bid=bid)

    def _viewer(self, token: str | None) -> Viewer:
        # The batch checked its tokens at once, as auth.service checks one (unknown, revoked or
        # expired: refused; their use noted).
        if token and token in self._viewers:
            found = self._viewers[token]
            if isinstance(found, NotAuthenticated):
                raise found
            return found
        return viewer_for_token(self.session, token)

    def _terms_of(self, lot: Lot, auction: AuctionSession) -> rules.Terms:
        if lot.id not in self._terms:
            self._terms[lot.id] = lot_terms(lot, auction)
        return self._terms[lot.id]

    def _lot(self, lot_id: int) -> tuple[Lot, AuctionSession] | None:
        if lot_id not in self._lots:
            found = self.lots.with_session_for_update(lot_id)
            if found is not None and found[1].status == SessionStatus.draft:
                found = None
            self._lots[lot_id] = found
        return self._lots[lot_id]

    def _bidder(self, session_id: int, user_id: int) -> Registration | None:
        if (session_id, user_id) not in self._bidders:
            found = BidderRepository(self.session).registrations_of(session_id, [user_id])
            self._bidders[session_id, user_id] = found.get(user_id)
        return self._bidders[session_id, user_id]

    def _earlier(self, user_id: int, key: str) -> Earlier | None:
        if (user_id, key) not in self._answered:
            stored = self.answers.by_key(user_id, key)
            self._answered[user_id, key] = None if stored is None else _earlier_of(stored)
        return self._answered[user_id, key]

    def _label(self, lot: Lot, bidder: Registration) -> str:
        if (lot.id, bidder.id) not in self._labels:
            known = self.known_labels.get((lot.id, bidder.id))
            found = known if known is not None else self.bids.label_of(lot.id, bidder.id)
            self._labels[lot.id, bidder.id] = found
        label = self._labels[lot.id, bidder.id]
        if label is None:
            label = rules.bidder_label(lot.bidder_count)
            lot.bidder_count += 1
            self._labels[lot.id, bidder.id] = label
        return label

    def _accept(
        self, lot: Lot, bidder: Registration, state: rules.State, request: BidRequest, digest: str
    ) -> NewBid:
        label = self._label(lot, bidder)
        extended = state.end_at != lot.end_at
        store_state(lot, state)
        lot.leader_label = label if state.leader == bidder.id else lot.leader_label
        assert state.price is not None
        bid = NewBid(
            lot_id=lot.id,
            bidder_id=bidder.id,
            label=label,
            max_yuan=request.amount_yuan,
            price_after_yuan=state.price,
            leading_after=state.leader == bidder.id,
            end_at_after=state.end_at,
            extended=extended,
            placed_at=request.received_at,
            idempotency_key=request.key,
            request_hash=digest,
        )
        self._bids.append(bid)
        self._log(lot, bidder, bidder.user_id, request, "accepted", bid=bid)
        return bid

    def _replay(
        self,
        found: tuple[Lot, AuctionSession] | None,
        user_id: int,
        earlier: Earlier,
        digest: str,
        request: BidRequest,
    ) -> Attempt:
        lot = found[0] if found else None
        bidder = self._bidder(found[1].id, user_id) if found else None
        if earlier.request_hash != digest:
            refusal = key_reused()
            if lot is not None:
                self._log(lot, bidder, user_id, request, "rejected", "key_reused", refusal)
            return Attempt(refusal=refusal)
        bid: Bid | NewBid | None = earlier.bid
        if bid is None and earlier.bid_id is not None:
            bid = self.session.get(Bid, earlier.bid_id)
        if lot is not None:
            self._log(lot, bidder, user_id, request, "replayed", bid=bid)
        if bid is not None:
            return Attempt(bid=bid, replayed=True)
        assert earlier.problem is not None
        return Attempt(refusal=StoredRefusal(earlier.problem), replayed=True)

    def _refuse(
        self,
        lot: Lot,
        bidder: Registration | None,
        user_id: int,
        request: BidRequest,
        digest: str,
        refusal: FactorLinkError,
        code: str,
    ) -> Attempt:
        self._log(lot, bidder, user_id, request, "rejected", code, refusal)
        self._answer(user_id, request, digest, refusal=refusal)
        return Attempt(refusal=refusal)

    def _answer(
        self,
        user_id: int,
        request: BidRequest,
        digest: str,
        *,
        bid: NewBid | None = None,
        refusal: FactorLinkError | None = None,
    ) -> None:
        problem = problem_of(refusal) if refusal is not None else None
        answer = {
            "user_id": user_id,
            "idempotency_key": request.key,
            "lot_id": request.lot_id,
            "request_hash": digest,
            "status": 201 if refusal is None else refusal.status,
            "problem": problem,
            "at": request.received_at,
        }
        self._answers.append((answer, bid))
        self._answered[user_id, request.key] = Earlier(digest, None, bid, problem)

    def _log(
        self,
        lot: Lot,
        bidder: Registration | None,
        user_id: int,
        request: BidRequest,
        event: str,
        code: str | None = None,
        reason: FactorLinkError | None = None,
        *,
        bid: Bid | NewBid | None = None,
    ) -> None:
        entry = {
            "lot_id": lot.id,
            "at": request.received_at,
            "event": event,
            "user_id": user_id,
            "bidder_id": bidder.id if bidder else None,
            "amount_yuan": request.amount_yuan,
            "price_after_yuan": lot.price_yuan,
            "idempotency_key": request.key,
            "reason_code": code,
            "reason": reason.message if reason else None,
        }
        self._entries.append((entry, bid))

    def remember_labels(self) -> None:
        """Adds the labels this batch read or gave to `known_labels`: called once its unit
        has committed (a label of a unit rolled back was never given)."""
        for key, label in self._labels.items():
            if label is not None:
                self.known_labels[key] = label

    def write(self) -> None:
        """Writes what the batch decided: its bids in one statement (a row of VALUES each, their
        ids read back and matched by bidder and key, which are unique), then the answers and
        audit entries that name them, one executemany each, rather than a statement per row as
        the ORM's flush would. Called once, before the commit."""
        if self._bids:
            table = _table(Bid)
            rows = [{c: getattr(b, c) for c in _BID_COLUMNS} for b in self._bids]
            # An executemany with RETURNING: SQLAlchemy sends it as one INSERT of many VALUES
            # rows ("insertmanyvalues"), in an order of its own, hence the matching.
            stmt = insert(table).returning(table.c.id, table.c.bidder_id, table.c.idempotency_key)
            result = self.session.execute(stmt, rows)
            ids = {(bidder, key): id_ for id_, bidder, key in result}
            for bid in self._bids:
                bid.id = ids[bid.bidder_id, bid.idempotency_key]
        for model, pending in ((Answer, self._answers), (AuditEntry, self._entries)):
            if pending:
                rows = [{**row, "bid_id": b.id if b else None} for row, b in pending]
                self.session.execute(insert(_table(model)), rows)
        self._bids, self._answers, self._entries = [], [], []


_BID_COLUMNS = [c.key for c in Bid.__table__.columns if not c.primary_key]


def _table(model: type[Bid | Answer | AuditEntry]) -> Table:
    # Core statements on the tables: no ORM bulk insert machinery (nor its autoflush) per batch.
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _earlier_of(answer: Answer) -> Earlier:
    return Earlier(answer.request_hash, answer.bid_id, None, answer.problem)


def _admission(
    auction: AuctionSession, bidder: Registration | None
) -> tuple[str, FactorLinkError] | None:
    if bidder is None:
        return "not_registered", PermissionDenied(
            "请先报名参加本场拍卖会,经运营人员确认保证金后方可出价",
            message_en="register for this auction session first; bids need an approved deposit",
        )
    if bidder.status != BidderStatus.approved:
        return "not_approved", PermissionDenied(
            "您的竞买报名尚未通过审核(保证金待确认),暂不能出价",
            message_en="your registration is not approved yet (deposit unconfirmed)",
        )
    if auction.status != SessionStatus.open:
        return "session_not_open", Conflict(
            "本场拍卖会未在进行中", message_en="this auction session is not open"
        )
    return None


def _error(refusal: rules.Refusal) -> FactorLinkError:
    errors = [{"field": "amount_wan", "reason": refusal.message, "reason_en": refusal.message_en}]
    if refusal.minimum is not None:
        errors[0]["minimum_wan"] = wan_text(refusal.minimum)
    return Conflict(refusal.message, message_en=refusal.message_en, errors=errors)
