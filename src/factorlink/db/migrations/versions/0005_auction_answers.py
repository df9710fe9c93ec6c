"""auctions: stored answers of keyed bid attempts, the session's city, TRUNCATE refused

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 23:30:00

- `auction_answers`: the answer to every keyed bid attempt, accepted or refused (replayed for
  a retry with the same Idempotency-Key), append-only like the bids and the audit log.
- `auction_sessions.city`: the city a session is run in (operators are scoped by city).
- PostgreSQL: TRUNCATE of the append-only tables is refused by a statement trigger (UPDATE and
  DELETE already were, row by row). SQLite has no TRUNCATE; its DELETE trigger covers it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import factorlink.db.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("auction_bids", "auction_audit", "auction_answers")


def upgrade() -> None:
    op.create_table(
        "auction_answers",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=True),
        sa.Column("problem", sa.JSON(), nullable=True),
        sa.Column("at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_answers")),
        sa.UniqueConstraint("user_id", "idempotency_key", name=op.f("uq_auction_answers_user_id")),
    )
    with op.batch_alter_table("auction_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("city", sa.String(length=32), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # factorlink_append_only() was made by 0003.
        op.execute(
            "CREATE TRIGGER auction_answers_append_only BEFORE UPDATE OR DELETE ON "
            "auction_answers FOR EACH ROW EXECUTE FUNCTION factorlink_append_only()"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION factorlink_append_only()"
            )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER auction_answers_no_{action.lower()} BEFORE {action} ON "
            "auction_answers BEGIN SELECT RAISE(ABORT, 'auction_answers is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER IF EXISTS auction_answers_append_only ON auction_answers")
    with op.batch_alter_table("auction_sessions", schema=None) as batch_op:
        batch_op.drop_column("city")
    op.drop_table("auction_answers")
