"""events (对接会): blocks, tables, participants, meeting requests, meetings and outcomes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import factorlink.db.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "matchmaking",
                "roadshow",
                "challenge",
                "auction_preview",
                "park_day",
                "other",
                name="eventkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("city", sa.String(length=32), nullable=True),
        sa.Column("organiser_id", sa.Integer(), nullable=True),
        sa.Column("organiser_name", sa.String(length=200), nullable=True),
        sa.Column("venue", sa.String(length=300), nullable=True),
        sa.Column("online_url", sa.String(length=500), nullable=True),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("registration_opens_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("registration_closes_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column(
            "request_mode",
            sa.Enum("opt_in", "opt_out", name="requestmode", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("max_meetings", sa.Integer(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column(
            "schedule_state",
            sa.Enum(
                "idle",
                "running",
                "done",
                "failed",
                name="schedulestate",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("schedule_progress", sa.JSON(), nullable=True),
        sa.Column("schedule_started_at", factorlink.db.base.UTCDateTime(), nullable=True),
        sa.Column("schedule_finished_at", factorlink.db.base.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["users.id"],
            name=op.f("fk_events_organiser_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_city"), ["city"], unique=False)

    op.create_table(
        "event_blocks",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("ends_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_blocks_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_blocks")),
    )
    with op.batch_alter_table("event_blocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_blocks_event_id"), ["event_id"], unique=False)

    op.create_table(
        "event_participants",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("organization_name", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("contact_mobile", sa.String(length=32), nullable=True),
        sa.Column("position", sa.String(length=100), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "exhibitor",
                "investor",
                "park",
                "enterprise",
                "institute",
                name="participantrole",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("offers", sa.Text(), nullable=True),
        sa.Column("seeks", sa.Text(), nullable=True),
        sa.Column("listings", factorlink.db.base.StringList(), nullable=False),
        sa.Column("unavailable_blocks", sa.JSON(), nullable=False),
        sa.Column("guest", sa.Boolean(), nullable=False),
        sa.Column("consent_at", factorlink.db.base.UTCDateTime(), nullable=True),
        sa.Column("guest_key_hash", sa.String(length=64), nullable=True),
        sa.Column("checked_in_at", factorlink.db.base.UTCDateTime(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_participants_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_event_participants_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_event_participants_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_participants")),
        sa.UniqueConstraint("event_id", "user_id", name=op.f("uq_event_participants_event_id")),
        sa.UniqueConstraint("guest_key_hash", name=op.f("uq_event_participants_guest_key_hash")),
    )
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_participants_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "event_requests",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "accepted",
                "declined",
                "cancelled",
                "expired",
                "scheduled",
                "held",
                "no_show",
                name="requeststatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("sender_listing", sa.String(length=40), nullable=True),
        sa.Column("recipient_listing", sa.String(length=40), nullable=True),
        sa.Column("decided_at", factorlink.db.base.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_requests_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["event_participants.id"],
            name=op.f("fk_event_requests_recipient_id_event_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["event_participants.id"],
            name=op.f("fk_event_requests_sender_id_event_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_requests")),
    )
    with op.batch_alter_table("event_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_requests_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_requests_recipient_id"), ["recipient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_event_requests_sender_id"), ["sender_id"], unique=False
        )

    op.create_table(
        "event_tables",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("fixed_participant_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_tables_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["fixed_participant_id"],
            ["event_participants.id"],
            name=op.f("fk_event_tables_fixed_participant_id_event_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_tables")),
        sa.UniqueConstraint("event_id", "number", name=op.f("uq_event_tables_event_id")),
    )
    with op.batch_alter_table("event_tables", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_tables_event_id"), ["event_id"], unique=False)

    op.create_table(
        "event_meetings",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=True),
        sa.Column("created_at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_meetings_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introductions.id"],
            name=op.f("fk_event_meetings_introduction_id_introductions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["event_requests.id"],
            name=op.f("fk_event_meetings_request_id_event_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["event_tables.id"],
            name=op.f("fk_event_meetings_table_id_event_tables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_meetings")),
        sa.UniqueConstraint("request_id", name=op.f("uq_event_meetings_request_id")),
        sa.UniqueConstraint("table_id", "slot", name=op.f("uq_event_meetings_table_id")),
    )
    with op.batch_alter_table("event_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_meetings_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_meetings_introduction_id"), ["introduction_id"], unique=False
        )

    op.create_table(
        "event_outcomes",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("interested", sa.Boolean(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("at", factorlink.db.base.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["event_meetings.id"],
            name=op.f("fk_event_outcomes_meeting_id_event_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["event_participants.id"],
            name=op.f("fk_event_outcomes_participant_id_event_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_outcomes")),
        sa.UniqueConstraint(
            "meeting_id", "participant_id", name=op.f("uq_event_outcomes_meeting_id")
        ),
    )
    with op.batch_alter_table("event_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_outcomes_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("event_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_outcomes_meeting_id"))

    op.drop_table("event_outcomes")
    with op.batch_alter_table("event_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_meetings_introduction_id"))
        batch_op.drop_index(batch_op.f("ix_event_meetings_event_id"))

    op.drop_table("event_meetings")
    with op.batch_alter_table("event_tables", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_tables_event_id"))

    op.drop_table("event_tables")
    with op.batch_alter_table("event_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_requests_sender_id"))
        batch_op.drop_index(batch_op.f("ix_event_requests_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_event_requests_event_id"))

    op.drop_table("event_requests")
    with op.batch_alter_table("event_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_participants_event_id"))

    op.drop_table("event_participants")
    with op.batch_alter_table("event_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_blocks_event_id"))

    op.drop_table("event_blocks")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_city"))

    op.drop_table("events")
