"""training facts carry the person's unit (where they live or work), for the dashboard's
counts by commune and by unit without reading the people; and training_counts, the facts
counted per (topic, month, mode, prev_month, prev_any) for the province-wide counts

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 00:30:00.000000

app.facts keeps the column in step: a person's unit change recounts that person's rows.
The upgrade fills it from the people and rebuilds the scan index with the unit at its
end, so the counts by unit read the index alone; and fills training_counts from the facts.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SCAN = ["topic_id", "month", "mode", "prev_month", "prev_any", "person_id"]
_FILL = {
    "sqlite": "UPDATE training_facts SET unit_id ="
    " (SELECT people.unit_id FROM people WHERE people.id = training_facts.person_id)",
    "postgresql": "UPDATE training_facts SET unit_id = people.unit_id"
    " FROM people WHERE people.id = training_facts.person_id",
}


def upgrade() -> None:
    op.drop_index("ix_training_facts_scan", table_name="training_facts")
    # No foreign key: derived data, rebuilt by `taphuan check --rebuild-facts`; a unit is
    # never removed while people belong to it (people.unit_id is RESTRICT).
    op.add_column("training_facts", sa.Column("unit_id", sa.Integer(), nullable=True))
    dialect = op.get_bind().dialect.name
    op.execute(_FILL.get(dialect, _FILL["postgresql"]))
    op.create_index("ix_training_facts_scan", "training_facts", [*_SCAN, "unit_id"])
    op.create_table(
        "training_counts",
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("prev_month", sa.Integer(), nullable=False),
        sa.Column("prev_any", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "topic_id", "month", "mode", "prev_month", "prev_any", name=op.f("pk_training_counts")
        ),
    )
    op.execute(
        "INSERT INTO training_counts (topic_id, month, mode, prev_month, prev_any, people)"
        " SELECT topic_id, month, mode, prev_month, prev_any, count(*) FROM training_facts"
        " GROUP BY topic_id, month, mode, prev_month, prev_any"
    )


def downgrade() -> None:
    op.drop_table("training_counts")
    op.drop_index("ix_training_facts_scan", table_name="training_facts")
    with op.batch_alter_table("training_facts") as batch:
        batch.drop_column("unit_id")
    op.create_index("ix_training_facts_scan", "training_facts", _SCAN)
