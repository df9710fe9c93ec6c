"""A sold lot becomes a signed introduction (achievement ↔ the winner's organisation).

So auction turnover reaches the statistics through the one deal pipeline there is.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from factorlink.auction.models import Bidder, Lot
from factorlink.auction.money import to_wan, wan_text
from factorlink.auth.models import Role
from factorlink.auth.viewer import Viewer
from factorlink.introduction.models import Introduction, IntroductionStatus, PartyKind
from factorlink.introduction.repository import IntroductionRepository
from factorlink.introduction.service import IntroductionService

# Settlement is the platform's own act, whoever's request closed the lot; user 0 has no row.
SETTLEMENT_VIEWER = Viewer(user_id=0, role=Role.admin)
STEPS = (IntroductionStatus.contacted, IntroductionStatus.negotiating, IntroductionStatus.signed)


def settle(
    session: Session, lot: Lot, winner: Bidder, hammer_yuan: int, at: datetime
) -> int | None:
    """Signs the deal of a sold lot; returns the introduction's id (None without two parties)."""
    if lot.achievement_id is None or winner.organization_id is None:
        return None
    a = (PartyKind.achievement, lot.achievement_id)
    b = (PartyKind.organization, winner.organization_id)
    service = IntroductionService(session, SETTLEMENT_VIEWER)
    note = f"拍卖成交:第{lot.number}号拍品,成交价{wan_text(hammer_yuan)}万元"
    intro = IntroductionRepository(session).between(a, b, open_only=True)
    if intro is None:
        intro = service.create(a, b, note, at=at)
    at = max([at, *(e.at for e in intro.events)])
    for step in _remaining(intro):
        amount = to_wan(hammer_yuan) if step == IntroductionStatus.signed else None
        service.transition(intro.id, step, amount_wan=amount, note=note, at=at)
    return intro.id


def _remaining(intro: Introduction) -> tuple[IntroductionStatus, ...]:
    if intro.status == IntroductionStatus.proposed:
        return STEPS
    return STEPS[STEPS.index(IntroductionStatus(intro.status)) + 1 :]
