"""The lead's private link, withdrawal and erasure by it, retention, and masked titles."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from factorlink.auth.models import Role
from factorlink.auth.viewer import ANONYMOUS, Viewer
from factorlink.db.session import Database
from factorlink.errors import NotAuthenticated, NotFound
from factorlink.introduction.models import Introduction
from factorlink.lead.kind import title
from factorlink.lead.models import Lead, LeadLink
from factorlink.lead.service import LeadService, need_key, new_reference
from tests.introduction.builders import LEAD, add_lead, add_listing, introduce

ADMIN = Viewer(user_id=0, role=Role.admin)
DAY = timedelta(hours=24)


def _send(database: Database, **cells: object) -> tuple[int, str]:
    with database.unit_of_work() as session:
        service = LeadService(session, ANONYMOUS)
        receipt = service.send(service.parse({**LEAD, **cells}), source="web", merge_window=DAY)
        return receipt.lead.id, receipt.link_token


def test_the_link_opens_its_lead_only(database: Database) -> None:
    first, token = _send(database)
    second, other = _send(database, need="寻找厂房")
    with database.unit_of_work() as session:
        service = LeadService(session, ANONYMOUS)
        assert service.by_link(token).id == first and service.by_link(other).id == second
        with pytest.raises(NotFound):
            service.by_link(token[:-1] + ("A" if token[-1] != "A" else "B"))
        stored = {link.token_hash for link in session.scalars(select(LeadLink))}
        assert token not in stored and other not in stored


def test_withdrawal_by_the_link_erases_and_closes_open_introductions(database: Database) -> None:
    lead_id, token = _send(database)
    carrier = add_listing(database, "carrier")
    intro = introduce(database, ("lead", lead_id), ("carrier", carrier))
    with database.unit_of_work() as session:
        LeadService(session, ANONYMOUS).withdraw_by_link(token)
    with database.unit_of_work() as session:
        lead = session.get(Lead, lead_id)
        closed = session.get(Introduction, intro)
        assert lead is not None and closed is not None
        assert lead.consent is False and lead.contact_mobile is None and lead.company is None
        assert closed.status == "closed"


def test_anonymous_viewers_reach_no_lead_but_by_its_link(database: Database) -> None:
    lead_id, _ = _send(database)
    with database.unit_of_work() as session, pytest.raises(NotAuthenticated):
        LeadService(session, ANONYMOUS).withdraw_consent(lead_id)


def test_personal_data_older_than_the_retention_is_erased(database: Database) -> None:
    now = datetime.now(UTC)
    old = add_lead(database, created_at=now - timedelta(days=731))
    kept = add_lead(database, created_at=now - timedelta(days=729), need="寻找厂房")
    with database.unit_of_work() as session:
        assert LeadService(session, ADMIN).erase_expired(timedelta(days=730)) == 1
        with pytest.raises(NotAuthenticated):
            LeadService(session, ANONYMOUS).erase_expired(timedelta(days=730))
    with database.unit_of_work() as session:
        erased, still = session.get(Lead, old), session.get(Lead, kept)
        assert erased is not None and still is not None
        assert erased.contact_mobile is None and erased.erased_at is not None
        assert still.contact_mobile == LEAD["contact_mobile"]
        assert erased.need == LEAD["need"], "the need stays for the statistics"


def test_a_title_masks_a_mobile_typed_in_the_need(database: Database) -> None:
    lead_id = add_lead(database, need="厂房5000平方米,请联系13600004444王工")
    with database.unit_of_work() as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        assert title(lead) == "厂房5000平方米,请联系136****4444王工"
        assert lead.need == "厂房5000平方米,请联系13600004444王工", "stored as typed"


def test_references_are_random_and_read_well() -> None:
    at = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)  # 01:30 on the 5th in Beijing
    made = {new_reference("G60", at) for _ in range(50)}
    assert len(made) > 40
    for reference in made:
        prefix, day, code = reference.split("-")
        assert (prefix, day) == ("G60", "20261205")
        assert len(code) == 4 and not set(code) & set("01OIL")


def test_needs_compare_without_spaces_punctuation_or_width() -> None:
    assert need_key(" 寻找 石墨烯散热膜技术,用于手机散热模组。") == need_key(
        "寻找石墨烯散热膜技术，用于手机散热模组"
    )
    assert need_key("寻找厂房") != need_key("寻找土地")


def test_two_copies_sent_at_the_same_moment_are_stored_once(database: Database) -> None:
    # Issue 14: both copies looked for an earlier lead before either was committed, and both
    # were stored. The first copy is stored and held uncommitted until the second has looked
    # for an earlier lead (and found none: it is not committed) — or, where the second cannot
    # look before the first commits (SQLite's write lock), for a few seconds; either way the
    # second is merged into the first.
    first_stored, second_looked = threading.Event(), threading.Event()

    def first() -> tuple[int, bool]:
        with database.unit_of_work() as session:
            service = LeadService(session, ANONYMOUS)
            receipt = service.send(service.parse(dict(LEAD)), source="web", merge_window=DAY)
            first_stored.set()
            second_looked.wait(5)
            return receipt.lead.id, receipt.merged

    def second() -> tuple[int, bool, str]:
        assert first_stored.wait(60)
        with database.unit_of_work() as session:
            service = LeadService(session, ANONYMOUS)
            look = service.repository.recent_of_mobile

            def looked(mobile: str, since: datetime) -> Sequence[Lead]:
                found = look(mobile, since)
                second_looked.set()
                return found

            service.repository.recent_of_mobile = looked  # type: ignore[method-assign]
            receipt = service.send(service.parse(dict(LEAD)), source="web", merge_window=DAY)
            return receipt.lead.id, receipt.merged, receipt.link_token

    with ThreadPoolExecutor(max_workers=2) as pool:
        sent_first, sent_second = pool.submit(first), pool.submit(second)
        first_id, first_merged = sent_first.result(timeout=120)
        second_id, second_merged, token = sent_second.result(timeout=120)
    assert (first_merged, second_merged) == (False, True)
    assert first_id == second_id
    with database.unit_of_work() as session:
        assert [lead.id for lead in session.scalars(select(Lead))] == [first_id]
        # The second sender's link opens the one lead too.
        assert LeadService(session, ANONYMOUS).by_link(token).id == first_id


def test_an_erased_lead_lets_go_of_its_duplicate_key(database: Database) -> None:
    first, token = _send(database)
    with database.unit_of_work() as session:
        lead = LeadService(session, ANONYMOUS).erase_by_link(token)
        assert lead.duplicate_key is None
    again, _ = _send(database)
    assert again != first
    with database.unit_of_work() as session:
        stored = session.get(Lead, again)
        assert stored is not None and stored.duplicate_key is not None
