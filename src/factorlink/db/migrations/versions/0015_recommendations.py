"""stored recommendations (`factorlink recommend --all`) and their runs

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import factorlink.db.base

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recommendation_runs",
        sa.Column("started_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("finished_at", factorlink.db.base.UTCDateTime(), nullable=True),
        sa.Column("kinds", factorlink.db.base.StringList(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("encoder", sa.String(length=20), nullable=False),
        sa.Column("cursor", sa.JSON(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendation_runs")),
    )
    op.create_table(
        "recommendations",
        sa.Column("source_kind", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("encoder", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("source_digest", sa.BigInteger(), nullable=False),
        sa.Column("computed_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("items", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["recommendation_runs.id"],
            name=op.f("fk_recommendations_run_id_recommendation_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommendations")),
        sa.UniqueConstraint(
            "source_kind", "source_id", "target_kind", name="uq_recommendations_direction"
        ),
    )
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recommendations_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recommendations_run_id"))
    op.drop_table("recommendations")
    op.drop_table("recommendation_runs")
