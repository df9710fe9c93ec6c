"""The match panel of a detail page: the matching engine's explained matches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from factorlink.auth.viewer import Viewer
from factorlink.introduction.parties import party_label
from factorlink.matching.live.indexes import waiting_for_vectors
from factorlink.matching.service import find_matches, targets_for
from factorlink.reference import city_name
from factorlink.web.catalog import detail_href, shown_code
from factorlink.web.i18n import register

LIMIT = 10
PENDING_NOTE = "有 %d 条新发布的要素正在建立语义索引,匹配结果将在几分钟内更完整"
COMPUTED_NOTE = "推荐结果计算于 %s(每晚更新;要素有改动时即时重新匹配)"

register(
    {
        PENDING_NOTE: "%d newly posted listings are still being indexed by meaning; "
        "matches will be more complete within a few minutes",
        COMPUTED_NOTE: "Recommendations computed %s (nightly; matched afresh once a listing "
        "changes)",
    }
)


@dataclass
class MatchPanel:
    """What the panel shows: the target kinds, the one chosen, and its matches."""

    targets: list[tuple[str, str]] = field(default_factory=list)
    target: str | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    # Factors of the target kind still waiting for vectors (matched by their words meanwhile).
    pending_vectors: int = 0
    # When the matches shown were computed ahead (`factorlink recommend`); None: searched now.
    computed_at: datetime | None = None


def item(match: Any, staff: bool = False) -> dict[str, Any]:
    """One match as the templates show it: score and its parts, shared terms, criteria; its
    code only where it says something, or to operators."""
    return {
        "kind": match.kind,
        "kind_label": party_label(match.kind),
        "id": match.id,
        "href": detail_href(match.kind, match.id),
        "code": match.code if staff else shown_code(match.code),
        "title": match.title,
        "city_name": city_name(match.city) or "—",
        "score": float(match.score),
        "lexical": match.lexical,
        "semantic": match.semantic,
        "fit": match.fit,
        "terms": list(match.terms),
        # A reason is shown only where it applies (both sides state what it needs).
        "criteria": [c for c in match.criteria if c.applies],
        "contact_name": match.contact_name,
        "contact_mobile": match.contact_mobile,
        "contact_masked": match.contact_masked,
    }


def visible_targets(kind: str, viewer: Viewer) -> list[str]:
    """The kinds a factor can be matched to that this viewer may see (leads: staff only)."""
    return [t for t in targets_for(kind) if t != "lead" or viewer.is_staff]


def panel(session: Session, viewer: Viewer, kind: str, id_: int, target: str | None) -> MatchPanel:
    """The matches of one factor against one target kind (the first one by default)."""
    targets = visible_targets(kind, viewer)
    if not targets:
        return MatchPanel()
    chosen = target if target in targets else targets[0]
    found = find_matches(session, viewer, kind, id_, chosen, limit=LIMIT)
    return MatchPanel(
        targets=[(t, party_label(t)) for t in targets],
        target=chosen,
        items=[item(m, viewer.is_staff) for m in found.items],
        pending_vectors=waiting_for_vectors(session, chosen),
        computed_at=found.computed_at,
    )
