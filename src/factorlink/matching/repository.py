"""The queries of matching: candidate rows by id, and what an enterprise's demands say."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.demand.models import Demand
from factorlink.introduction.models import PartyKind
from factorlink.lead.repository import visible_to
from factorlink.models import PARTY_MODELS


class MatchingRepository:
    """Reads the rows matching ranks and explains."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_ids(
        self, kind: PartyKind, ids: Sequence[int], viewer: Viewer, *, on_show: bool = False
    ) -> dict[int, Any]:
        """Rows of a kind by id that the viewer may see (missing ids and leads outside an
        operator's cities are left out, in the query; with `on_show`, listings withdrawn or
        closed too: they are no one's counterpart)."""
        if not ids:
            return {}
        model = PARTY_MODELS[kind]
        stmt = select(model).where(model.id.in_(list(ids)))
        if kind == PartyKind.lead:
            stmt = stmt.where(visible_to(viewer))
        if on_show and hasattr(model, "state"):
            stmt = stmt.where(model.state == "active")
        rows = self.session.scalars(stmt)
        return {obj.id: obj for obj in rows}

    def get(self, kind: PartyKind, id_: int) -> Any:
        """One row of a kind, or None."""
        return self.session.get(PARTY_MODELS[kind], id_)

    def demand_terms(self, organization_id: int) -> list[str]:
        """Titles and keywords of an organisation's demands."""
        return self.demand_terms_by_owner([organization_id]).get(organization_id, [])

    def demand_terms_by_owner(self, owners: Sequence[int] | None) -> dict[int, list[str]]:
        """Titles and keywords of the demands of these organisations (all when None)."""
        stmt = select(Demand.organization_id, Demand.title, Demand.keywords)
        if owners is not None:
            stmt = stmt.where(Demand.organization_id.in_(list(owners)))
        terms: dict[int, list[str]] = {}
        for owner, title, keywords in self.session.execute(stmt.order_by(Demand.id)):
            if owner is not None:
                terms.setdefault(owner, []).extend([title, *keywords])
        return terms
