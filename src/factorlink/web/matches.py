"""The match panel of a detail page: the matching engine's explained matches, when it is there.

The engine (factorlink.matching.service.find_matches / targets_for) is being rebuilt; until it
lands the panel says so, and only leads show matches (through match_for_lead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.introduction.vocab import party_label
from factorlink.matching import service as matching
from factorlink.reference import city_name

LIMIT = 10


@dataclass
class MatchPanel:
    """What the panel shows: the target kinds, the one chosen, and its matches."""

    ready: bool
    targets: list[tuple[str, str]] = field(default_factory=list)
    target: str | None = None
    items: list[dict[str, Any]] = field(default_factory=list)


def _engine() -> tuple[Any, Any]:
    # Looked up by name: the engine's functions exist only once issue 3 has landed.
    return getattr(matching, "find_matches", None), getattr(matching, "targets_for", None)


def engine_ready() -> bool:
    """Tells whether the matching engine's listing matches are available."""
    find, targets = _engine()
    return callable(find) and callable(targets)


def _item(match: Any) -> dict[str, Any]:
    criteria = [
        {
            "label": c.label,
            "label_en": c.label_en,
            "met": c.met,
            "detail": c.detail,
            "detail_en": c.detail_en,
        }
        for c in getattr(match, "criteria", ()) or ()
    ]
    return {
        "kind": match.kind,
        "kind_label": party_label(match.kind),
        "id": match.id,
        "code": match.code,
        "title": match.title,
        "city_name": city_name(match.city) or "—",
        "score": float(match.score),
        "lexical": getattr(match, "lexical", None),
        "semantic": getattr(match, "semantic", None),
        "fit": getattr(match, "fit", None),
        "terms": list(match.terms),
        "criteria": criteria,
        "contact_name": match.contact_name,
        "contact_mobile": match.contact_mobile,
        "contact_masked": match.contact_masked,
    }


def panel(session: Session, viewer: Viewer, kind: str, id_: int, target: str | None) -> MatchPanel:
    """The matches of one listing against one target kind (the first one by default)."""
    find, targets_for = _engine()
    if not (callable(find) and callable(targets_for)):
        return MatchPanel(ready=False)
    targets = list(targets_for(kind))
    if not targets:
        return MatchPanel(ready=True)
    chosen = target if target in targets else targets[0]
    found = find(session, viewer, kind, id_, chosen, limit=LIMIT)
    return MatchPanel(
        ready=True,
        targets=[(t, party_label(t)) for t in targets],
        target=chosen,
        items=[_item(m) for m in found.items],
    )


def lead_items(matches: list[Any]) -> list[dict[str, Any]]:
    """The matches a lead's sender is shown (keyword matcher: shared terms, no criteria)."""
    return [_item(m) for m in matches]
