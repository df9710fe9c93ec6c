"""Queries for introductions and for the parties they join."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from factorlink.auth.models import Role, User
from factorlink.introduction.models import (
    FollowUp,
    Introduction,
    IntroductionEvent,
    IntroductionStatus,
    PartyKind,
)
from factorlink.kit.repository import Repository
from factorlink.models import LISTING_MODELS, PARTY_MODELS

PartyRef = tuple[PartyKind, int]

OPEN = (
    IntroductionStatus.requested,
    IntroductionStatus.proposed,
    IntroductionStatus.contacted,
    IntroductionStatus.negotiating,
)


class PartyRepository:
    """Looks up the organisations, listings and leads that stand on either side."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, kind: PartyKind, id_: int) -> Any | None:
        """Gets one party by kind and id."""
        return self.session.get(PARTY_MODELS[kind], id_)

    def by_code(self, kind: PartyKind, code: str) -> Any | None:
        """Gets an organisation or listing by its code (leads have none)."""
        model = PARTY_MODELS[kind]
        if kind == PartyKind.lead:
            return None
        return self.session.scalars(select(model).where(model.code == code)).first()

    def load(self, refs: Iterable[PartyRef]) -> dict[PartyRef, Any]:
        """Gets many parties with one query per kind."""
        by_kind: dict[PartyKind, set[int]] = {}
        for kind, id_ in refs:
            by_kind.setdefault(kind, set()).add(id_)
        found: dict[PartyRef, Any] = {}
        for kind, ids in by_kind.items():
            model = PARTY_MODELS[kind]
            stmt = select(model).where(model.id.in_(sorted(ids)))
            if hasattr(model, "organization"):  # a listing's company, loaded with it
                stmt = stmt.options(selectinload(model.organization))
            for obj in self.session.scalars(stmt):
                found[(kind, obj.id)] = obj
        return found


@dataclass(frozen=True)
class IntroductionFilters:
    """Filters of the introduction list."""

    status: IntroductionStatus | None = None
    city: str | None = None
    industry: str | None = None


def owned_by(organization_id: int, kind_col: Any, id_col: Any) -> Any:
    """A side (kind and id columns) that is the organisation or one of its listings."""
    clauses = [and_(kind_col == PartyKind.organization, id_col == organization_id)]
    for kind, model in LISTING_MODELS.items():
        ids = select(model.id).where(model.organization_id == organization_id)
        clauses.append(and_(kind_col == kind, id_col.in_(ids)))
    return or_(*clauses)


def proposed_by_staff() -> Any:
    """Introductions an operator made or accepted: all but members' requests not accepted (still
    waiting, or declined), which the statistics leave out."""
    e = IntroductionEvent
    requested = exists().where(e.introduction_id == Introduction.id, e.to_status == "requested")
    proposed = exists().where(e.introduction_id == Introduction.id, e.to_status == "proposed")
    return or_(~requested, proposed)


def touches_scope(scope: Sequence[str]) -> Any:
    """Introductions whose either city is in the scope, or whose city is unknown."""
    return or_(
        Introduction.city.in_(list(scope)),
        Introduction.counterpart_city.in_(list(scope)),
        Introduction.city.is_(None),
    )


class IntroductionRepository(Repository[Introduction]):
    """Introductions and their history."""

    model = Introduction

    def get_with_events(self, id_: int) -> Introduction | None:
        """Gets an introduction with its events loaded."""
        stmt = select(Introduction).where(Introduction.id == id_)
        return self.session.scalars(stmt.options(selectinload(Introduction.events))).first()

    def involving(self, kind: PartyKind, id_: int) -> Sequence[Introduction]:
        """Every introduction with this party on either side, newest first."""
        i = Introduction
        stmt = select(i).where(
            or_(
                and_(i.party_a_kind == kind, i.party_a_id == id_),
                and_(i.party_b_kind == kind, i.party_b_id == id_),
            )
        )
        return self.session.scalars(stmt.order_by(i.id.desc())).all()

    def open_involving(self, kind: PartyKind, id_: int) -> Sequence[Introduction]:
        """The open introductions with this party on either side."""
        i = Introduction
        stmt = select(i).where(
            i.status.in_(OPEN),
            or_(
                and_(i.party_a_kind == kind, i.party_a_id == id_),
                and_(i.party_b_kind == kind, i.party_b_id == id_),
            ),
        )
        return self.session.scalars(stmt.options(selectinload(i.events))).all()

    def count_offers(self, kind: PartyKind, id_: int, offered: PartyKind) -> int:
        """How many parties of the offered kind their own organisation put forward for this one
        (a request made by a member of the organisation that owns the offered side), either
        way round: a demand's "我能解决" responses."""
        i = Introduction
        model = LISTING_MODELS[offered]
        made_by = select(User.organization_id).where(User.id == i.created_by_id).scalar_subquery()

        def side(this: tuple[Any, Any], other: tuple[Any, Any]) -> Any:
            owner = select(model.organization_id).where(model.id == other[1]).scalar_subquery()
            return and_(this[0] == kind, this[1] == id_, other[0] == offered, owner == made_by)

        a, b = (i.party_a_kind, i.party_a_id), (i.party_b_kind, i.party_b_id)
        stmt = select(func.count()).select_from(i).where(or_(side(a, b), side(b, a)))
        return int(self.session.scalar(stmt) or 0)

    def between(self, a: PartyRef, b: PartyRef, *, open_only: bool) -> Introduction | None:
        """An introduction of these two parties, in either order (only open ones if asked)."""
        i = Introduction

        def pair(x: PartyRef, y: PartyRef) -> Any:
            return and_(
                i.party_a_kind == x[0],
                i.party_a_id == x[1],
                i.party_b_kind == y[0],
                i.party_b_id == y[1],
            )

        stmt = select(i).where(or_(pair(a, b), pair(b, a)))
        if open_only:
            stmt = stmt.where(i.status.in_(OPEN))
        return self.session.scalars(stmt.order_by(i.id)).first()

    def search_statement(
        self,
        filters: IntroductionFilters,
        *,
        scope: Sequence[str] = (),
        organization_id: int | None = None,
    ) -> Select[Introduction]:
        """The filtered list, newest first; narrowed to a city scope or an organisation's sides."""
        i = Introduction
        stmt = select(i)
        if filters.status is not None:
            stmt = stmt.where(i.status == filters.status)
        if filters.city:
            stmt = stmt.where(or_(i.city == filters.city, i.counterpart_city == filters.city))
        if filters.industry:
            stmt = stmt.where(i.industry == filters.industry)
        if scope:
            stmt = stmt.where(touches_scope(scope))
        if organization_id is not None:
            stmt = stmt.where(
                or_(
                    owned_by(organization_id, i.party_a_kind, i.party_a_id),
                    owned_by(organization_id, i.party_b_kind, i.party_b_id),
                )
            )
        return stmt.order_by(i.proposed_at.desc(), i.id.desc())


class FollowUpRepository(Repository[FollowUp]):
    """The dated work log of leads and introductions."""

    model = FollowUp

    def of_leads(self, ids: Iterable[int]) -> dict[int, list[FollowUp]]:
        """Each lead's entries, oldest first, in one query."""
        return self._grouped(FollowUp.lead_id, ids)

    def of_introductions(self, ids: Iterable[int]) -> dict[int, list[FollowUp]]:
        """Each introduction's entries, oldest first, in one query."""
        return self._grouped(FollowUp.introduction_id, ids)

    def _grouped(self, column: Any, ids: Iterable[int]) -> dict[int, list[FollowUp]]:
        wanted = sorted(set(ids))
        found: dict[int, list[FollowUp]] = {id_: [] for id_ in wanted}
        if not wanted:
            return found
        stmt = select(FollowUp).where(column.in_(wanted)).order_by(FollowUp.at, FollowUp.id)
        for row in self.session.scalars(stmt):
            found[int(getattr(row, column.key))].append(row)
        return found


def staff_users(session: Session) -> Sequence[User]:
    """The active operators and admins, who may own (负责) a lead or an introduction."""
    stmt = select(User).where(User.is_active.is_(True), User.role.in_([Role.operator, Role.admin]))
    return session.scalars(stmt.order_by(User.id)).all()


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Display names (else user names) of users, by id."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(wanted))
    )
    return {id_: display or username for id_, display, username in rows}
