"""Sessions, lots and bidders: what operators set up and what everyone may read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factorlink.achievement.models import Achievement
from factorlink.auction import setup
from factorlink.auction.clock import Clock, system_clock
from factorlink.auction.models import (
    AuctionSession,
    AuditEntry,
    Bid,
    Bidder,
    BidderStatus,
    Lot,
    LotResult,
    SessionStatus,
)
from factorlink.auction.money import to_yuan
from factorlink.auction.repository import (
    AuditRepository,
    BidderRepository,
    BidRepository,
    LotRepository,
    ResultRepository,
    SessionRepository,
)
from factorlink.auction.schemas import ApprovalIn, LotIn, SessionIn
from factorlink.auth import access
from factorlink.auth.models import User
from factorlink.auth.viewer import Viewer
from factorlink.db.factor import ListingState
from factorlink.errors import Conflict, NotFound, PermissionDenied
from factorlink.kit.pagination import PageParams
from factorlink.organization.models import Organization

PUBLIC = (SessionStatus.open, SessionStatus.closed)


@dataclass(frozen=True)
class LotView:
    """A lot with what its presentation needs for one viewer."""

    lot: Lot
    auction: AuctionSession
    result: LotResult | None
    bidder: Bidder | None
    own_max_yuan: int | None
    own_label: str | None
    now: datetime
    winner_organization: str | None = None


@dataclass(frozen=True)
class Standing:
    """A member's own place on a lot: their registration and latest bid (None: none yet)."""

    bidder: Bidder | None
    bid: Bid | None


def with_standing(public: LotView, standing: Standing | None, now: datetime) -> LotView:
    """A lot as visitors see it made a member's, with their standing, at `now`."""
    bidder, bid = (standing.bidder, standing.bid) if standing else (None, None)
    return replace(
        public,
        bidder=bidder,
        own_max_yuan=bid.max_yuan if bid else None,
        own_label=bid.label if bid else None,
        now=now,
    )


@dataclass(frozen=True)
class Registration:
    """A registration with the names an operator needs to decide on it."""

    bidder: Bidder
    user_name: str
    organization_name: str | None


@dataclass(frozen=True)
class SessionView:
    """A session with its lots and the viewer's own registration, as this viewer sees them."""

    auction: AuctionSession
    lots: list[LotView]
    registration: Bidder | None


def _text(value: str | None) -> str | None:
    """A long text as typed, trimmed; blank is none."""
    return value.strip() if value and value.strip() else None


class AuctionService:
    """Auction sessions for one viewer; flushes, never commits."""

    def __init__(self, session: Session, viewer: Viewer, clock: Clock = system_clock) -> None:
        self.session = session
        self.viewer = viewer
        self.clock = clock
        self.sessions = SessionRepository(session)
        self.lots = LotRepository(session)
        self.bidders = BidderRepository(session)

    # Setting up (staff)

    def create_session(self, body: SessionIn) -> AuctionSession:
        """Creates a draft session; its bands default to the corridor's usual table."""
        self._require_staff()
        bands = setup.session_terms(body)
        city = setup.session_city(body.city, self.viewer)
        return self.sessions.add(
            AuctionSession(
                title=body.title.strip(),
                description=body.description,
                starts_at=body.starts_at,
                ends_at=body.ends_at,
                extension_minutes=body.extension_minutes,
                bands=[[b.floor, b.step] for b in bands],
                deposit_yuan=to_yuan(body.deposit_wan, "deposit_wan"),
                created_by_id=self.viewer.user_id or None,
                city=city,
                announcement=_text(body.announcement),
                rules=_text(body.rules),
                deposit_instructions=_text(body.deposit_instructions),
            )
        )

    def add_lot(self, session_id: int, body: LotIn) -> Lot:
        """Adds an achievement as a lot of a draft session (terms are fixed once it opens)."""
        auction = self._session_run_by_viewer(session_id)
        if auction.status != SessionStatus.draft:
            raise Conflict(
                "拍卖会已开始,不能再添加拍品", message_en="the session is no longer a draft"
            )
        achievement = self._achievement(body)
        if not self.viewer.operates_in(achievement.city):
            raise PermissionDenied(
                "该成果所在城市不在您的运营范围内",
                message_en="the achievement's city is outside your operator scope",
            )
        if self.lots.has_achievement(auction.id, achievement.id):
            raise Conflict(
                f"成果{achievement.code}已是本场拍品", message_en="already a lot of this session"
            )
        terms = setup.lot_terms(body, auction)
        return self.lots.add(
            Lot(
                session_id=auction.id,
                number=self.lots.next_number(auction.id),
                achievement_id=achievement.id,
                achievement_code=achievement.code,
                title=achievement.title,
                city=achievement.city,
                industry=achievement.industry,
                start_yuan=terms.start_yuan,
                reserve_yuan=terms.reserve_yuan,
                appraised_yuan=terms.appraised_yuan,
                deposit_yuan=terms.deposit_yuan,
                single_offer=body.single_offer,
                opens_at=terms.opens_at,
                closes_at=terms.closes_at,
                end_at=terms.closes_at,
            )
        )

    def open_session(self, session_id: int) -> AuctionSession:
        """Opens a draft session to registrations and, within each lot's window, to bids."""
        auction = self._session_run_by_viewer(session_id)
        if auction.status != SessionStatus.draft:
            raise Conflict(
                f"拍卖会当前为{auction.status.value},只有草稿可以开放",
                message_en=f"session is {auction.status.value}; only a draft can be opened",
            )
        if not self.lots.of_session(auction.id):
            raise Conflict("拍卖会还没有拍品", message_en="the session has no lots")
        auction.status = SessionStatus.open
        self.session.flush()
        return auction

    def open_session_ids(self) -> list[int]:
        """The open sessions the viewer runs, for the close step to look at (staff)."""
        self._require_staff()
        ids = self.sessions.open_ids()
        return [i for i in ids if self.viewer.operates_in(self._session(i).city)]

    def due_lot_ids(self, session_id: int | None = None) -> list[int]:
        """Lots not yet closed (of one session, or all) that the close step should look at."""
        self._require_staff()
        if session_id is not None:
            self._session_run_by_viewer(session_id)
            return list(self.lots.due(session_id))
        return [i for s in self.open_session_ids() for i in self.lots.due(s)]

    # Bidders

    def register(self, session_id: int, *, terms_accepted: bool = False) -> Bidder:
        """Registers the viewer to bid for their organisation; an operator then approves.
        `terms_accepted`: the bidder ticked that they read the 竞买须知 (kept with its time)."""
        user_id = self._require_user()
        self._visible_session(session_id)
        # Shared lock: the unit closing the session waits for this one, and the other way round.
        auction = self.sessions.get_for_update(session_id, share=True)
        assert auction is not None
        if auction.status != SessionStatus.open or not self.lots.due(auction.id):
            raise Conflict("拍卖会已结束,不能报名", message_en="the session is closed")
        if self.viewer.organization_id is None:
            raise Conflict(
                "竞买须以机构名义参加,请先在账号中关联所属机构",
                message_en="bidding is done for an organisation; link your account to one first",
            )
        existing = self.bidders.of_user(auction.id, user_id)
        if existing is not None:
            if terms_accepted and existing.terms_accepted_at is None:
                existing.terms_accepted_at = self.clock()
                self.session.flush()
            return existing
        return self.bidders.add(
            Bidder(
                session_id=auction.id,
                user_id=user_id,
                organization_id=self.viewer.organization_id,
                terms_accepted_at=self.clock() if terms_accepted else None,
            )
        )

    def decide(self, session_id: int, bidder_id: int, body: ApprovalIn) -> Bidder:
        """Approves a registration (deposit confirmed) or rejects it."""
        auction = self._session_run_by_viewer(session_id)
        bidder = self.bidders.get(bidder_id)
        if bidder is None or bidder.session_id != auction.id:
            raise NotFound(f"竞买人{bidder_id}不存在", message_en=f"bidder {bidder_id} not found")
        bidder.status = BidderStatus.approved if body.approve else BidderStatus.rejected
        bidder.deposit_yuan = auction.deposit_yuan
        if body.deposit_wan is not None:
            bidder.deposit_yuan = to_yuan(body.deposit_wan, "deposit_wan")
        bidder.decided_at = self.clock()
        bidder.decided_by_id = self.viewer.user_id or None
        bidder.note = body.note
        self.session.flush()
        return bidder

    def registrations(self, session_id: int) -> Sequence[Bidder]:
        """Every registration of a session (staff who run it)."""
        return self.bidders.of_session(self._session_run_by_viewer(session_id).id)

    def named_registrations(self, session_id: int) -> list[Registration]:
        """Every registration of a session with the user's and organisation's names (staff who
        run it), in one statement."""
        auction = self._session_run_by_viewer(session_id)
        rows = self.session.execute(
            select(Bidder, User.username, User.display_name, Organization.name)
            .join(User, User.id == Bidder.user_id)
            .outerjoin(Organization, Organization.id == Bidder.organization_id)
            .where(Bidder.session_id == auction.id)
            .order_by(Bidder.id)
        ).all()
        return [Registration(b, display or username, org) for b, username, display, org in rows]

    def registered_count(self, auction: AuctionSession) -> int:
        """How many have registered for a session (报名人数), rejected registrations aside."""
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(Bidder)
                .where(Bidder.session_id == auction.id, Bidder.status != BidderStatus.rejected)
            )
            or 0
        )

    def publish_results(self, session_id: int) -> AuctionSession:
        """Publishes a session's results (结果公告) once every lot has closed (staff who run
        it); publishing again keeps the first time."""
        auction = self._session_run_by_viewer(session_id)
        if auction.status == SessionStatus.draft:
            raise Conflict("拍卖会尚未开放,没有结果可发布", message_en="the session is a draft")
        if self.lots.due(auction.id):
            raise Conflict(
                "尚有拍品未结束,全部结束后才能发布结果",
                message_en="some lots are still open; publish once every lot has closed",
            )
        if auction.results_published_at is None:
            auction.results_published_at = self.clock()
            self.session.flush()
        return auction

    def lot_candidates(self, auction: AuctionSession, limit: int = 200) -> list[tuple[str, str]]:
        """Achievements an operator may offer in a session, newest first, as (code, title):
        shown (not withdrawn), in the session's city (or the operator's cities), not yet lots."""
        statement = (
            select(Achievement.code, Achievement.title)
            .where(Achievement.state != ListingState.withdrawn)
            .where(
                ~Achievement.id.in_(
                    select(Lot.achievement_id)
                    .where(Lot.session_id == auction.id)
                    .where(Lot.achievement_id.is_not(None))
                )
            )
            .order_by(Achievement.id.desc())
            .limit(limit)
        )
        if auction.city is not None:
            statement = statement.where(Achievement.city == auction.city)
        elif self.viewer.is_operator and self.viewer.city_scope:
            statement = statement.where(Achievement.city.in_(self.viewer.city_scope))
        return [(code, title) for code, title in self.session.execute(statement).all()]

    def achievement_of(self, lot: Lot) -> Achievement | None:
        """The achievement a lot offers, if it is still listed and shown (not withdrawn)."""
        if lot.achievement_id is None:
            return None
        achievement = self.session.get(Achievement, lot.achievement_id)
        if achievement is None or achievement.state == ListingState.withdrawn:
            return None
        return achievement

    # Reading

    def list_sessions(self, params: PageParams) -> tuple[Sequence[AuctionSession], int]:
        """Sessions the viewer may see: staff all, others the open and closed ones."""
        statuses = tuple(SessionStatus) if self.viewer.is_staff else PUBLIC
        return self.sessions.page(self.sessions.list_statement(statuses), params)

    def get_session(self, session_id: int) -> AuctionSession:
        """A session the viewer may see."""
        return self._visible_session(session_id)

    def session_view(self, session_id: int) -> SessionView:
        """A session the viewer may see, with every lot and the viewer's registration."""
        auction = self._visible_session(session_id)
        registration = self.registration(auction)
        lots = self._views(self.lots.of_session(auction.id), auction, registration)
        return SessionView(auction, lots, registration)

    def lot_counts(self, sessions: Sequence[AuctionSession]) -> dict[int, int]:
        """How many lots each session has, by session id."""
        return self.lots.counts([s.id for s in sessions])

    def lot_views(self, auction: AuctionSession) -> list[LotView]:
        """Every lot of a session, as this viewer sees it."""
        return self._views(self.lots.of_session(auction.id), auction, self.registration(auction))

    def lot_view(self, lot_id: int) -> LotView:
        """One lot as this viewer sees it."""
        lot = self.lots.get(lot_id)
        if lot is None:
            raise NotFound(f"拍品{lot_id}不存在", message_en=f"lot {lot_id} not found")
        try:
            auction = self._visible_session(lot.session_id)
        except NotFound:
            raise NotFound(f"拍品{lot_id}不存在", message_en=f"lot {lot_id} not found") from None
        return self._views([lot], auction, self.registration(auction))[0]

    def own_view(self, public: LotView) -> LotView:
        """A lot as visitors see it (`lot_view` for an anonymous viewer) made this viewer's, a
        member's: with their registration and latest bid, read in two statements."""
        bidder = self.registration(public.auction)
        own = BidRepository(self.session).last_of_lots([public.lot.id], bidder.id) if bidder else {}
        return with_standing(public, Standing(bidder, own.get(public.lot.id)), self.clock())

    def standings(self, public: LotView, user_ids: Sequence[int]) -> dict[int, Standing]:
        """What `own_view` adds for each of several members, by user id (absent: not
        registered), read in two statements for all of them."""
        bidders = self.bidders.of_users(public.auction.id, sorted(set(user_ids)))
        ids = [b.id for b in bidders.values()]
        latest = BidRepository(self.session).last_by_bidder(public.lot.id, ids)
        return {user: Standing(b, latest.get(b.id)) for user, b in bidders.items()}

    def bids(self, lot_id: int) -> tuple[LotView, Sequence[Bid]]:
        """A lot's accepted bids, newest first."""
        view = self.lot_view(lot_id)
        return view, BidRepository(self.session).of_lot(lot_id, newest_first=True)

    def audit(self, lot_id: int) -> Sequence[AuditEntry]:
        """A lot's audit log (staff who run its session)."""
        self._session_run_by_viewer(self.lot_view(lot_id).auction.id)
        return AuditRepository(self.session).of_lot(lot_id)

    def registration(self, auction: AuctionSession) -> Bidder | None:
        """The viewer's registration for a session."""
        if self.viewer.user_id is None:
            return None
        return self.bidders.of_user(auction.id, self.viewer.user_id)

    def _views(
        self, lots: Sequence[Lot], auction: AuctionSession, bidder: Bidder | None
    ) -> list[LotView]:
        """Lots of one session for this viewer, in as many queries for one lot as for many:
        the viewer's latest bids, the results and (staff) the winners' organisations."""
        ids = [lot.id for lot in lots]
        own = BidRepository(self.session).last_of_lots(ids, bidder.id) if bidder else {}
        results = ResultRepository(self.session).of_lots(ids)
        winners: dict[int, str] = {}
        if self.viewer.is_staff:
            sold_to = [r.winner_bidder_id for r in results.values() if r.winner_bidder_id]
            winners = self.bidders.organization_names(sold_to)
        now = self.clock()
        views = []
        for lot in lots:
            bid, result = own.get(lot.id), results.get(lot.id)
            max_yuan, label = (bid.max_yuan, bid.label) if bid else (None, None)
            winner = winners.get(result.winner_bidder_id or 0) if result else None
            views.append(LotView(lot, auction, result, bidder, max_yuan, label, now, winner))
        return views

    def _achievement(self, body: LotIn) -> Achievement:
        if body.achievement_id is None and not body.achievement_code:
            raise setup.invalid(
                "achievement_id", "须指定成果(id 或编号)", "give achievement_id or achievement_code"
            )
        achievement = self.lots.achievement(body.achievement_id, body.achievement_code)
        if achievement is None:
            raise setup.invalid("achievement_id", "该成果不存在", "no such achievement")
        return achievement

    def _session(self, session_id: int) -> AuctionSession:
        auction = self.sessions.get(session_id)
        if auction is None:
            raise NotFound(
                f"拍卖会{session_id}不存在", message_en=f"session {session_id} not found"
            )
        return auction

    def _session_run_by_viewer(self, session_id: int) -> AuctionSession:
        """A session the viewer runs: staff whose scope covers its city (see create_session)."""
        self._require_staff()
        auction = self._session(session_id)
        if not self.viewer.operates_in(auction.city):
            raise PermissionDenied(
                "该拍卖会所在城市不在您的运营范围内",
                message_en="the session's city is outside your operator scope",
            )
        return auction

    def _visible_session(self, session_id: int) -> AuctionSession:
        auction = self._session(session_id)
        if auction.status == SessionStatus.draft and not self.viewer.is_staff:
            raise NotFound(
                f"拍卖会{session_id}不存在", message_en=f"session {session_id} not found"
            )
        return auction

    def _require_user(self) -> int:
        return access.require_user(self.viewer)

    def _require_staff(self) -> None:
        access.require_staff(self.viewer)
