"""signed certificate files (ký số): the hash of each signed file and who signed it

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 18:00:00.000000

One row per signed PDF of a certificate (signing again at a reprint adds a row): the
SHA-256 of the signed file and the signer certificate's subject, serial number and
validity, so `taphuan verify FILE.pdf` can say whether a file is the one the register holds.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "certificate_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("signer_subject", sa.String(length=400), nullable=False),
        sa.Column("signer_serial", sa.String(length=80), nullable=False),
        sa.Column("signer_valid_from", sa.DateTime(), nullable=False),
        sa.Column("signer_valid_to", sa.DateTime(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_certificate_signatures_certificate_id_certificates"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_signatures")),
        sa.UniqueConstraint("sha256", name=op.f("uq_certificate_signatures_sha256")),
    )
    op.create_index(
        op.f("ix_certificate_signatures_certificate_id"),
        "certificate_signatures",
        ["certificate_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_certificate_signatures_certificate_id"), table_name="certificate_signatures"
    )
    op.drop_table("certificate_signatures")
