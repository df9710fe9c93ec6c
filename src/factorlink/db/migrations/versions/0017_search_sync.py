"""the search backend's watermark in the change log (`factorlink search sync`)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 06:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import factorlink.db.base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_sync",
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("watermark", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("target", name=op.f("pk_search_sync")),
    )


def downgrade() -> None:
    op.drop_table("search_sync")
