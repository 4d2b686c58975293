"""check-in codes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 22:17:37.438506
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed safely


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checkin_code", sa.String(length=16), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_people_checkin_code"), ["checkin_code"])
    # Everyone already recorded gets a personal check-in code.
    conn = op.get_bind()
    people = sa.table("people", sa.column("id", sa.Integer), sa.column("checkin_code", sa.String))
    ids = [row[0] for row in conn.execute(sa.select(people.c.id))]
    used: set[str] = set()
    rows = []
    for pid in ids:
        code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        while code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(code)
        rows.append({"pid": pid, "code": code})
    if rows:
        conn.execute(
            people.update()
            .where(people.c.id == sa.bindparam("pid"))
            .values(checkin_code=sa.bindparam("code")),
            rows,
        )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_people_checkin_code"), type_="unique")
        batch_op.drop_column("checkin_code")
