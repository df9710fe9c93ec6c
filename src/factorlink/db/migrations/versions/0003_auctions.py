"""auctions: sessions, lots, bidders, bids, results, append-only audit log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 20:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import factorlink.db.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Bids and the audit log are append-only: the database itself refuses UPDATE and DELETE.
APPEND_ONLY = ("auction_bids", "auction_audit")


def upgrade() -> None:
    op.create_table(
        "auction_audit",
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("bidder_id", sa.Integer(), nullable=True),
        sa.Column("bid_id", sa.Integer(), nullable=True),
        sa.Column("amount_yuan", sa.BigInteger(), nullable=True),
        sa.Column("price_after_yuan", sa.BigInteger(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("reason_code", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_audit")),
    )
    op.create_index(op.f("ix_auction_audit_lot_id"), "auction_audit", ["lot_id"], unique=False)
    op.create_table(
        "auction_sessions",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("draft", "open", "closed", name="sessionstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("starts_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("ends_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("extension_minutes", sa.Integer(), nullable=False),
        sa.Column("bands", sa.JSON(), nullable=False),
        sa.Column("deposit_yuan", sa.BigInteger(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_auction_sessions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_sessions")),
    )
    op.create_table(
        "auction_bidders",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "approved", "rejected", name="bidderstatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("deposit_yuan", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", factorlink.db.base.UTCDateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_auction_bidders_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_auction_bidders_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["auction_sessions.id"],
            name=op.f("fk_auction_bidders_session_id_auction_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_auction_bidders_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_bidders")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_auction_bidders_session_id")),
    )
    op.create_index(
        op.f("ix_auction_bidders_session_id"), "auction_bidders", ["session_id"], unique=False
    )
    op.create_table(
        "auction_lots",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("achievement_id", sa.Integer(), nullable=True),
        sa.Column("achievement_code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("city", sa.String(length=32), nullable=True),
        sa.Column("industry", sa.String(length=32), nullable=True),
        sa.Column("start_yuan", sa.BigInteger(), nullable=False),
        sa.Column("reserve_yuan", sa.BigInteger(), nullable=True),
        sa.Column("deposit_yuan", sa.BigInteger(), nullable=False),
        sa.Column("single_offer", sa.Boolean(), nullable=False),
        sa.Column("opens_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("closes_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("end_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("price_yuan", sa.BigInteger(), nullable=True),
        sa.Column("leader_bidder_id", sa.Integer(), nullable=True),
        sa.Column("leader_label", sa.String(length=20), nullable=True),
        sa.Column("leader_max_yuan", sa.BigInteger(), nullable=True),
        sa.Column("runner_up_max_yuan", sa.BigInteger(), nullable=True),
        sa.Column("bid_count", sa.Integer(), nullable=False),
        sa.Column("bidder_count", sa.Integer(), nullable=False),
        sa.Column("extension_count", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("closed_at", factorlink.db.base.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["achievement_id"],
            ["achievements.id"],
            name=op.f("fk_auction_lots_achievement_id_achievements"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["leader_bidder_id"],
            ["auction_bidders.id"],
            name=op.f("fk_auction_lots_leader_bidder_id_auction_bidders"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["auction_sessions.id"],
            name=op.f("fk_auction_lots_session_id_auction_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_lots")),
        sa.UniqueConstraint("session_id", "number", name=op.f("uq_auction_lots_session_id")),
    )
    op.create_index(
        op.f("ix_auction_lots_achievement_id"), "auction_lots", ["achievement_id"], unique=False
    )
    op.create_index(
        op.f("ix_auction_lots_session_id"), "auction_lots", ["session_id"], unique=False
    )
    op.create_table(
        "auction_bids",
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("bidder_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("max_yuan", sa.BigInteger(), nullable=False),
        sa.Column("price_after_yuan", sa.BigInteger(), nullable=False),
        sa.Column("leading_after", sa.Boolean(), nullable=False),
        sa.Column("end_at_after", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("placed_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bidder_id"],
            ["auction_bidders.id"],
            name=op.f("fk_auction_bids_bidder_id_auction_bidders"),
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["auction_lots.id"], name=op.f("fk_auction_bids_lot_id_auction_lots")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_bids")),
        sa.UniqueConstraint("bidder_id", "idempotency_key", name=op.f("uq_auction_bids_bidder_id")),
    )
    op.create_index(op.f("ix_auction_bids_lot_id"), "auction_bids", ["lot_id"], unique=False)
    op.create_table(
        "auction_results",
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("sold", sa.Boolean(), nullable=False),
        sa.Column("hammer_yuan", sa.BigInteger(), nullable=True),
        sa.Column("premium_yuan", sa.BigInteger(), nullable=True),
        sa.Column("winner_bidder_id", sa.Integer(), nullable=True),
        sa.Column("winner_label", sa.String(length=20), nullable=True),
        sa.Column("introduction_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introductions.id"],
            name=op.f("fk_auction_results_introduction_id_introductions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["auction_lots.id"], name=op.f("fk_auction_results_lot_id_auction_lots")
        ),
        sa.ForeignKeyConstraint(
            ["winner_bidder_id"],
            ["auction_bidders.id"],
            name=op.f("fk_auction_results_winner_bidder_id_auction_bidders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auction_results")),
        sa.UniqueConstraint("lot_id", name=op.f("uq_auction_results_lot_id")),
    )
    for table in APPEND_ONLY:
        _append_only(table)


def _append_only(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION factorlink_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION factorlink_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS factorlink_append_only()")
    op.drop_table("auction_results")
    op.drop_index(op.f("ix_auction_bids_lot_id"), table_name="auction_bids")
    op.drop_table("auction_bids")
    op.drop_index(op.f("ix_auction_lots_session_id"), table_name="auction_lots")
    op.drop_index(op.f("ix_auction_lots_achievement_id"), table_name="auction_lots")
    op.drop_table("auction_lots")
    op.drop_index(op.f("ix_auction_bidders_session_id"), table_name="auction_bidders")
    op.drop_table("auction_bidders")
    op.drop_table("auction_sessions")
    op.drop_index(op.f("ix_auction_audit_lot_id"), table_name="auction_audit")
    op.drop_table("auction_audit")
