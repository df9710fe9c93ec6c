"""listing details (issue 14): a carrier's building, land and delivery, an achievement's
patents and listing period, a demand's deadline as typed, a loan's terms; listing views and
follows

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 02:40:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from factorlink.db.base import StringList, UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CARRIER: tuple[sa.Column[Any], ...] = (
    sa.Column("address", sa.String(length=200), nullable=True),
    sa.Column("ceiling_height_m", sa.Float(), nullable=True),
    sa.Column("floor_load_t", sa.Float(), nullable=True),
    sa.Column("power_kva", sa.Float(), nullable=True),
    sa.Column("crane", sa.Boolean(), nullable=True),
    sa.Column("crane_tonnes", sa.Float(), nullable=True),
    sa.Column("divisible", sa.Boolean(), nullable=True),
    sa.Column("min_split_sqm", sa.Float(), nullable=True),
    sa.Column("delivery_date", sa.Date(), nullable=True),
    sa.Column("delivery_text", sa.String(length=50), nullable=True),
    sa.Column("land_use", sa.String(length=20), nullable=True),
    sa.Column("tenure_years", sa.Integer(), nullable=True),
)
ACHIEVEMENT: tuple[sa.Column[Any], ...] = (
    sa.Column("patent_numbers", StringList(), server_default="[]", nullable=False),
    sa.Column("patent_status", sa.String(length=20), nullable=True),
    sa.Column("rights_holder", sa.String(length=200), nullable=True),
    sa.Column("listed_from", sa.Date(), nullable=True),
    sa.Column("listed_until", sa.Date(), nullable=True),
)
DEMAND: tuple[sa.Column[Any], ...] = (
    sa.Column("deadline_text", sa.String(length=50), nullable=True),
)
CAPITAL: tuple[sa.Column[Any], ...] = (
    sa.Column("loan_term_min_months", sa.Integer(), nullable=True),
    sa.Column("loan_term_max_months", sa.Integer(), nullable=True),
    sa.Column("loan_rate_min_pct", sa.Float(), nullable=True),
    sa.Column("loan_rate_max_pct", sa.Float(), nullable=True),
    sa.Column("loan_rate_text", sa.String(length=50), nullable=True),
    sa.Column("eligibility", sa.Text(), nullable=True),
    sa.Column("how_to_apply", sa.Text(), nullable=True),
)
TABLES = {
    "carriers": CARRIER,
    "achievements": ACHIEVEMENT,
    "demands": DEMAND,
    "capital": CAPITAL,
}


def _fresh(column: sa.Column[Any]) -> sa.Column[Any]:
    # A column belongs to one table: each run of the migration adds a new one like it.
    return sa.Column(
        column.name, column.type, server_default=column.server_default, nullable=column.nullable
    )


def upgrade() -> None:
    for table, columns in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.add_column(_fresh(column))
    op.create_table(
        "listing_views",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "listing_id", name=op.f("pk_listing_views")),
    )
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("user_id", "kind", "listing_id", name="uq_follows_user_listing"),
    )
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.create_index("ix_follows_listing", ["kind", "listing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follows_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follows_user_id"))
        batch_op.drop_index("ix_follows_listing")
    op.drop_table("follows")
    op.drop_table("listing_views")
    for table, columns in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(column.name)
