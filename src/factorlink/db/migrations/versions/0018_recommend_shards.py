"""a recommendation run's share of the listings (`factorlink recommend --all --shard I/N`)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("recommendation_runs") as batch:
        batch.add_column(sa.Column("shard", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("shards", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("recommendation_runs") as batch:
        batch.drop_column("shards")
        batch.drop_column("shard")
