"""person merges

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 21:39:03.944209
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=60), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("dropped_id", sa.Integer(), nullable=False),
        sa.Column("moves", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dropped_id"],
            ["people.id"],
            name=op.f("fk_person_merges_dropped_id_people"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["kept_id"],
            ["people.id"],
            name=op.f("fk_person_merges_kept_id_people"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merges")),
    )
    with op.batch_alter_table("person_merges", schema=None) as batch_op:
        batch_op.create_index("ix_person_merges_dropped_id", ["dropped_id"], unique=False)
        batch_op.create_index("ix_person_merges_kept_id", ["kept_id"], unique=False)

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_people_merged_into_id", ["merged_into_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_people_merged_into_id_people"),
            "people",
            ["merged_into_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_people_merged_into_id_people"), type_="foreignkey")
        batch_op.drop_index("ix_people_merged_into_id")
        batch_op.drop_column("merged_into_id")

    with op.batch_alter_table("person_merges", schema=None) as batch_op:
        batch_op.drop_index("ix_person_merges_kept_id")
        batch_op.drop_index("ix_person_merges_dropped_id")

    op.drop_table("person_merges")
