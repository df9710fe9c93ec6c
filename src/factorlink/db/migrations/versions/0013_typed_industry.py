"""the industry as typed beside the catalogue's (achievements, demands, organisations, leads),
and leads' duplicate key (two copies sent at once are stored once)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TYPED = ("achievements", "demands", "organizations", "leads")


def upgrade() -> None:
    for table in TYPED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("industry_text", sa.String(length=100), nullable=True))
    # Leads stored before hold no key: the intake still finds them by mobile and need.
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duplicate_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_leads_duplicate_key"), ["duplicate_key"])


def downgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_leads_duplicate_key"), type_="unique")
        batch_op.drop_column("duplicate_key")
    for table in reversed(TYPED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("industry_text")
