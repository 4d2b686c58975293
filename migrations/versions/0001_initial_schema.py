"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 21:23:54.364969
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_entries_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("group_name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("code", name=op.f("uq_topics_code")),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "scheme",
            sa.Enum(
                "pre2025", "2025", name="unit_scheme", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column(
            "level",
            sa.Enum(
                "province",
                "district",
                "commune",
                "hamlet",
                name="unit_level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=10), nullable=True),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("search_key", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from",
            name=op.f("ck_units_valid_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["units.id"], name=op.f("fk_units_parent_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("scheme", "level", "code", name=op.f("uq_units_scheme_level_code")),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index("ix_units_parent_id", ["parent_id"], unique=False)
        batch_op.create_index("ix_units_search_key", ["search_key"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=150), nullable=False),
        sa.Column("family_name", sa.String(length=60), nullable=False),
        sa.Column("middle_name", sa.String(length=90), nullable=False),
        sa.Column("given_name", sa.String(length=40), nullable=False),
        sa.Column(
            "sort_key",
            sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("search_key", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("birth_year_only", sa.Boolean(), nullable=False),
        sa.Column(
            "gender",
            sa.Enum("male", "female", name="gender", native_enum=False, create_constraint=True),
            nullable=True,
        ),
        sa.Column("citizen_id", sa.String(length=12), nullable=True),
        sa.Column("phone", sa.String(length=11), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("workplace", sa.String(length=200), nullable=True),
        sa.Column("position", sa.String(length=120), nullable=True),
        sa.Column("is_trainer", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "birth_date IS NULL OR birth_date >= '1900-01-01'",
            name=op.f("ck_people_birth_date_range"),
        ),
        sa.CheckConstraint(
            "citizen_id IS NULL OR length(citizen_id) = 12",
            name=op.f("ck_people_citizen_id_length"),
        ),
        sa.CheckConstraint("length(full_name) > 0", name=op.f("ck_people_full_name_not_empty")),
        sa.CheckConstraint(
            "phone IS NULL OR length(phone) IN (10, 11)", name=op.f("ck_people_phone_length")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_people_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("citizen_id", name=op.f("uq_people_citizen_id")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index("ix_people_birth_date", ["birth_date"], unique=False)
        batch_op.create_index("ix_people_phone", ["phone"], unique=False)
        batch_op.create_index("ix_people_search_key", ["search_key"], unique=False)
        batch_op.create_index("ix_people_sort_key", ["sort_key"], unique=False)
        batch_op.create_index("ix_people_unit_id", ["unit_id"], unique=False)

    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "province",
                "district",
                "commune",
                "hamlet",
                name="team_level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("established_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["teams.id"], name=op.f("fk_teams_parent_id_teams"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_teams_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("unit_id", "name", name=op.f("uq_teams_unit_id_name")),
    )
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.create_index("ix_teams_parent_id", ["parent_id"], unique=False)

    op.create_table(
        "unit_lineage",
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("predecessor_id <> successor_id", name=op.f("ck_unit_lineage_not_self")),
        sa.ForeignKeyConstraint(
            ["predecessor_id"],
            ["units.id"],
            name=op.f("fk_unit_lineage_predecessor_id_units"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"],
            ["units.id"],
            name=op.f("fk_unit_lineage_successor_id_units"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("predecessor_id", "successor_id", name=op.f("pk_unit_lineage")),
    )
    with op.batch_alter_table("unit_lineage", schema=None) as batch_op:
        batch_op.create_index("ix_unit_lineage_successor_id", ["successor_id"], unique=False)

    op.create_table(
        "venues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity > 0", name=op.f("ck_venues_capacity_positive")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_venues_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venues")),
    )
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.create_index("ix_venues_unit_id", ["unit_id"], unique=False)

    op.create_table(
        "courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("organiser", sa.String(length=300), nullable=False),
        sa.Column("co_organiser", sa.String(length=300), nullable=True),
        sa.Column("audience", sa.String(length=300), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("min_enrolment", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "planned",
                "open",
                "running",
                "finished",
                "cancelled",
                name="course_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("is_online", sa.Boolean(), nullable=False),
        sa.Column("min_attendance_pct", sa.Integer(), nullable=False),
        sa.Column("score_scale", sa.Integer(), nullable=False),
        sa.Column("pass_score", sa.Float(), nullable=True),
        sa.Column("default_venue_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("cancelled_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "capacity IS NULL OR capacity > 0", name=op.f("ck_courses_capacity_positive")
        ),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_courses_dates")),
        sa.CheckConstraint(
            "min_attendance_pct BETWEEN 0 AND 100", name=op.f("ck_courses_min_attendance_pct")
        ),
        sa.CheckConstraint(
            "min_enrolment IS NULL OR min_enrolment >= 0", name=op.f("ck_courses_min_enrolment")
        ),
        sa.CheckConstraint(
            "pass_score IS NULL OR (pass_score >= 0 AND pass_score <= score_scale)",
            name=op.f("ck_courses_pass_score"),
        ),
        sa.CheckConstraint("score_scale IN (10, 100)", name=op.f("ck_courses_score_scale")),
        sa.ForeignKeyConstraint(
            ["default_venue_id"],
            ["venues.id"],
            name=op.f("fk_courses_default_venue_id_venues"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_courses_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
        sa.UniqueConstraint("code", name=op.f("uq_courses_code")),
    )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index("ix_courses_default_venue_id", ["default_venue_id"], unique=False)
        batch_op.create_index("ix_courses_start_date", ["start_date"], unique=False)
        batch_op.create_index("ix_courses_unit_id", ["unit_id"], unique=False)

    op.create_table(
        "team_memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "leader",
                "deputy",
                "member",
                name="team_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "commune_leader",
                "civil_servant",
                "mass_organisation",
                "hamlet_head",
                "telecom_staff",
                "youth_union",
                "other",
                name="member_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on",
            name=op.f("ck_team_memberships_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_team_memberships_person_id_people"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_team_memberships_team_id_teams"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_memberships")),
    )
    with op.batch_alter_table("team_memberships", schema=None) as batch_op:
        batch_op.create_index("ix_team_memberships_person_id", ["person_id"], unique=False)
        batch_op.create_index("ix_team_memberships_team_id", ["team_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("full_name", sa.String(length=150), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "staff",
                "trainer",
                name="user_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_users_person_id_people"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_person_id"), ["person_id"], unique=False)

    op.create_table(
        "course_topics",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_course_topics_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_course_topics_topic_id_topics"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("course_id", "topic_id", name=op.f("pk_course_topics")),
    )
    with op.batch_alter_table("course_topics", schema=None) as batch_op:
        batch_op.create_index("ix_course_topics_topic_id", ["topic_id"], unique=False)

    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "registered",
                "waitlisted",
                "withdrawn",
                "completed",
                "not_completed",
                name="enrolment_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("pre_score", sa.Float(), nullable=True),
        sa.Column("post_score", sa.Float(), nullable=True),
        sa.Column(
            "completion_override",
            sa.Enum(
                "registered",
                "waitlisted",
                "withdrawn",
                "completed",
                "not_completed",
                name="completion_override",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "completion_override IS NULL OR override_reason IS NOT NULL",
            name=op.f("ck_enrolments_override_reason"),
        ),
        sa.CheckConstraint(
            "post_score IS NULL OR (post_score >= 0 AND post_score <= 100)",
            name=op.f("ck_enrolments_post_score"),
        ),
        sa.CheckConstraint(
            "pre_score IS NULL OR (pre_score >= 0 AND pre_score <= 100)",
            name=op.f("ck_enrolments_pre_score"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_enrolments_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_enrolments_person_id_people"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolments")),
        sa.UniqueConstraint(
            "course_id", "person_id", name=op.f("uq_enrolments_course_id_person_id")
        ),
    )
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index("ix_enrolments_person_id", ["person_id"], unique=False)

    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=True),
        sa.Column(
            "mode",
            sa.Enum(
                "in_person",
                "online",
                name="session_mode",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("online_link", sa.String(length=500), nullable=True),
        sa.Column("grace_minutes", sa.Integer(), nullable=False),
        sa.Column("clash_override_reason", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_sessions_times")),
        sa.CheckConstraint("grace_minutes >= 0", name=op.f("ck_sessions_grace_minutes")),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_sessions_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_sessions_venue_id_venues"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index("ix_sessions_course_id", ["course_id"], unique=False)
        batch_op.create_index("ix_sessions_starts_at", ["starts_at"], unique=False)
        batch_op.create_index("ix_sessions_venue_id", ["venue_id"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "present",
                "late",
                "excused",
                "absent",
                name="attendance_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("check_in_at", sa.DateTime(), nullable=True),
        sa.Column(
            "method",
            sa.Enum(
                "manual",
                "scan",
                "import",
                name="attendance_method",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolments.id"],
            name=op.f("fk_attendance_enrolment_id_enrolments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_attendance_session_id_sessions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint(
            "session_id", "enrolment_id", name=op.f("uq_attendance_session_id_enrolment_id")
        ),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index("ix_attendance_enrolment_id", ["enrolment_id"], unique=False)

    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=40), nullable=False),
        sa.Column("verification_code", sa.String(length=40), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "valid",
                "revoked",
                name="certificate_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.String(length=60), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=True),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status <> 'revoked' OR (revoked_reason IS NOT NULL AND revoked_at IS NOT NULL)",
            name=op.f("ck_certificates_revocation"),
        ),
        sa.CheckConstraint(
            "replaces_id IS NULL OR replaces_id <> id", name=op.f("ck_certificates_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_certificates_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolments.id"],
            name=op.f("fk_certificates_enrolment_id_enrolments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_certificates_person_id_people"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["certificates.id"],
            name=op.f("fk_certificates_replaces_id_certificates"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("serial", name=op.f("uq_certificates_serial")),
        sa.UniqueConstraint("verification_code", name=op.f("uq_certificates_verification_code")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index("ix_certificates_course_id", ["course_id"], unique=False)
        batch_op.create_index("ix_certificates_enrolment_id", ["enrolment_id"], unique=False)
        batch_op.create_index("ix_certificates_person_id", ["person_id"], unique=False)
        batch_op.create_index("ix_certificates_replaces_id", ["replaces_id"], unique=False)

    op.create_table(
        "session_topics",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_topics_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_session_topics_topic_id_topics"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("session_id", "topic_id", name=op.f("pk_session_topics")),
    )
    with op.batch_alter_table("session_topics", schema=None) as batch_op:
        batch_op.create_index("ix_session_topics_topic_id", ["topic_id"], unique=False)

    op.create_table(
        "session_trainers",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_session_trainers_person_id_people"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_trainers_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", "person_id", name=op.f("pk_session_trainers")),
    )
    with op.batch_alter_table("session_trainers", schema=None) as batch_op:
        batch_op.create_index("ix_session_trainers_person_id", ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("session_trainers", schema=None) as batch_op:
        batch_op.drop_index("ix_session_trainers_person_id")

    op.drop_table("session_trainers")
    with op.batch_alter_table("session_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_session_topics_topic_id")

    op.drop_table("session_topics")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index("ix_certificates_replaces_id")
        batch_op.drop_index("ix_certificates_person_id")
        batch_op.drop_index("ix_certificates_enrolment_id")
        batch_op.drop_index("ix_certificates_course_id")

    op.drop_table("certificates")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index("ix_attendance_enrolment_id")

    op.drop_table("attendance")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_sessions_venue_id")
        batch_op.drop_index("ix_sessions_starts_at")
        batch_op.drop_index("ix_sessions_course_id")

    op.drop_table("sessions")
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index("ix_enrolments_person_id")

    op.drop_table("enrolments")
    with op.batch_alter_table("course_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_course_topics_topic_id")

    op.drop_table("course_topics")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_person_id"))

    op.drop_table("users")
    with op.batch_alter_table("team_memberships", schema=None) as batch_op:
        batch_op.drop_index("ix_team_memberships_team_id")
        batch_op.drop_index("ix_team_memberships_person_id")

    op.drop_table("team_memberships")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index("ix_courses_unit_id")
        batch_op.drop_index("ix_courses_start_date")
        batch_op.drop_index("ix_courses_default_venue_id")

    op.drop_table("courses")
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.drop_index("ix_venues_unit_id")

    op.drop_table("venues")
    with op.batch_alter_table("unit_lineage", schema=None) as batch_op:
        batch_op.drop_index("ix_unit_lineage_successor_id")

    op.drop_table("unit_lineage")
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_index("ix_teams_parent_id")

    op.drop_table("teams")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_unit_id")
        batch_op.drop_index("ix_people_sort_key")
        batch_op.drop_index("ix_people_search_key")
        batch_op.drop_index("ix_people_phone")
        batch_op.drop_index("ix_people_birth_date")

    op.drop_table("people")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index("ix_units_search_key")
        batch_op.drop_index("ix_units_parent_id")

    op.drop_table("units")
    op.drop_table("topics")
    op.drop_table("settings")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_entity")
        batch_op.drop_index("ix_audit_entries_at")

    op.drop_table("audit_entries")
