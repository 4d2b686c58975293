"""a hash chain over the audit trail, with its head

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.audit import GENESIS, entry_hash

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "audit entries are append-only"  # 0007's words, kept for its triggers
FORWARD_ONLY = "the audit chain head only moves forward"
PAGE = 5000

entries = sa.table(
    "audit_entries",
    sa.column("id", sa.Integer), sa.column("at", sa.DateTime), sa.column("user", sa.String),
    sa.column("action", sa.String), sa.column("entity", sa.String),
    sa.column("entity_id", sa.Integer), sa.column("before", sa.JSON),
    sa.column("after", sa.JSON), sa.column("note", sa.Text), sa.column("seq", sa.Integer),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
)  # fmt: skip


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _lift_append_only() -> None:
    """Only the migration itself rewrites entries, to chain the ones already there."""
    if _sqlite():  # a batch copy drops a table's triggers anyway; they come back after
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER audit_entries_no_{event}")
    else:
        op.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only")
        op.execute("GRANT UPDATE ON audit_entries TO CURRENT_USER")


def _restore_append_only() -> None:
    if _sqlite():
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_entries_no_{event.lower()} BEFORE {event} ON audit_entries "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )
    else:
        op.execute("REVOKE UPDATE ON audit_entries FROM CURRENT_USER")
        op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only")


def _chain_existing() -> tuple[int, str]:
    """Chain the entries already written, in id order; returns the last place and hash."""
    bind = op.get_bind()
    seq, prev, last_id = 0, GENESIS, 0
    update = (
        sa.update(entries)
        .where(entries.c.id == sa.bindparam("b_id"))
        .values(seq=sa.bindparam("b_seq"), prev_hash=sa.bindparam("b_prev"),
                hash=sa.bindparam("b_hash"))
    )  # fmt: skip
    content = [entries.c[n] for n in ("id", "at", "user", "action", "entity", "entity_id",
                                      "before", "after", "note")]  # fmt: skip
    while True:
        rows = bind.execute(
            sa.select(*content).where(entries.c.id > last_id).order_by(entries.c.id).limit(PAGE)
        ).all()
        if not rows:
            return seq, prev
        params = []
        for row in rows:
            seq += 1
            digest = entry_hash(prev, seq, row.at, row.user, row.action, row.entity,
                                row.entity_id, row.before, row.after, row.note)  # fmt: skip
            params.append({"b_id": row.id, "b_seq": seq, "b_prev": prev, "b_hash": digest})
            prev, last_id = digest, row.id
        bind.execute(update, params)


def upgrade() -> None:
    _lift_append_only()
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    seq, last = _chain_existing()
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_entries_seq"), ["seq"])
    _restore_append_only()

    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.bulk_insert(head, [{"id": 1, "seq": seq, "hash": last}])
    # The head only moves forward and is never removed, whoever asks.
    if _sqlite():
        op.execute(
            "CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE ON audit_chain_head "
            "WHEN NEW.seq <= OLD.seq OR NEW.id <> OLD.id "
            f"BEGIN SELECT RAISE(ABORT, '{FORWARD_ONLY}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head "
            f"BEGIN SELECT RAISE(ABORT, '{FORWARD_ONLY}'); END"
        )
    else:
        op.execute(
            "CREATE FUNCTION taphuan_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN IF TG_OP = 'UPDATE' AND NEW.seq > OLD.seq AND NEW.id = OLD.id THEN "
            f"RETURN NEW; END IF; RAISE EXCEPTION '{FORWARD_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE OR DELETE ON audit_chain_head "
            "FOR EACH ROW EXECUTE FUNCTION taphuan_audit_head_forward()"
        )
        op.execute(
            "CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head "
            "FOR EACH STATEMENT EXECUTE FUNCTION taphuan_audit_head_forward()"
        )
        op.execute("REVOKE DELETE, TRUNCATE ON audit_chain_head FROM PUBLIC, CURRENT_USER")


def downgrade() -> None:
    if _sqlite():
        op.execute("DROP TRIGGER audit_chain_head_no_delete")
        op.execute("DROP TRIGGER audit_chain_head_forward")
    else:
        op.execute("DROP TRIGGER audit_chain_head_no_truncate ON audit_chain_head")
        op.execute("DROP TRIGGER audit_chain_head_forward ON audit_chain_head")
        op.execute("DROP FUNCTION taphuan_audit_head_forward()")
    op.drop_table("audit_chain_head")
    _lift_append_only()
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_entries_seq"), type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
    _restore_append_only()
