"""people list index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 21:58:30.809926
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_people_sort_key"))
        batch_op.create_index(
            "ix_people_list", ["archived_at", "sort_key", "search_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_list")
        batch_op.create_index(batch_op.f("ix_people_sort_key"), ["sort_key"], unique=False)
