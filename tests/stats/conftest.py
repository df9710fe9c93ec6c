"""A small corridor with known figures for the statistics tests.

Introductions (A → B, proposed, outcome):
  1 demand 嘉兴/nev      → achievement 杭州   2026-01-05  signed 2026-01-15   260 万元
  2 demand 松江/ai       → achievement 杭州   2026-02-20  signed 2026-03-02   100 万元
  3 lead 松江 (space)    → carrier 松江       2026-03-10  signed 2026-03-31T23:30Z  50 万元
  4 demand 嘉兴/nev      → expert 合肥        2026-02-01  closed 2026-02-10
  5 lead 松江/materials  → achievement 合肥   2026-04-01  proposed
Deal 3 takes the carrier's first industry (equipment) and is still March in UTC.
Leads: technology 松江 (2026-03-01), space 松江 (2026-03-05), capital 合肥 (2026-05-01, new).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from factorlink.db.session import Database
from tests.introduction.builders import add_lead, add_listing, introduce


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def corridor(database: Database) -> dict[str, int]:
    """Stores the listings, leads and introductions above; returns the introduction ids."""
    hz1 = add_listing(database, "achievement")
    hz2 = add_listing(database, "achievement", title="车规级毫米波雷达芯片", industry="集成电路")
    hf = add_listing(
        database, "achievement", title="固态电池电解质", industry="新能源", city="合肥"
    )
    jx = add_listing(database, "demand")
    sj = add_listing(database, "demand", title="工业视觉质检算法", industry="人工智能", city="松江")
    carrier = add_listing(database, "carrier")
    expert = add_listing(database, "expert")
    add_listing(database, "capital")
    tech = add_lead(database, utc("2026-03-01T02:00"), city="松江", industry="新材料")
    space = add_lead(database, utc("2026-03-05T02:00"), city="松江", lead_type="空间")
    add_lead(database, utc("2026-05-01T02:00"), city="合肥", lead_type="资本")
    negotiate = [("contacted", "2026-01-06"), ("negotiating", "2026-01-10")]
    return {
        "1": introduce(
            database,
            ("demand", jx),
            ("achievement", hz1),
            [*_steps(negotiate), ("signed", utc("2026-01-15"), {"amount_wan": 260})],
            at=utc("2026-01-05"),
        ),
        "2": introduce(
            database,
            ("demand", sj),
            ("achievement", hz2),
            [
                *_steps([("contacted", "2026-02-21"), ("negotiating", "2026-02-25")]),
                ("signed", utc("2026-03-02"), {"amount_wan": 100}),
            ],
            at=utc("2026-02-20"),
        ),
        "3": introduce(
            database,
            ("lead", space),
            ("carrier", carrier),
            [
                *_steps([("contacted", "2026-03-11"), ("negotiating", "2026-03-20")]),
                ("signed", utc("2026-03-31T23:30"), {"amount_wan": 50}),
            ],
            at=utc("2026-03-10"),
        ),
        "4": introduce(
            database,
            ("demand", jx),
            ("expert", expert),
            [("closed", utc("2026-02-10"), {"reason": "专家档期已满"})],
            at=utc("2026-02-01"),
        ),
        "5": introduce(database, ("lead", tech), ("achievement", hf), at=utc("2026-04-01")),
    }


def _steps(steps: list[tuple[str, str]]) -> list[tuple[str, datetime, dict[str, object]]]:
    return [(to, utc(at), {}) for to, at in steps]
