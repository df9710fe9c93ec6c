"""carriers' photos (carrier_photos): order, cover, caption and the content hashes of their files

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import factorlink.db.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "carrier_photos",
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("caption", sa.String(length=60), nullable=True),
        sa.Column("display_sha256", sa.String(length=64), nullable=False),
        sa.Column("thumb_sha256", sa.String(length=64), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_id"],
            ["carriers.id"],
            name=op.f("fk_carrier_photos_carrier_id_carriers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_carrier_photos_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_photos")),
        sa.UniqueConstraint("carrier_id", "source_sha256", name="uq_carrier_photos_source"),
    )
    with op.batch_alter_table("carrier_photos", schema=None) as batch_op:
        batch_op.create_index(
            "ix_carrier_photos_carrier_position", ["carrier_id", "position"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_carrier_photos_display_sha256"), ["display_sha256"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_carrier_photos_thumb_sha256"), ["thumb_sha256"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("carrier_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carrier_photos_thumb_sha256"))
        batch_op.drop_index(batch_op.f("ix_carrier_photos_display_sha256"))
        batch_op.drop_index("ix_carrier_photos_carrier_position")
    op.drop_table("carrier_photos")
