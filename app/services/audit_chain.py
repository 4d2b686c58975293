"""Chaining the audit trail: each entry carries the SHA-256 of its content and of the
entry before it, so an entry changed, removed or slipped in outside the program shows
(app.services.audit_verify checks it).

The order is the order of commits, not of ids (PostgreSQL hands out ids before
transactions commit, in another order). So an action's entries wait in the session until
it commits; just before, after its own rows are flushed (and their row locks taken), the
entries get their places and hashes under the lock of the one-row chain head. Taking that
lock last, and writing nothing after it but the entries and the head, means two actions
never wait on each other in a circle.

On PostgreSQL the database does the chaining itself (migration 0010): the program only
inserts the entries' content, and a trigger running as the schema's owner locks the head,
gives each entry its place, hash, the server's time and the inserting role, and moves the
head; the login role may not touch the head at all. On SQLite the program does it here,
under the database lock its writers take at BEGIN IMMEDIATE, with the same hash.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event, insert, select, text, update
from sqlalchemy.orm import Session, SessionTransaction

from models import AuditChainHead, AuditEntry
from models.audit import JSONText, canonical_json, text_hash

PENDING = "taphuan_audit_pending"
HEAD_ID = 1
STATEMENT_ROWS = 5000  # PostgreSQL: entries a statement (the head moves once each)


def queue(s: Session, entry: dict[str, Any]) -> None:
    """An entry (its columns but the chain's) to write when the session commits."""
    s.info.setdefault(PENDING, []).append((s.get_nested_transaction(), entry))


def _sealed(prev: str, seq: int, entry: dict[str, Any]) -> dict[str, Any]:
    """The entry with its place and hash, before and after as the JSON text it is stored
    as (CanonicalJSON writes JSONText as it is), so the stored text hashes back the same."""
    before, after = (
        None if entry[k] is None else JSONText(canonical_json(entry[k]))
        for k in ("before", "after")
    )
    at: datetime = entry["at"]
    digest = text_hash(prev, seq, at, entry["user"], entry["action"], entry["entity"],
                       entry["entity_id"], before, after, entry["note"])  # fmt: skip
    return {**entry, "before": before, "after": after, "seq": seq, "prev_hash": prev,
            "hash": digest}  # fmt: skip


@event.listens_for(Session, "before_commit")
def _seal(s: Session) -> None:
    if s.get_nested_transaction() is not None:
        return  # a savepoint released: its entries wait for the real commit
    waiting = s.info.pop(PENDING, None)
    if not waiting:
        return
    s.flush()  # the action's own writes and row locks first; the chain's lock comes last
    entries = [entry for _, entry in waiting]
    if s.connection().dialect.name == "postgresql":
        _insert_for_the_server(s, entries)
    else:
        _chain_here(s, entries)


def _insert_for_the_server(s: Session, entries: list[dict[str, Any]]) -> None:
    """The content only; the server's trigger chains it. Many rows a statement, sent as
    one JSON parameter (compiling thousands of VALUES costs more than the insert), in
    their order: the head moves once per statement."""
    for start in range(0, len(entries), STATEMENT_ROWS):
        rows = [
            {"n": n, "user": e["user"], "action": e["action"], "entity": e["entity"],
             "entity_id": e["entity_id"], "note": e["note"],
             "before": None if e["before"] is None else canonical_json(e["before"]),
             "after": None if e["after"] is None else canonical_json(e["after"])}
            for n, e in enumerate(entries[start : start + STATEMENT_ROWS])
        ]  # fmt: skip
        s.execute(_FROM_JSON, {"rows": canonical_json(rows)})


_FROM_JSON = text(
    'INSERT INTO audit_entries ("user", action, entity, entity_id, before, after, note) '
    'SELECT r."user", r.action, r.entity, r.entity_id, CAST(r.before AS json), '
    "CAST(r.after AS json), r.note FROM json_to_recordset(CAST(:rows AS json)) AS "
    'r(n integer, "user" text, action text, entity text, entity_id integer, before text, '
    "after text, note text) ORDER BY r.n"
)


def _chain_here(s: Session, entries: list[dict[str, Any]]) -> None:
    seq, prev = s.execute(
        select(AuditChainHead.seq, AuditChainHead.hash)
        .where(AuditChainHead.id == HEAD_ID)
        .with_for_update()
    ).one()
    rows = []
    for entry in entries:
        seq += 1
        rows.append(_sealed(prev, seq, entry))
        prev = rows[-1]["hash"]
    s.execute(insert(AuditEntry.__table__), rows)
    s.execute(
        update(AuditChainHead.__table__)
        .where(AuditChainHead.id == HEAD_ID)
        .values(seq=seq, hash=prev)
    )


@event.listens_for(Session, "after_soft_rollback")
def _forget(s: Session, previous: SessionTransaction) -> None:
    """Entries of work rolled back are not written: all of them, or a savepoint's."""
    waiting = s.info.get(PENDING)
    if not waiting:
        return
    if previous.nested:
        s.info[PENDING] = [(t, e) for t, e in waiting if t is not previous]
    else:
        s.info.pop(PENDING, None)
