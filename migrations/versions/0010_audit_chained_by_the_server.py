"""the audit chain made by PostgreSQL itself, with the inserting role

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00.000000

On PostgreSQL, whoever may add an audit entry (the login role every office PC holds) must
not be able to choose its place, its hash, its time, or move the chain's head. So the
database chains each entry as it is inserted: a BEFORE INSERT trigger takes the head's
lock, gives the entry the next place, the previous hash, the server's clock (UTC) and the
role that inserted it (session_user), and hashes it; an AFTER INSERT statement trigger
moves the head once per statement (a head updated once per row would pile up row
versions in a long transaction: a 200,000-row import would take minutes). Both run as
the schema's owner (SECURITY DEFINER, a fixed search_path), so `server setup` leaves the
login role only SELECT and INSERT on the trail and SELECT on the head.

The hashed text is the one models.audit.text_hash builds in Python, which the checker
recomputes. SQLite keeps chaining in Python under its write lock (BEGIN IMMEDIATE); it
only gains the column, always empty there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HEAD_MISSING = "the audit chain head is missing"

# The same text as models.audit.text_hash: to_json escapes a string exactly as Python's
# json encoder with ensure_ascii off; the time written as datetime.isoformat() does
# (microseconds only when there are any).
CHAIN = """
CREATE FUNCTION {schema}.taphuan_audit_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    head_seq integer;
    head_hash text;
    last_seq integer;
    last_hash text;
    at_text text;
BEGIN
    SELECT h.seq, h.hash INTO head_seq, head_hash
        FROM {schema}.audit_chain_head h WHERE h.id = 1 FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION '{missing}';
    END IF;
    -- the rows this statement added before this one: the head moves after the statement
    SELECT e.seq, e.hash INTO last_seq, last_hash
        FROM {schema}.audit_entries e WHERE e.seq > head_seq ORDER BY e.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        last_seq := head_seq;
        last_hash := head_hash;
    END IF;
    NEW.seq := last_seq + 1;
    NEW.prev_hash := last_hash;
    NEW.at := clock_timestamp() AT TIME ZONE 'UTC';
    NEW.db_role := session_user;
    at_text := {schema}.taphuan_audit_time(NEW.at);
    NEW.hash := encode(sha256(convert_to(
        '{{"action":' || to_json(NEW.action)::text
        || ',"after":' || coalesce(NEW.after::text, 'null')
        || ',"at":"' || at_text || '"'
        || ',"before":' || coalesce(NEW.before::text, 'null')
        || ',"entity":' || to_json(NEW.entity)::text
        || ',"entity_id":' || coalesce(NEW.entity_id::text, 'null')
        || ',"note":' || coalesce(to_json(NEW.note)::text, 'null')
        || ',"prev":' || to_json(NEW.prev_hash)::text
        || ',"role":' || to_json(NEW.db_role)::text
        || ',"seq":' || NEW.seq::text
        || ',"user":' || to_json(NEW."user")::text || '}}', 'UTF8')), 'hex');
    RETURN NEW;
END $$
"""

# datetime.isoformat(): seconds, then microseconds only when there are any.
TIME = """
CREATE FUNCTION {schema}.taphuan_audit_time(t timestamp) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
SELECT to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS')
    || CASE WHEN extract(microseconds FROM t)::bigint % 1000000 = 0 THEN ''
            ELSE to_char(t, '.US') END
$$
"""

HEAD = """
CREATE FUNCTION {schema}.taphuan_audit_chain_head() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    UPDATE {schema}.audit_chain_head h SET seq = a.seq, hash = a.hash
        FROM (SELECT n.seq, n.hash FROM added n ORDER BY n.seq DESC LIMIT 1) a
        WHERE h.id = 1 AND a.seq > h.seq;
    RETURN NULL;
END $$
"""


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _schema() -> str:
    name = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    return '"' + str(name).replace('"', '""') + '"'


def upgrade() -> None:
    op.add_column("audit_entries", sa.Column("db_role", sa.String(length=63), nullable=True))
    if not _postgresql():
        return
    schema = _schema()
    op.execute(TIME.format(schema=schema))
    op.execute(CHAIN.format(schema=schema, missing=HEAD_MISSING))
    op.execute(HEAD.format(schema=schema))
    for function in ("taphuan_audit_chain", "taphuan_audit_chain_head"):
        op.execute(f"REVOKE ALL ON FUNCTION {schema}.{function}() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER audit_entries_chain BEFORE INSERT ON audit_entries "
        f"FOR EACH ROW EXECUTE FUNCTION {schema}.taphuan_audit_chain()"
    )
    op.execute(
        "CREATE TRIGGER audit_entries_chain_head AFTER INSERT ON audit_entries "
        "REFERENCING NEW TABLE AS added FOR EACH STATEMENT "
        f"EXECUTE FUNCTION {schema}.taphuan_audit_chain_head()"
    )


def downgrade() -> None:
    if _postgresql():
        schema = _schema()
        op.execute("DROP TRIGGER audit_entries_chain_head ON audit_entries")
        op.execute("DROP TRIGGER audit_entries_chain ON audit_entries")
        op.execute(f"DROP FUNCTION {schema}.taphuan_audit_chain_head()")
        op.execute(f"DROP FUNCTION {schema}.taphuan_audit_chain()")
        op.execute(f"DROP FUNCTION {schema}.taphuan_audit_time(timestamp)")
        op.drop_column("audit_entries", "db_role")
    else:  # SQLite drops a column in place: the append-only triggers stay
        op.execute("ALTER TABLE audit_entries DROP COLUMN db_role")
