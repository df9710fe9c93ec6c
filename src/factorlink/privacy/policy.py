"""Who may see a listing's contact: admins, operators in scope, the owner, the counterpart.

Everyone else sees the masked form. A counterpart is the other side of an introduction that
has reached "contacted": one now contacted, negotiating or signed, or one closed after it had
been contacted. An introduction still "proposed", or closed without ever being contacted, grants
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind
from factorlink.introduction.parties import party_owner
from factorlink.models import LISTING_MODELS
from factorlink.privacy.masking import mask_mobile, mask_name

PartyRef = tuple[PartyKind, int]

# Statuses that lie at or past "contacted"; a closed introduction counts by its contacted_at.
_PAST_CONTACTED = (
    IntroductionStatus.contacted,
    IntroductionStatus.negotiating,
    IntroductionStatus.signed,
)


@dataclass(frozen=True)
class Contact:
    """A contact as one viewer may see it."""

    name: str | None
    mobile: str | None
    masked: bool


class ContactPolicy:
    """Decides, for one viewer, whether each contact is shown in full or masked."""

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer
        self._counterparts: set[PartyRef] | None = None

    def contact(self, kind: PartyKind, obj: Any) -> Contact:
        """Returns the contact of a listing, organisation or lead as this viewer may see it."""
        name, mobile = obj.contact_name, obj.contact_mobile
        if self.may_see(kind, obj):
            return Contact(name, mobile, masked=False)
        return Contact(mask_name(name), mask_mobile(mobile), masked=bool(name or mobile))

    def may_see(self, kind: PartyKind, obj: Any) -> bool:
        """Tells whether this viewer may see the contact of this party in full."""
        viewer = self.viewer
        if viewer.is_anonymous:
            return False
        if viewer.is_admin or self._operator_in_scope(kind, obj):
            return True
        if viewer.organization_id is None:
            return False
        if party_owner(kind, obj) == viewer.organization_id:
            return True
        return (kind, obj.id) in self._counterpart_refs()

    def _operator_in_scope(self, kind: PartyKind, obj: Any) -> bool:
        if not self.viewer.is_operator:
            return False
        if kind == PartyKind.lead:
            cities = [c for c in (obj.city, *obj.preferred_cities) if c]
            if not cities or not self.viewer.city_scope:
                return True
            return any(self.viewer.operates_in(c) for c in cities)
        return self.viewer.operates_in(getattr(obj, "city", None))

    def _counterpart_refs(self) -> set[PartyRef]:
        if self._counterparts is None:
            self._counterparts = self._load_counterparts()
        return self._counterparts

    def _load_counterparts(self) -> set[PartyRef]:
        org_id = self.viewer.organization_id
        models = LISTING_MODELS

        def owned(kind_col: Any, id_col: Any) -> Any:
            clauses = [and_(kind_col == PartyKind.organization, id_col == org_id)]
            for kind, model in models.items():
                ids = select(model.id).where(model.organization_id == org_id)
                clauses.append(and_(kind_col == kind, id_col.in_(ids)))
            return or_(*clauses)

        intro = Introduction
        rows = self.session.execute(
            select(
                intro.party_a_kind,
                intro.party_a_id,
                intro.party_b_kind,
                intro.party_b_id,
                owned(intro.party_a_kind, intro.party_a_id).label("a_owned"),
            ).where(
                _reached_contacted(),
                or_(
                    owned(intro.party_a_kind, intro.party_a_id),
                    owned(intro.party_b_kind, intro.party_b_id),
                ),
            )
        ).all()
        refs: set[PartyRef] = set()
        for a_kind, a_id, b_kind, b_id, a_owned in rows:
            refs.add((b_kind, b_id) if a_owned else (a_kind, a_id))
        return refs


def _reached_contacted() -> Any:
    """Introductions that have reached "contacted", whether or not they are closed since."""
    intro = Introduction
    return and_(
        intro.status != IntroductionStatus.proposed,
        or_(intro.contacted_at.is_not(None), intro.status.in_(_PAST_CONTACTED)),
    )
