"""one certificate in force per enrolment

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 09:00:00.000000

A certificate replaced by a reissue now says so in a column (`replaced_at`) instead of
being worked out from the newer row, so the database itself can hold the rule: at most
one valid, not replaced certificate per enrolment (a partial unique index on SQLite and
PostgreSQL).

Databases may already break the rule: two `certificates issue` run at once on PostgreSQL
gave some people two valid certificates. Nothing is deleted: for each such enrolment the
earliest certificate stays valid and each later one is revoked, with a Vietnamese reason
naming the one kept and an audit entry, so the register and `verify` explain it.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IN_FORCE = "status = 'valid' AND replaced_at IS NULL"
REASON = (
    "Cấp trùng: cùng lượt học này đã có giấy chứng nhận số {kept} (hai lần cấp chạy cùng "
    "lúc). Giấy này được thu hồi khi nâng cấp cơ sở dữ liệu; giấy số {kept} vẫn còn hiệu lực."
)
SYSTEM_USER = "hệ thống"

certificates = sa.table(
    "certificates",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("revoked_at", sa.DateTime),
    sa.column("revoked_reason", sa.Text),
    sa.column("version", sa.Integer),
    sa.column("updated_at", sa.DateTime),
)
audit_entries = sa.table(
    "audit_entries",
    sa.column("at", sa.DateTime),
    sa.column("user", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
    sa.column("note", sa.Text),
)


def upgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaced_at", sa.DateTime(), nullable=True))
    conn = op.get_bind()
    # A certificate a reissue replaced: when the reissue was made.
    conn.execute(
        sa.text(
            "UPDATE certificates SET replaced_at = (SELECT min(n.created_at) FROM certificates n"
            " WHERE n.replaces_id = certificates.id)"
            " WHERE id IN (SELECT replaces_id FROM certificates WHERE replaces_id IS NOT NULL)"
        )
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    kept: dict[int, str] = {}
    for cert_id, enrolment_id, serial in conn.execute(
        sa.text(
            f"SELECT id, enrolment_id, serial FROM certificates WHERE {IN_FORCE}"
            " ORDER BY enrolment_id, id"
        )
    ).all():
        if enrolment_id not in kept:
            kept[enrolment_id] = serial
            continue
        reason = REASON.format(kept=kept[enrolment_id])
        conn.execute(
            certificates.update()
            .where(certificates.c.id == cert_id)
            .values(
                status="revoked",
                revoked_at=now,
                revoked_reason=reason,
                version=certificates.c.version + 1,
                updated_at=now,
            )
        )
        conn.execute(
            audit_entries.insert().values(
                at=now,
                user=SYSTEM_USER,
                action="certificate.revoke",
                entity="certificates",
                entity_id=cert_id,
                before={"status": "valid", "serial": serial},
                after={"status": "revoked", "kept": kept[enrolment_id]},
                note=reason,
            )
        )
    op.create_index(
        "ux_certificates_in_force",
        "certificates",
        ["enrolment_id"],
        unique=True,
        sqlite_where=sa.text(IN_FORCE),
        postgresql_where=sa.text(IN_FORCE),
    )


def downgrade() -> None:
    # Duplicates revoked on the way up stay revoked: a revocation is history.
    op.drop_index("ux_certificates_in_force", table_name="certificates")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_column("replaced_at")
