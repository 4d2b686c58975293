"""Who did what, when, with the values before and after; chained by SHA-256 so that an
entry changed, removed or slipped in behind the program's back shows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Dialect, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from models.base import Base, utcnow

GENESIS = "0" * 64  # the "previous hash" of the first entry


class CanonicalJSON(TypeDecorator[Any]):
    """JSON written as canonical_json text (sorted keys, no spaces), so the chain's check
    hashes the stored text as it is, without decoding and encoding it again. Read back as
    JSON; PostgreSQL's json type keeps the text as written."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], str | None]:
        def process(value: Any) -> str | None:
            if value is None or isinstance(value, JSONText):
                return value
            return canonical_json(value)

        return process


class JSONText(str):
    """A value already written as canonical JSON (the chain hashed this very text)."""


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_at", "at"),
        Index("ix_audit_entries_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(CanonicalJSON)
    note: Mapped[str | None] = mapped_column(Text)
    # The chain: the entry's place (1, 2, 3, … in commit order, unlike id), the hash of
    # the entry before it, and the hash of this one (entry_hash).
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # On PostgreSQL, the server role that inserted the entry (session_user), set by the
    # database itself with the chain (migration 0010); hashed with the entry. None on
    # SQLite and for entries written before 0010.
    db_role: Mapped[str | None] = mapped_column(String(63))


class AuditChainHead(Base):
    """One row: the last entry's place and hash. Entries are chained under its lock, and
    entries removed from the end of the trail show against it."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


def entry_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    user: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: Any,
    after: Any,
    note: str | None,
    role: str | None = None,
) -> str:
    """SHA-256 (hex) of the entry's content and the previous entry's hash, over sorted-key
    JSON in UTF-8. Changing this changes every hash: it needs a migration re-chaining."""
    return text_hash(prev_hash, seq, at, user, action, entity, entity_id,
                     canonical_json(before), canonical_json(after), note, role)  # fmt: skip


def text_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    user: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: str | None,
    after: str | None,
    note: str | None,
    role: str | None = None,
) -> str:
    """entry_hash with before and after given as their canonical JSON text, as the engines
    store them: canonical_json of the whole entry, written out key by key (sorted), so
    neither the check nor the commit encodes them twice. The role (PostgreSQL's inserting
    role) is a key only when there is one, so entries without it keep their hashes.

    PostgreSQL builds the same text in its trigger (migrations/versions/0010): strings as
    to_json writes them (escaping only " \\ and the control characters below U+0020, as
    Python's JSON encoder does with ensure_ascii off), the time as datetime.isoformat."""
    role_key = "" if role is None else f'"role":{_text(role)},'
    payload = (
        f'{{"action":{_text(action)},"after":{after or "null"},"at":"{at.isoformat()}",'
        f'"before":{before or "null"},"entity":{_text(entity)},"entity_id":'
        f'{"null" if entity_id is None else int(entity_id)},"note":'
        f'{"null" if note is None else _text(note)},"prev":{_text(prev_hash)},'
        f'{role_key}"seq":{int(seq)},'
        f'"user":{_text(user)}}}'
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_text = json.encoder.encode_basestring  # what _CANONICAL writes for a string (in C)


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 letters as they are: how entries store before and
    after (CanonicalJSON), so the chain's check hashes the stored text without decoding it."""
    return _CANONICAL.encode(value)
