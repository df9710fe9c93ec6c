"""matching engine: change log and index state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 20:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import factorlink.db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_changes",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("factor_id", sa.Integer(), nullable=False),
        sa.Column("at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_match_changes")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_match_changes_kind_seq", "match_changes", ["kind", "seq"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_match_changes_kind_seq", table_name="match_changes")
    op.drop_table("match_changes")
