"""certificate serials and validity

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 22:34:14.633524
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "serial_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.CheckConstraint("last >= 0", name=op.f("ck_serial_counters_last_not_negative")),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_serial_counters")),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_on", sa.Date(), nullable=True))

    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("validity_months", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_courses_validity_months"), "validity_months IS NULL OR validity_months > 0"
        )


def downgrade() -> None:
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_courses_validity_months"), type_="check")
        batch_op.drop_column("validity_months")

    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_column("expires_on")

    op.drop_table("serial_counters")
