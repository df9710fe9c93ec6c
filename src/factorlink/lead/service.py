"""Rules for leads: intake with consent, the operators' inbox, and erasure of personal data."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from factorlink.auth import access
from factorlink.auth.tokens import digest
from factorlink.auth.viewer import Viewer
from factorlink.db.base import utcnow
from factorlink.errors import NotFound, PermissionDenied
from factorlink.introduction.models import FollowUp, PartyKind
from factorlink.introduction.presenter import Desk
from factorlink.introduction.repository import FollowUpRepository, user_names
from factorlink.introduction.service import IntroductionService, check_owner, new_follow_up
from factorlink.kit.filters import filter_error, resolve_city
from factorlink.kit.pagination import PageParams
from factorlink.kit.table import CellError, ParsedRow
from factorlink.kit.timezones import BEIJING
from factorlink.lead.intake import SPEC, parse_lead
from factorlink.lead.models import Lead, LeadLink, LeadStatus
from factorlink.lead.repository import LeadFilters, LeadKey, LeadRepository
from factorlink.listing.service import invalid_input
from factorlink.matching.service import Match, match_for_lead
from factorlink.privacy.masking import mask_mobiles_in
from factorlink.privacy.policy import Contact, ContactPolicy
from factorlink.reference import get_region
from factorlink.validation.parsers import normalize

# 受理编号: the corridor's short name, the day (Beijing time) and four characters nobody
# misreads on the phone (no 0/O, 1/I/L): "G60-20261205-7K3Q". Random, so neither the id nor
# the number of leads a day shows through.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# The fields a later copy of a lead fills in or corrects when merged into it.
MERGED_FIELDS = (
    "purpose",
    "annual_tax_wan",
    "annual_tax_text",
    "company",
    "contact_name",
    "preferred_cities",
    "industry",
    "industry_text",
    "city",
    "district",
)


def new_reference(short: str, at: datetime) -> str:
    """A fresh 受理编号 for a lead received at a time."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
    return f"{short}-{at.astimezone(BEIJING):%Y%m%d}-{code}"


def new_link_token() -> str:
    """The random secret of a lead's private link (no personal data in it)."""
    return secrets.token_urlsafe(24)


def duplicate_key(mobile: str, need: str) -> str:
    """The digest a lead holds while copies with its mobile and need (as `need_key` folds it)
    merge into it: a unique column, so two copies sent at the same moment cannot both be
    stored. No personal data in clear: a SHA-256 digest, cleared when the lead is erased."""
    return digest(f"{mobile}\x1f{need_key(need)}")


def need_key(text: str) -> str:
    """A need as compared for duplicates: case, width, spaces and punctuation left out."""
    folded = normalize(text).casefold()
    return "".join(ch for ch in folded if not unicodedata.category(ch).startswith(("P", "Z")))


# Leads received this close together that share a mobile, a company or a need are flagged in the
# inbox as possible duplicates (疑似重复); the intake already merges a copy with the same mobile
# and need sent within FACTORLINK_LEAD_DUPLICATE_HOURS.
DUPLICATE_WINDOW = timedelta(days=30)


def looks_same(a: LeadKey, b: LeadKey, window: timedelta = DUPLICATE_WINDOW) -> bool:
    """Tells whether two different leads received within the window of each other share a
    mobile, a company or a need (compared as `need_key` folds them)."""
    if a.id == b.id or abs(a.created_at - b.created_at) > window:
        return False
    if a.contact_mobile and a.contact_mobile == b.contact_mobile:
        return True
    if a.company and b.company and need_key(a.company) == need_key(b.company):
        return True
    return need_key(a.need) == need_key(b.need)


def _lookalike_fields(key: LeadKey) -> list[tuple[str, str]]:
    """What a lead is looked up by among the others: its mobile, company and need, folded."""
    fields = [("need", need_key(key.need))]
    if key.contact_mobile:
        fields.append(("mobile", key.contact_mobile))
    if key.company:
        fields.append(("company", need_key(key.company)))
    return fields


@dataclass(frozen=True)
class Receipt:
    """What a lead's sender gets back: the lead (a new one, or the earlier one this copy was
    merged into) and the secret of a private link to it, shown once and stored as a digest."""

    lead: Lead
    link_token: str
    merged: bool


@dataclass(frozen=True)
class Intake:
    """A stored lead and its current best matches."""

    lead: Lead
    matches: list[Match]


def lead_in_scope(viewer: Viewer, lead: Lead) -> bool:
    """Tells whether staff may handle a lead: any of its cities in scope, or it names none."""
    if viewer.is_admin:
        return True
    if not viewer.is_operator:
        return False
    cities = [c for c in (lead.city, *lead.preferred_cities) if c]
    return not cities or not viewer.city_scope or any(viewer.operates_in(c) for c in cities)


def resolve_filters(filters: LeadFilters) -> LeadFilters:
    """Accepts the city as people write it (松江, 上海市松江区) as well as its code."""
    errors: list[CellError] = []
    city = resolve_city(filters.city, errors)
    if errors:
        raise filter_error(errors)
    return replace(filters, city=city)


class LeadService:
    """Leads: anyone may send one; staff in scope review, introduce and erase them."""

    def __init__(self, session: Session, viewer: Viewer) -> None:
        self.session = session
        self.viewer = viewer
        self.repository = LeadRepository(session)
        self.policy = ContactPolicy(session, viewer)

    def submit(
        self, cells: Mapping[str, Any], *, source: str = "api", created_at: datetime | None = None
    ) -> Lead:
        """Validates and stores a lead; consent time is the server's time (or created_at)."""
        return self._store(self.parse(cells), source, created_at or utcnow())

    def parse(self, cells: Mapping[str, Any]) -> ParsedRow:
        """A lead message read field by field; InvalidInput naming every bad field."""
        row = parse_lead(cells)
        if not row.ok:
            raise invalid_input(row.errors, SPEC)
        return row

    def send(self, row: ParsedRow, *, source: str, merge_window: timedelta) -> Receipt:
        """Stores a parsed lead, or merges it into the lead with the same mobile and need sent
        within the window (its later answers fill in and correct the earlier ones), and hands
        out a private link to it."""
        at = utcnow()
        self._write_lock()
        if merge_window <= timedelta(0):
            lead, merged = self._store(row, source, at), False
        elif (earlier := self._same_lead(row.values, at - merge_window)) is not None:
            lead, merged = self._merge(earlier, row.values, at), True
        else:
            lead, merged = self._store_once(row, source, at, at - merge_window)
        token = new_link_token()
        self.session.add(LeadLink(lead_id=lead.id, token_hash=digest(token), created_at=at))
        self.session.flush()
        return Receipt(lead, token, merged=merged)

    def _write_lock(self) -> None:
        """On SQLite, takes the write lock before the duplicate check (BEGIN IMMEDIATE, as
        `Database.unit_of_work(immediate=True)` does), so two copies sent at once are checked
        one after the other; PostgreSQL checks them side by side and the unique duplicate key
        settles it (`_store_once`). A unit already in a transaction keeps it."""
        connection = self.session.connection()
        if connection.dialect.name != "sqlite":
            return
        raw: Any = connection.connection.dbapi_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    @staticmethod
    def _merge(lead: Lead, values: Mapping[str, Any], at: datetime) -> Lead:
        """A later copy's answers fill in and correct the earlier lead's."""
        for key in MERGED_FIELDS:
            value = values.get(key)
            if value not in (None, [], ""):
                setattr(lead, key, value)
        if values.get("city"):  # a city given again brings its district, or none
            lead.district = values.get("district")
        lead.updated_at = at
        return lead

    def _store_once(
        self, row: ParsedRow, source: str, at: datetime, since: datetime
    ) -> tuple[Lead, bool]:
        """Stores a lead holding its `duplicate_key`, or merges it into the lead holding the key
        since `since`: also one a copy sent at the same moment stored while this one was read
        (on PostgreSQL the unique key refuses the second insert once the first commits).
        Returns the lead and whether it was merged."""
        key = duplicate_key(row.values["contact_mobile"], row.values["need"])
        held = self.repository.by_duplicate_key(key)
        if held is not None:
            if held.created_at >= since:
                return self._merge(held, row.values, at), True
            held.duplicate_key = None  # past the window: the key moves on to the new lead
            self.session.flush()
        reference = self._new_reference(at)
        try:
            with self.session.begin_nested():
                lead = self._store(row, source, at, reference=reference, duplicate_key=key)
        except IntegrityError:
            held = self.repository.by_duplicate_key(key)
            if held is None:
                raise
            return self._merge(held, row.values, at), True
        return lead, False

    def by_link(self, token: str) -> Lead:
        """The lead a private link opens (anyone holding the link is its sender)."""
        lead = self.repository.by_link_digest(digest(token))
        if lead is None:
            raise NotFound(
                "链接无效或已失效,请核对后重试", message_en="This link is not valid (any more)"
            )
        return lead

    def withdraw_by_link(self, token: str) -> Lead:
        """The sender withdraws consent through their private link (as staff do on request)."""
        return self._withdraw(self.by_link(token))

    def erase_by_link(self, token: str) -> Lead:
        """The sender erases their personal data through their private link."""
        return self._erase(self.by_link(token))

    def _store(
        self,
        row: ParsedRow,
        source: str,
        at: datetime,
        *,
        reference: str | None = None,
        duplicate_key: str | None = None,
    ) -> Lead:
        lead = Lead(**row.values, consent=True, consent_at=at, source=source)
        lead.created_at = lead.updated_at = at
        lead.reference = reference or self._new_reference(at)
        lead.duplicate_key = duplicate_key
        return self.repository.add(lead)

    def _new_reference(self, at: datetime) -> str:
        short = get_region().short
        while True:
            reference = new_reference(short, at)
            if not self.repository.reference_taken(reference):
                return reference

    def _same_lead(self, values: Mapping[str, Any], since: datetime) -> Lead | None:
        key = need_key(values["need"])
        for lead in self.repository.recent_of_mobile(values["contact_mobile"], since):
            if need_key(lead.need) == key:
                return lead
        return None

    def submit_with_matches(
        self, cells: Mapping[str, Any], *, source: str = "api", limit: int = 10
    ) -> Intake:
        """Stores a lead and finds its best current counterparts."""
        lead = self.submit(cells, source=source)
        return Intake(lead, self.matches(lead, limit))

    def matches(self, lead: Lead, limit: int = 10) -> list[Match]:
        """A lead's best current counterparts, as this viewer may see them."""
        return match_for_lead(self.session, self.viewer, lead, limit)

    def search(self, filters: LeadFilters, params: PageParams) -> tuple[Sequence[Lead], int]:
        """One page of the inbox this operator may see."""
        self._require_staff()
        filters = resolve_filters(filters)
        return self.repository.page(self.repository.search_statement(filters, self.viewer), params)

    def get(self, id_: int) -> Lead:
        """Gets a lead the viewer may handle."""
        self._require_staff()
        lead = self.repository.get(id_)
        if lead is None:
            raise NotFound(f"线索{id_}不存在", message_en=f"lead {id_} not found")
        if not lead_in_scope(self.viewer, lead):
            raise PermissionDenied(
                "该线索不在您的运营范围内", message_en="Lead outside your operator scope"
            )
        return lead

    def set_status(self, id_: int, status: LeadStatus) -> Lead:
        """Moves a lead in the inbox; the time it entered the status is kept (days in stage)."""
        lead = self.get(id_)
        if lead.status != status:
            lead.status = status
            lead.status_at = utcnow()
        self.session.flush()
        return lead

    def set_owner(self, id_: int, owner_id: int | None) -> Lead:
        """Gives a lead an owner (负责人), an operator or admin, or none."""
        lead = self.get(id_)
        check_owner(self.session, owner_id)
        lead.owner_id = owner_id
        self.session.flush()
        return lead

    def add_follow_up(
        self,
        id_: int,
        note: str,
        next_step: str | None = None,
        due_on: date | None = None,
        *,
        at: datetime | None = None,
    ) -> FollowUp:
        """Adds a dated entry to a lead's work log (a call made, what was learnt), with the next
        step and its day if given; a new lead is then being handled (处理中)."""
        lead = self.get(id_)
        entry = new_follow_up(self.viewer, note, next_step, due_on, at)
        entry.lead_id = lead.id
        self.session.add(entry)
        if lead.status == LeadStatus.new:
            lead.status = LeadStatus.reviewing
            lead.status_at = entry.at
        self.session.flush()
        return entry

    def follow_ups(self, ids: Sequence[int]) -> dict[int, list[FollowUp]]:
        """The work log of each lead, oldest first."""
        return FollowUpRepository(self.session).of_leads(ids)

    def desk(self, leads: Sequence[Lead], now: datetime | None = None) -> Desk:
        """The cockpit's view of these leads: owners, work logs and the names of who wrote."""
        logs = self.follow_ups([lead.id for lead in leads])
        users = [lead.owner_id for lead in leads]
        users += [e.by_user_id for log in logs.values() for e in log]
        return Desk(user_names(self.session, users), logs, now or utcnow())

    def duplicates(
        self, leads: Sequence[Lead], window: timedelta = DUPLICATE_WINDOW
    ) -> dict[int, list[int]]:
        """For each lead, the other leads the viewer may handle that look the same
        (`looks_same`), by id: the period's leads are indexed once by mobile, folded company and
        folded need, so a page or an export of thousands costs one pass, not a pass per lead."""
        keys = self.repository.lookalike_keys(leads, window, self.viewer)
        index: dict[tuple[str, str], list[LeadKey]] = {}
        for key in keys:
            for field in _lookalike_fields(key):
                index.setdefault(field, []).append(key)
        found: dict[int, list[int]] = {}
        for lead in leads:
            own = LeadKey(lead.id, lead.created_at, lead.contact_mobile, lead.company, lead.need)
            near = {k.id: k for f in _lookalike_fields(own) for k in index.get(f, ())}
            found[lead.id] = sorted(i for i, k in near.items() if looks_same(own, k, window))
        return found

    def withdraw_consent(self, id_: int) -> Lead:
        """Records the withdrawal of consent; the contact details go with it."""
        return self._withdraw(self.get(id_))

    def erase_personal_data(self, id_: int) -> Lead:
        """Deletes the sender's name, mobile and company; need, type and cities stay for stats."""
        return self._erase(self.get(id_))

    def erase_expired(self, retention: timedelta, now: datetime | None = None) -> int:
        """Erases the personal data of every lead received longer ago than the retention period
        the consent text names (FACTORLINK_LEAD_RETENTION_DAYS); returns how many."""
        access.require_staff(self.viewer)
        cutoff = (now or utcnow()) - retention
        leads = self.repository.kept_since_before(cutoff)
        for lead in leads:
            self._erase(lead)
        return len(leads)

    def _withdraw(self, lead: Lead) -> Lead:
        if lead.consent_withdrawn_at is None:
            lead.consent_withdrawn_at = utcnow()
        lead.consent = False
        # Nobody may go on contacting the sender: open introductions of the lead are closed.
        IntroductionService(self.session, self.viewer).close_open_of_lead(
            lead.id, "线索发送人撤回同意 (consent withdrawn)"
        )
        return self._erase(lead)

    def _erase(self, lead: Lead) -> Lead:
        lead.contact_name = lead.contact_mobile = lead.company = None
        # A mobile an operator wrote into the work log goes too.
        for entry in self.follow_ups([lead.id])[lead.id]:
            entry.note = mask_mobiles_in(entry.note) or ""
            entry.next_step = entry.next_step and mask_mobiles_in(entry.next_step)
        lead.duplicate_key = None  # the digest of the mobile goes with it
        if lead.erased_at is None:
            lead.erased_at = utcnow()
        self.session.flush()
        return lead

    def contact(self, lead: Lead) -> Contact:
        """The lead's contact as the viewer may see it."""
        return self.policy.contact(PartyKind.lead, lead)

    def _require_staff(self) -> None:
        access.require_staff(self.viewer)
