"""the welcomed (carriers) and invested (capital) industries as typed beside the catalogue's

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TYPED = ("carriers", "capital")


def upgrade() -> None:
    for table in TYPED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("industries_text", sa.String(length=300), nullable=True))


def downgrade() -> None:
    for table in reversed(TYPED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("industries_text")
