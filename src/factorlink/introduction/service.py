"""Rules for introductions (对接): who may introduce whom, and the steps to a deal."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth import access
from factorlink.auth.models import User
from factorlink.auth.viewer import Viewer
from factorlink.db.base import utcnow
from factorlink.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from factorlink.introduction import rules
from factorlink.introduction.models import (
    FollowUp,
    Introduction,
    IntroductionEvent,
    IntroductionStatus,
    PartyKind,
)
from factorlink.introduction.parties import party_city, party_industry, party_label, party_owner
from factorlink.introduction.presenter import Desk
from factorlink.introduction.repository import (
    FollowUpRepository,
    IntroductionFilters,
    IntroductionRepository,
    PartyRef,
    PartyRepository,
    staff_users,
    user_names,
)
from factorlink.kit.filters import filter_error, resolve_city, resolve_industry
from factorlink.kit.pagination import PageParams
from factorlink.kit.table import CellError
from factorlink.lead.models import Lead, LeadStatus
from factorlink.privacy.policy import Contact, ContactPolicy

# What a member may ask to be introduced: listings and organisations (their own organisation as
# the side served: 预约考察 of a carrier, 我要洽谈 without a demand of their own, a match that is
# an organisation), never leads, which are the operators' alone.
REQUESTABLE = frozenset(PartyKind) - {PartyKind.lead}


def _in_scope(viewer: Viewer, city: str | None) -> bool:
    # A party without a city belongs to no operator's scope in particular, so any may act.
    return viewer.is_admin or city is None or viewer.operates_in(city)


def _missing(side: str, ref: PartyRef) -> InvalidInput:
    kind, id_ = ref
    return InvalidInput(
        f"对接方{side.upper()}({party_label(kind)} {id_})不存在",
        message_en=f"party {side.upper()} ({kind} {id_}) does not exist",
        errors=[
            {
                "field": f"party_{side}",
                "reason": f"{party_label(kind)} {id_} 不存在",
                "reason_en": f"{kind} {id_} not found",
            }
        ],
    )


def _check_lead_usable(side: str, lead: Lead) -> None:
    """Refuses a lead whose sender withdrew consent or whose personal data was erased."""
    if not lead.consent:
        reason = f"线索{lead.id}的提交人已撤回同意"
        reason_en = f"lead {lead.id}: the sender withdrew consent"
    elif lead.erased_at is not None:
        reason = f"线索{lead.id}的个人信息已删除"
        reason_en = f"lead {lead.id}: personal data was erased"
    else:
        return
    raise Conflict(
        f"{reason},不能再对接",
        message_en=f"{reason_en}; it cannot be introduced",
        errors=[{"field": f"party_{side}", "reason": reason, "reason_en": reason_en}],
    )


def check_owner(session: Session, owner_id: int | None) -> None:
    """Refuses an owner (负责人) who is not an active operator or admin; None clears it."""
    if owner_id is None or any(u.id == owner_id for u in staff_users(session)):
        return
    raise InvalidInput(
        f"负责人(用户{owner_id})不是在职的运营人员",
        message_en=f"owner: user {owner_id} is not an active operator or admin",
        errors=[
            {
                "field": "owner_id",
                "reason": "须为在职的运营人员或管理员",
                "reason_en": "must be an active operator or admin",
            }
        ],
    )


def new_follow_up(
    viewer: Viewer, note: str, next_step: str | None, due_on: date | None, at: datetime | None
) -> FollowUp:
    """A work-log entry by the viewer; a due day needs a next step to be due."""
    if due_on is not None and not (next_step and next_step.strip()):
        raise InvalidInput(
            "填写了截止日期,请同时填写下一步",
            message_en="a due date needs a next step",
            errors=[
                {
                    "field": "next_step",
                    "reason": "有截止日期时须填写下一步",
                    "reason_en": "required with a due date",
                }
            ],
        )
    return FollowUp(
        at=at or utcnow(),
        by_user_id=viewer.user_id or None,
        note=note.strip(),
        next_step=next_step.strip() if next_step and next_step.strip() else None,
        due_on=due_on,
    )


def resolve_filters(filters: IntroductionFilters) -> IntroductionFilters:
    """Accepts cities and industries as people write them (松江, 人工智能) as well as codes."""
    errors: list[CellError] = []
    city = resolve_city(filters.city, errors)
    industry = resolve_industry(filters.industry, errors)
    if errors:
        raise filter_error(errors)
    return replace(filters, city=city, industry=industry)


# The reason a request withdrawn by the member who made it is closed with.
CANCELLED = "申请人撤回申请 (withdrawn by the requester)"


class IntroductionService:
    """Introductions: staff create and move them; members follow those of their organisation."""

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer
        self.repository = IntroductionRepository(session)
        self.parties = PartyRepository(session)
        self.policy = ContactPolicy(session, viewer)

    @property
    def _user_id(self) -> int | None:
        # The command line acts as user 0, which has no row; its steps are recorded as nobody's.
        return self.viewer.user_id or None

    def create(
        self, a: PartyRef, b: PartyRef, note: str | None = None, *, at: datetime | None = None
    ) -> Introduction:
        """Introduces party A (the one served) to party B."""
        self._require_staff()
        if a == b:
            raise InvalidInput(
                "不能将一方介绍给自己", message_en="party A and party B are the same"
            )
        obj_a, obj_b = self.parties.get(*a), self.parties.get(*b)
        if obj_a is None:
            raise _missing("a", a)
        if obj_b is None:
            raise _missing("b", b)
        for side, ref, obj in (("a", a, obj_a), ("b", b, obj_b)):
            if ref[0] == PartyKind.lead:
                _check_lead_usable(side, obj)
        city = party_city(a[0], obj_a)
        if not _in_scope(self.viewer, city):
            raise PermissionDenied(
                "对接方A所在城市不在您的运营范围内",
                message_en="party A's city is outside your operator scope",
            )
        existing = self.repository.between(a, b, open_only=True)
        if existing is not None:
            raise Conflict(
                f"这两方已有进行中的对接(#{existing.id})",
                message_en=f"these parties already have an open introduction (#{existing.id})",
            )
        return self._add(a, obj_a, b, obj_b, note, at or utcnow())

    def request(
        self, a: PartyRef, b: PartyRef, note: str | None = None, *, at: datetime | None = None
    ) -> Introduction:
        """A member asks for an introduction of party A (the one served) to party B, one of
        them their organisation or its own listing, the other not: it waits as requested in the
        operators' queue (the board) until one accepts it (→ proposed) or declines it."""
        access.require_user(viewer := self.viewer, ("请先登录后再申请对接", "Login required"))
        org_id = viewer.organization_id
        if org_id is None:
            raise PermissionDenied(
                "您的账号未关联机构,不能申请对接",
                message_en="Your account belongs to no organisation",
            )
        objs = []
        for side, ref in (("a", a), ("b", b)):
            obj = self.parties.get(*ref) if ref[0] in REQUESTABLE else None
            if obj is None or getattr(obj, "state", "active") != "active":
                raise _missing(side, ref)
            objs.append(obj)
        owned = [party_owner(ref[0], obj) == org_id for ref, obj in zip((a, b), objs, strict=True)]
        if owned.count(True) != 1:
            raise InvalidInput(
                "申请对接须一方为本机构或本机构发布的信息、另一方为其他机构的",
                message_en="one side must be your organisation or its listing, the other not",
                errors=[
                    {
                        "field": "party_b" if owned[0] else "party_a",
                        "reason": "须一方为本机构或本机构的信息,另一方不是",
                        "reason_en": "exactly one side must be your own",
                    }
                ],
            )
        existing = self.repository.between(a, b, open_only=True)
        if existing is not None:
            raise Conflict(
                f"这两方已有进行中的对接或申请(#{existing.id})",
                message_en=f"these parties already have an open introduction (#{existing.id})",
            )
        return self._add(a, objs[0], b, objs[1], note, at or utcnow(), IntroductionStatus.requested)

    def cancel_request(self, id_: int) -> Introduction:
        """A member withdraws their organisation's request for an introduction while it still
        waits for an operator (requested → closed, reason CANCELLED); once an operator has
        accepted it, it is theirs to close."""
        access.require_user(self.viewer, ("请先登录后再撤回申请", "Login required"))
        org_id = self.viewer.organization_id
        intro = self._get(id_)
        if org_id is None or org_id not in self._owners(intro):
            raise NotFound(f"对接{id_}不存在", message_en=f"introduction {id_} not found")
        requester = self.session.get(User, intro.created_by_id or 0)
        if requester is None or requester.organization_id != org_id:
            raise PermissionDenied(
                "只能撤回本机构提出的对接申请",
                message_en="only your organisation's own requests can be withdrawn",
            )
        if intro.status != IntroductionStatus.requested:
            raise Conflict(
                "该申请已被运营人员受理或已关闭,不能撤回",
                message_en="the request was already accepted or closed: it cannot be withdrawn",
            )
        return self._move(intro, IntroductionStatus.closed, reason=CANCELLED)

    def own_with(self, kind: PartyKind, id_: int) -> dict[PartyRef, Introduction]:
        """The introductions and requests of this party that the member's organisation is a
        side of (this party or the other is theirs), keyed by the other side, newest first:
        what a listing's page shows instead of asking twice. Those of third parties are left
        out."""
        org_id = self.viewer.organization_id
        if self.viewer.is_anonymous or self.viewer.is_staff or org_id is None:
            return {}
        rows = self.repository.involving(kind, id_)
        parties = self.load_parties(rows)
        found: dict[PartyRef, Introduction] = {}
        for intro in rows:
            sides = [(intro.party_a_kind, intro.party_a_id), (intro.party_b_kind, intro.party_b_id)]
            owners = {party_owner(k, parties[(k, i)]) for k, i in sides if (k, i) in parties}
            if org_id in owners:
                found.setdefault(sides[1] if sides[0] == (kind, id_) else sides[0], intro)
        return found

    def responses(self, demand_id: int) -> int:
        """How many achievements their owners have offered for a demand ("我能解决", or
        "申请对接" from an achievement's page): the demand's responses."""
        return self.repository.count_offers(PartyKind.demand, demand_id, PartyKind.achievement)

    def _add(
        self,
        a: PartyRef,
        obj_a: Any,
        b: PartyRef,
        obj_b: Any,
        note: str | None,
        at: datetime,
        status: IntroductionStatus = IntroductionStatus.proposed,
    ) -> Introduction:
        intro = Introduction(
            party_a_kind=a[0],
            party_a_id=a[1],
            party_b_kind=b[0],
            party_b_id=b[1],
            city=party_city(a[0], obj_a),
            counterpart_city=party_city(b[0], obj_b),
            industry=party_industry(a[0], obj_a) or party_industry(b[0], obj_b),
            status=status,
            note=note,
            created_by_id=self._user_id,
            proposed_at=at,
            created_at=at,
            updated_at=at,
        )
        intro.events.append(
            IntroductionEvent(to_status=status.value, at=at, by_user_id=self._user_id, note=note)
        )
        for kind, obj in ((a[0], obj_a), (b[0], obj_b)):
            if kind == PartyKind.lead and obj.status != LeadStatus.introduced:
                obj.status = LeadStatus.introduced
                obj.status_at = at
        return self.repository.add(intro)

    def transition(
        self,
        id_: int,
        to: IntroductionStatus,
        *,
        amount_wan: float | None = None,
        reason: str | None = None,
        note: str | None = None,
        at: datetime | None = None,
    ) -> Introduction:
        """Moves an introduction one step (see introduction.rules), timestamped and recorded."""
        intro = self._in_scope(id_)
        return self._move(intro, to, amount_wan=amount_wan, reason=reason, note=note, at=at)

    def set_owner(self, id_: int, owner_id: int | None) -> Introduction:
        """Gives an introduction an owner (负责人), an operator or admin, or none."""
        intro = self._in_scope(id_)
        check_owner(self.session, owner_id)
        intro.owner_id = owner_id
        self.session.flush()
        return intro

    def add_follow_up(
        self,
        id_: int,
        note: str,
        next_step: str | None = None,
        due_on: date | None = None,
        *,
        at: datetime | None = None,
    ) -> FollowUp:
        """Adds a dated entry to an introduction's work log, with the next step if given."""
        intro = self._in_scope(id_)
        entry = new_follow_up(self.viewer, note, next_step, due_on, at)
        entry.introduction_id = intro.id
        self.session.add(entry)
        self.session.flush()
        return entry

    def follow_ups(self, ids: Iterable[int]) -> dict[int, list[FollowUp]]:
        """The work log of each introduction, oldest first."""
        return FollowUpRepository(self.session).of_introductions(ids)

    def desk(self, intros: Sequence[Introduction], now: datetime | None = None) -> Desk | None:
        """The cockpit's view of these introductions (owners, work logs, the names of who
        acted) for staff; None for members, who see none of it."""
        if not self.viewer.is_staff:
            return None
        logs = self.follow_ups([i.id for i in intros])
        users = [i.owner_id for i in intros] + [i.created_by_id for i in intros]
        users += [e.by_user_id for log in logs.values() for e in log]
        users += [e.by_user_id for i in intros if "events" in i.__dict__ for e in i.events]
        return Desk(user_names(self.session, users), logs, now or utcnow())

    def _in_scope(self, id_: int) -> Introduction:
        self._require_staff()
        intro = self._get(id_)
        if not _in_scope(self.viewer, intro.city):
            raise PermissionDenied(
                "该对接不在您的运营范围内", message_en="introduction outside your operator scope"
            )
        return intro

    def close_open_of_lead(self, lead_id: int, reason: str) -> int:
        """Closes every open introduction of a lead (consent withdrawn); returns how many."""
        intros = self.repository.open_involving(PartyKind.lead, lead_id)
        for intro in intros:
            self._move(intro, IntroductionStatus.closed, reason=reason)
        return len(intros)

    def _move(
        self,
        intro: Introduction,
        to: IntroductionStatus,
        *,
        amount_wan: float | None = None,
        reason: str | None = None,
        note: str | None = None,
        at: datetime | None = None,
    ) -> Introduction:
        rules.check_transition(intro.status, to, amount_wan=amount_wan, reason=reason)
        at = at or utcnow()
        last = max(e.at for e in intro.events) if intro.events else intro.proposed_at
        if at < last:
            raise InvalidInput(
                "时间早于上一步", message_en="a step cannot be earlier than the one before"
            )
        previous = intro.status
        intro.status = to
        setattr(intro, f"{to.value}_at", at)
        if to == IntroductionStatus.signed:
            intro.amount_wan = amount_wan
        if to == IntroductionStatus.closed:
            intro.close_reason = reason.strip() if reason else reason
        intro.updated_at = at
        intro.events.append(
            IntroductionEvent(
                from_status=previous.value,
                to_status=to.value,
                at=at,
                by_user_id=self._user_id,
                note=note,
            )
        )
        self.session.flush()
        return intro

    def search(
        self, filters: IntroductionFilters, params: PageParams
    ) -> tuple[Sequence[Introduction], int]:
        """One page of the introductions the viewer may follow."""
        viewer = self._require_user()
        filters = resolve_filters(filters)
        if viewer.is_staff:
            scope = () if viewer.is_admin else viewer.city_scope
            stmt = self.repository.search_statement(filters, scope=scope)
        else:
            # A member without an organisation follows nothing; -1 matches no row.
            org_id = viewer.organization_id if viewer.organization_id is not None else -1
            stmt = self.repository.search_statement(filters, organization_id=org_id)
        return self.repository.page(stmt, params)

    def get(self, id_: int) -> Introduction:
        """One introduction the viewer may follow."""
        viewer = self._require_user()
        intro = self._get(id_)
        if viewer.is_staff:
            cities = (intro.city, intro.counterpart_city)
            if viewer.is_admin or intro.city is None or any(viewer.operates_in(c) for c in cities):
                return intro
            raise PermissionDenied(
                "该对接不在您的运营范围内", message_en="introduction outside your operator scope"
            )
        if viewer.organization_id is not None and viewer.organization_id in self._owners(intro):
            return intro
        raise NotFound(f"对接{id_}不存在", message_en=f"introduction {id_} not found")

    def ref_for_code(self, kind: PartyKind, code: str) -> PartyRef:
        """The party of a kind with this code (编号); leads are named by id only."""
        obj = self.parties.by_code(kind, code)
        if obj is None:
            raise InvalidInput(
                f"{party_label(kind)}编号“{code}”不存在",
                message_en=f"no {kind.value} with code {code!r}",
                errors=[
                    {"field": "code", "reason": f"编号“{code}”不存在", "reason_en": "unknown code"}
                ],
            )
        return kind, int(obj.id)

    def load_parties(self, intros: Iterable[Introduction]) -> dict[PartyRef, Any]:
        """Both sides of each introduction, loaded together."""
        refs: list[PartyRef] = []
        for intro in intros:
            refs += [(intro.party_a_kind, intro.party_a_id), (intro.party_b_kind, intro.party_b_id)]
        return self.parties.load(refs)

    def contact(self, kind: PartyKind, obj: Any) -> Contact:
        """A party's contact as the viewer may see it."""
        return self.policy.contact(kind, obj)

    def _owners(self, intro: Introduction) -> set[int]:
        owners = set()
        for ref, obj in self.load_parties([intro]).items():
            owner = party_owner(ref[0], obj)
            if owner is not None:
                owners.add(owner)
        return owners

    def _get(self, id_: int) -> Introduction:
        intro = self.repository.get_with_events(id_)
        if intro is None:
            raise NotFound(f"对接{id_}不存在", message_en=f"introduction {id_} not found")
        return intro

    def _require_user(self) -> Viewer:
        access.require_user(self.viewer)
        return self.viewer

    def _require_staff(self) -> None:
        access.require_staff(self.viewer)
