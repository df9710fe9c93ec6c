"""Turns introductions and their parties into API shapes, with display names."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from factorlink.db.base import utcnow
from factorlink.introduction import rules
from factorlink.introduction.models import FollowUp, Introduction, IntroductionStatus, PartyKind
from factorlink.introduction.parties import (
    party_city,
    party_code,
    party_company,
    party_industry,
    party_label,
    party_owner,
    party_title,
)
from factorlink.introduction.repository import PartyRef
from factorlink.introduction.schemas import (
    FollowUpOut,
    IntroductionDetailOut,
    IntroductionOut,
    PartyOut,
)
from factorlink.introduction.vocab import status_label
from factorlink.privacy.policy import Contact
from factorlink.reference import city_name, industry_name


def present_party(kind: PartyKind, obj: Any, contact: Contact) -> PartyOut:
    """A party's summary."""
    city, industry = party_city(kind, obj), party_industry(kind, obj)
    return PartyOut(
        kind=kind,
        kind_label=party_label(kind),
        id=obj.id,
        code=party_code(kind, obj),
        title=party_title(kind, obj),
        city=city,
        city_name=city_name(city),
        industry=industry,
        industry_name=industry_name(industry),
        organization_id=party_owner(kind, obj),
        # A lead's company is its sender's: shown with the contact, to those who see it.
        company=None if kind == PartyKind.lead and contact.masked else party_company(kind, obj),
        contact_name=contact.name,
        contact_mobile=contact.mobile,
        contact_masked=contact.masked,
    )


ContactOf = Callable[[PartyKind, Any], Contact]


@dataclass(frozen=True)
class Desk:
    """What the operators' cockpit adds to leads and introductions: the users' names, the work
    logs by item id, and the time ages are counted to. Members get none of it."""

    names: Mapping[int, str] = field(default_factory=dict)
    logs: Mapping[int, Sequence[FollowUp]] = field(default_factory=dict)
    now: datetime = field(default_factory=utcnow)


def present_follow_up(entry: FollowUp, names: Mapping[int, str]) -> FollowUpOut:
    """A work-log entry with the name of who wrote it."""
    out = FollowUpOut.model_validate(entry)
    by = entry.by_user_id
    return out.model_copy(update={"by_name": names.get(by) if by is not None else None})


def work_fields(
    owner_id: int | None, log: Sequence[FollowUp], desk: Desk, started: datetime | None
) -> dict[str, Any]:
    """The owner, days in the current stage, and the last next step written."""
    planned = [e for e in log if e.next_step]
    last = planned[-1] if planned else None
    return {
        "owner_id": owner_id,
        "owner_name": desk.names.get(owner_id) if owner_id is not None else None,
        "days_in_stage": rules.days_between(started, desk.now) if started else 0,
        "next_step": last.next_step if last else None,
        "next_step_due": last.due_on if last else None,
        "last_follow_up_at": log[-1].at if log else None,
        "follow_ups": [present_follow_up(e, desk.names) for e in log],
    }


def introduction_work(intro: Introduction, desk: Desk) -> dict[str, Any]:
    """An introduction's owner, days in its step (stalled past the step's limit), next step and
    work log."""
    stamps = {f"{s.value}_at": getattr(intro, f"{s.value}_at", None) for s in IntroductionStatus}
    started = rules.stage_started(intro.status, stamps)
    found = work_fields(intro.owner_id, desk.logs.get(intro.id, ()), desk, started)
    found["stalled"] = rules.stalled(intro.status, found["days_in_stage"])
    return found


def present_introduction(
    intro: Introduction, parties: dict[PartyRef, Any], contact: ContactOf, desk: Desk | None = None
) -> IntroductionOut:
    """An introduction with both sides; `contact(kind, obj)` gives a contact as seen; with a
    desk (staff), its owner, ages and next step."""
    update = _extras(intro, parties, contact) | _work(intro, desk)
    update.pop("follow_ups", None)
    return IntroductionOut.model_validate(intro).model_copy(update=update)


def present_detail(
    intro: Introduction, parties: dict[PartyRef, Any], contact: ContactOf, desk: Desk | None = None
) -> IntroductionDetailOut:
    """An introduction with both sides and its history; with a desk (staff), its work log."""
    return IntroductionDetailOut.model_validate(intro).model_copy(
        update=_extras(intro, parties, contact) | _work(intro, desk)
    )


def _work(intro: Introduction, desk: Desk | None) -> dict[str, Any]:
    if desk is None:  # members: no owner, ages or notes of the operators
        return {"owner_id": None}
    return introduction_work(intro, desk)


def _extras(
    intro: Introduction, parties: dict[PartyRef, Any], contact: ContactOf
) -> dict[str, Any]:
    def side(kind: PartyKind, id_: int) -> PartyOut | None:
        obj = parties.get((kind, id_))
        return present_party(kind, obj, contact(kind, obj)) if obj is not None else None

    return {
        "party_a": side(intro.party_a_kind, intro.party_a_id),
        "party_b": side(intro.party_b_kind, intro.party_b_id),
        "city_name": city_name(intro.city),
        "counterpart_city_name": city_name(intro.counterpart_city),
        "industry_name": industry_name(intro.industry),
        "status_label": status_label(intro.status),
        "allowed_next": [IntroductionStatus(s) for s in rules.allowed_next(intro.status)],
    }
