"""auctions run from the web: the session's announcement, rules and deposit instructions, when
its results were published, a lot's appraised value, and when a bidder accepted the terms

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factorlink.db.base import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auction_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announcement", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("rules", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("deposit_instructions", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("results_published_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("auction_lots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("appraised_yuan", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("auction_bidders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("terms_accepted_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("auction_bidders", schema=None) as batch_op:
        batch_op.drop_column("terms_accepted_at")
    with op.batch_alter_table("auction_lots", schema=None) as batch_op:
        batch_op.drop_column("appraised_yuan")
    with op.batch_alter_table("auction_sessions", schema=None) as batch_op:
        batch_op.drop_column("results_published_at")
        batch_op.drop_column("deposit_instructions")
        batch_op.drop_column("rules")
        batch_op.drop_column("announcement")
