"""sign-in sheets that can be read back: the sheet each page QR names, and its rows

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 01:00:00.000000

A printed sign-in sheet gets a code (in every page's QR) and keeps where each numbered
row and the "Ký tên" column were printed, so a scan or a phone photo of the signed
sheet can be read back (issue 19).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=False),
        sa.Column("printed_by", sa.String(length=200), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("page_w", sa.Float(), nullable=False),
        sa.Column("page_h", sa.Float(), nullable=False),
        sa.Column("sign_x0", sa.Float(), nullable=False),
        sa.Column("sign_x1", sa.Float(), nullable=False),
        sa.Column("name_x0", sa.Float(), nullable=False),
        sa.Column("name_x1", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_sign_sheets_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_sign_sheets_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_sheets")),
        sa.UniqueConstraint("code", name=op.f("uq_sign_sheets_code")),
    )  # fmt: skip
    op.create_index("ix_sign_sheets_session_id", "sign_sheets", ["session_id"])
    op.create_index("ix_sign_sheets_course_id", "sign_sheets", ["course_id"])
    op.create_table(
        "sign_sheet_rows",
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("y_top", sa.Float(), nullable=False),
        sa.Column("y_bottom", sa.Float(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("blank", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["sign_sheets.id"], name=op.f("fk_sign_sheet_rows_sheet_id_sign_sheets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolments.id"],
            name=op.f("fk_sign_sheet_rows_enrolment_id_enrolments"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("sheet_id", "row_no", name=op.f("pk_sign_sheet_rows")),
    )  # fmt: skip
    op.create_index("ix_sign_sheet_rows_enrolment_id", "sign_sheet_rows", ["enrolment_id"])


def downgrade() -> None:
    op.drop_index("ix_sign_sheet_rows_enrolment_id", table_name="sign_sheet_rows")
    op.drop_table("sign_sheet_rows")
    op.drop_index("ix_sign_sheets_course_id", table_name="sign_sheets")
    op.drop_index("ix_sign_sheets_session_id", table_name="sign_sheets")
    op.drop_table("sign_sheets")
