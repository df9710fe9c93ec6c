"""Bids and the audit log are append-only: neither the app nor raw SQL may change them."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DatabaseError

from factorlink.auction.models import Answer, AuditEntry, Bid
from factorlink.db.session import Database
from tests.auction.conftest import BuildFloor, bid


@pytest.fixture
def audited(auction_client: TestClient, build_floor: BuildFloor) -> None:
    floor = build_floor(bidders=2)
    assert bid(auction_client, floor, 0, 300).status_code == 201
    assert bid(auction_client, floor, 1, 201).status_code == 409


@pytest.mark.usefixtures("audited")
@pytest.mark.parametrize(("model", "column"), [(AuditEntry, "reason"), (Bid, "max_yuan")])
def test_orm_updates_and_deletes_are_refused(database: Database, model: type, column: str) -> None:
    with pytest.raises(PermissionError), database.unit_of_work() as session:
        row = session.scalars(select(model)).first()
        setattr(row, column, 1 if column == "max_yuan" else "rewritten")
        session.flush()
    with pytest.raises(PermissionError), database.unit_of_work() as session:
        session.delete(session.scalars(select(model)).first())
        session.flush()


@pytest.mark.usefixtures("audited")
@pytest.mark.parametrize("table", ["auction_audit", "auction_bids"])
def test_the_database_refuses_raw_updates_and_deletes(database: Database, table: str) -> None:
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), database.unit_of_work() as s:
            s.execute(text(statement))
    model = AuditEntry if table == "auction_audit" else Bid
    with pytest.raises(DatabaseError), database.unit_of_work() as session:
        session.execute(update(model).values(lot_id=model.lot_id))
    with pytest.raises(DatabaseError), database.unit_of_work() as session:
        session.execute(delete(model))
    with database.unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(model)) == (
            2 if model is AuditEntry else 1
        )


@pytest.mark.usefixtures("audited")
def test_answers_are_append_only_too(database: Database) -> None:
    with pytest.raises(DatabaseError, match="append-only"), database.unit_of_work() as s:
        s.execute(text("UPDATE auction_answers SET status = 201"))
    with pytest.raises(DatabaseError, match="append-only"), database.unit_of_work() as s:
        s.execute(text("DELETE FROM auction_answers"))
    with pytest.raises(PermissionError), database.unit_of_work() as session:
        session.delete(session.scalars(select(Answer)).first())
        session.flush()


@pytest.mark.usefixtures("audited")
@pytest.mark.parametrize("table", ["auction_audit", "auction_bids", "auction_answers"])
def test_postgres_refuses_truncate(database: Database, table: str) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (its DELETE is refused above)")
    with pytest.raises(DatabaseError, match="append-only"), database.unit_of_work() as s:
        s.execute(text(f"TRUNCATE {table} CASCADE"))
    with database.unit_of_work() as session:
        assert session.scalar(text(f"SELECT count(*) FROM {table}"))
