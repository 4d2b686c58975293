"""training facts: who attended how many sessions, per month, session mode and topic;
and each session's marks (how many, how many present)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 21:00:00.000000

The dashboard and the periodic report count people over these rows instead of the
million marks (app.facts keeps them in step with every write). The upgrade fills them
from the marks already recorded, so the figures are right at once. An index of the
enrolments by course and status serves the completion figures.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A frozen copy of app.facts' recount, as of this revision.
_MONTH = {
    "sqlite": "CAST(strftime('%Y', s.starts_at) AS INTEGER) * 100"
    " + CAST(strftime('%m', s.starts_at) AS INTEGER)",
    "postgresql": "CAST(EXTRACT(YEAR FROM s.starts_at) * 100"
    " + EXTRACT(MONTH FROM s.starts_at) AS INTEGER)",
}
_FILL = """
WITH m AS (
    SELECT e.person_id AS person_id, {month} AS month, s.mode AS mode, a.session_id AS session_id
    FROM attendance a
    JOIN sessions s ON s.id = a.session_id
    JOIN enrolments e ON e.id = a.enrolment_id
    WHERE a.status IN ('present', 'late')
), f AS (
    SELECT person_id, month, mode, 0 AS topic_id, count(*) AS sessions
    FROM m GROUP BY person_id, month, mode
    UNION ALL
    SELECT m.person_id, m.month, m.mode, st.topic_id, count(*)
    FROM m JOIN session_topics st ON st.session_id = m.session_id
    GROUP BY m.person_id, m.month, m.mode, st.topic_id
)
INSERT INTO training_facts (person_id, month, mode, topic_id, sessions, prev_month, prev_any)
SELECT person_id, month, mode, topic_id, sessions,
    coalesce(lag(month) OVER (PARTITION BY person_id, mode, topic_id ORDER BY month), 0),
    coalesce(lag(month) OVER (PARTITION BY person_id, topic_id ORDER BY month, mode), 0)
FROM f
"""
_FILL_SESSIONS = """
INSERT INTO session_facts (session_id, present, marked)
SELECT session_id, sum(CASE WHEN status IN ('present', 'late') THEN 1 ELSE 0 END), count(*)
FROM attendance GROUP BY session_id
"""


def upgrade() -> None:
    op.create_table(
        "training_facts",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("prev_month", sa.Integer(), nullable=False),
        sa.Column("prev_any", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_training_facts_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "person_id", "month", "mode", "topic_id", name=op.f("pk_training_facts")
        ),
    )
    op.create_table(
        "session_facts",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("marked", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_facts_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_session_facts")),
    )
    op.create_index("ix_enrolments_course_status", "enrolments", ["course_id", "status"])
    dialect = op.get_bind().dialect.name
    op.execute(_FILL.format(month=_MONTH.get(dialect, _MONTH["postgresql"])))
    op.execute(_FILL_SESSIONS)
    # Indexed once filled: one sort instead of a million inserts into the index.
    op.create_index(
        "ix_training_facts_scan",
        "training_facts",
        ["topic_id", "month", "mode", "prev_month", "prev_any", "person_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_enrolments_course_status", table_name="enrolments")
    op.drop_table("session_facts")
    op.drop_index("ix_training_facts_scan", table_name="training_facts")
    op.drop_table("training_facts")
