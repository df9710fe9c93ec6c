"""leads: 受理编号 (reference), 税收 as typed, and the private links their senders hold

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 00:45:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from factorlink.db.base import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The alphabet of lead.references (no 0/O, 1/I/L): leads stored before get one too.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def upgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("annual_tax_text", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("reference", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_leads_reference"), ["reference"])
    leads = sa.table(
        "leads",
        sa.column("id", sa.Integer()),
        sa.column("created_at", UTCDateTime()),
        sa.column("reference", sa.String()),
    )
    bind = op.get_bind()
    taken: set[str] = set()
    for id_, created_at in bind.execute(sa.select(leads.c.id, leads.c.created_at)).all():
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(4))
            reference = f"G60-{created_at:%Y%m%d}-{code}"
            if reference not in taken:
                break
        taken.add(reference)
        bind.execute(leads.update().where(leads.c.id == id_).values(reference=reference))
    op.create_table(
        "lead_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_links_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_lead_links_token_hash")),
    )
    op.create_index(op.f("ix_lead_links_lead_id"), "lead_links", ["lead_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_lead_links_lead_id"), table_name="lead_links")
    op.drop_table("lead_links")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_leads_reference"), type_="unique")
        batch_op.drop_column("reference")
        batch_op.drop_column("annual_tax_text")
