"""register numbers (số vào sổ), a course's legal basis and grade bands

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 14:30:00.000000

Each certificate gets its number in the register, from a counter of its own that never
restarts; the certificates already issued are numbered 1, 2, 3 … in order of issue (date,
then the order they were made), and the counter goes on after them. Their snapshots are
left as they were: what they printed stays what a reprint prints.

Courses gain an optional legal-basis line for their certificates and optional grade
bands (Giỏi from …, Khá from …, else Đạt).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRADE_BANDS = (
    "(grade_excellent IS NULL AND grade_good IS NULL) OR (grade_good >= 0 AND "
    "grade_excellent > grade_good AND grade_excellent <= score_scale)"
)


def upgrade() -> None:
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("legal_basis", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("grade_excellent", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("grade_good", sa.Float(), nullable=True))
        batch_op.create_check_constraint(op.f("ck_courses_grade_bands"), GRADE_BANDS)

    op.create_table(
        "register_counter",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_register_counter_one_row")),
        sa.CheckConstraint("last >= 0", name=op.f("ck_register_counter_last_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_counter")),
    )
    # A plain ADD COLUMN and CREATE INDEX: no copy of the certificates table on SQLite,
    # so its partial unique index and triggers stay exactly as they are.
    op.add_column("certificates", sa.Column("register_no", sa.Integer(), nullable=True))
    conn = op.get_bind()
    ids = conn.execute(sa.text("SELECT id FROM certificates ORDER BY issued_on, id")).scalars()
    numbered = [{"n": n, "id": cid} for n, cid in enumerate(ids, start=1)]
    if numbered:
        conn.execute(sa.text("UPDATE certificates SET register_no = :n WHERE id = :id"), numbered)
    conn.execute(
        sa.text("INSERT INTO register_counter (id, last) VALUES (1, :last)"),
        {"last": len(numbered)},
    )
    op.create_index(
        op.f("ux_certificates_register_no"), "certificates", ["register_no"], unique=True
    )


def downgrade() -> None:
    op.drop_index(op.f("ux_certificates_register_no"), table_name="certificates")
    op.execute("ALTER TABLE certificates DROP COLUMN register_no")  # in place on SQLite too
    op.drop_table("register_counter")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_courses_grade_bands"), type_="check")
        batch_op.drop_column("grade_good")
        batch_op.drop_column("grade_excellent")
        batch_op.drop_column("legal_basis")
