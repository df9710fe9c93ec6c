"""Loading sample leads and introductions, with their history, from JSON Lines files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from factorlink.db.session import Database
from factorlink.errors import FactorLinkError
from factorlink.introduction.models import Introduction, IntroductionEvent, IntroductionStatus
from factorlink.lead.models import Lead, LeadStatus
from factorlink.sample.activity import ActivityReport, load_activity
from tests.introduction.builders import ADMIN, LEAD, add_listing


def _write(path: Path, rows: list[Any]) -> None:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )


def _load(database: Database, data_dir: Path) -> ActivityReport:
    with database.unit_of_work() as session:
        return load_activity(session, ADMIN, data_dir)


def _count(database: Database, model: Any) -> int:
    with database.unit_of_work() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def activity(database: Database, tmp_path: Path) -> Path:
    """Two leads, and three introductions: one signed, one closed, one of a lead."""
    add_listing(database, "demand", code="DEM-1")
    add_listing(database, "achievement", code="ACH-1")
    add_listing(database, "carrier", code="CAR-1")
    _write(
        tmp_path / "leads.jsonl",
        [
            {**LEAD, "created_at": "2026-02-01T09:00:00+08:00"},
            {**LEAD, "need": "求租2000㎡厂房", "lead_type": "空间", "city": "松江"},
        ],
    )
    _write(
        tmp_path / "introductions.jsonl",
        [
            {
                "a": {"kind": "demand", "code": "DEM-1"},
                "b": {"kind": "achievement", "code": "ACH-1"},
                "steps": [
                    {"to": "contacted", "at": "2026-03-02T08:00:00Z"},
                    {"to": "negotiating", "at": "2026-03-09T08:00:00Z"},
                    {"to": "signed", "at": "2026-03-20T08:00:00Z", "amount_wan": 260},
                ],
            },
            {
                "a": {"kind": "lead", "index": 1},
                "b": {"kind": "carrier", "code": "CAR-1"},
                "at": "2026-02-03T00:00:00Z",
                "steps": [{"to": "closed", "at": "2026-02-10T00:00:00Z", "reason": "面积不符"}],
            },
            {"a": {"kind": "lead", "index": 0}, "b": {"kind": "achievement", "code": "ACH-1"}},
        ],
    )
    return tmp_path


def test_activity_loads_with_its_history(database: Database, activity: Path) -> None:
    report = _load(database, activity)
    assert report == ActivityReport(leads_added=2, introductions_added=3)
    with database.unit_of_work() as session:
        leads = session.scalars(select(Lead).order_by(Lead.id)).all()
        first = leads[0]
        assert first.created_at == first.consent_at == datetime(2026, 2, 1, 1, tzinfo=UTC)
        assert first.source == "sample" and first.status == LeadStatus.introduced
        intros = session.scalars(select(Introduction).order_by(Introduction.id)).all()
        signed = intros[0]
        assert (signed.status, signed.amount_wan) == (IntroductionStatus.signed, 260)
        assert signed.proposed_at == datetime(2026, 3, 2, 8, tzinfo=UTC)  # the first step's time
        assert signed.signed_at == datetime(2026, 3, 20, 8, tzinfo=UTC)
        assert [e.to_status for e in signed.events] == [
            "proposed",
            "contacted",
            "negotiating",
            "signed",
        ]
        closed = intros[1]
        assert (closed.status, closed.close_reason) == (IntroductionStatus.closed, "面积不符")
        assert closed.proposed_at == datetime(2026, 2, 3, tzinfo=UTC)
        assert (closed.party_a_kind, closed.party_a_id) == ("lead", leads[1].id)


def test_loading_twice_adds_nothing(database: Database, activity: Path) -> None:
    _load(database, activity)
    counts = (
        _count(database, Lead),
        _count(database, Introduction),
        _count(database, IntroductionEvent),
    )
    again = _load(database, activity)
    assert again == ActivityReport(leads_existing=2, introductions_existing=3)
    assert (
        _count(database, Lead),
        _count(database, Introduction),
        _count(database, IntroductionEvent),
    ) == counts


def test_missing_files_load_nothing(database: Database, tmp_path: Path) -> None:
    assert _load(database, tmp_path) == ActivityReport()


def _intro(a: dict[str, Any], b: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"a": a, "b": b, **extra}


DEMAND, CARRIER = {"kind": "demand", "code": "DEM-1"}, {"kind": "carrier", "code": "CAR-1"}
BAD_LINES: list[tuple[str, Any, str]] = [
    ("leads.jsonl", {"need": "x", "consent": True}, "联系人"),
    ("leads.jsonl", "{not json", "JSON"),
    ("leads.jsonl", {**LEAD, "created_at": "yesterday"}, "yesterday"),
    ("introductions.jsonl", _intro({"kind": "demand", "code": "DEM-404"}, CARRIER), "DEM-404"),
    ("introductions.jsonl", _intro({"kind": "lead", "index": 9}, CARRIER), "9"),
    ("introductions.jsonl", _intro(DEMAND, CARRIER, steps=[{"to": "signed"}]), "signed"),
    ("introductions.jsonl", _intro(DEMAND, CARRIER, steps=[{"to": "won"}]), "won"),
]


@pytest.mark.parametrize(("file", "line", "says"), BAD_LINES)
def test_a_bad_line_stops_the_load_naming_file_and_line(
    database: Database, activity: Path, file: str, line: Any, says: str
) -> None:
    path = activity / file
    text = line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
    path.write_text(path.read_text(encoding="utf-8") + text + "\n", encoding="utf-8")
    number = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(FactorLinkError) as raised:
        _load(database, activity)
    error = raised.value
    assert error.message.startswith(f"{file} 第{number}行")
    assert says in error.message + str(error.errors)
    assert all(e["file"] == file and e["row"] == number for e in error.errors)
    # Nothing of the failed load stays.
    assert _count(database, Lead) == 0 and _count(database, Introduction) == 0
