"""Who did what, when, with the values before and after; chained by SHA-256 so that an
entry changed, removed or slipped in behind the program's back shows."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow

GENESIS = "0" * 64  # the "previous hash" of the first entry


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
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    # The chain: the entry's place (1, 2, 3, … in commit order, unlike id), the hash of
    # the entry before it, and the hash of this one (entry_hash).
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


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
) -> str:
    """SHA-256 (hex) of the entry's content and the previous entry's hash, over sorted-key
    JSON in UTF-8. Changing this changes every hash: it needs a migration re-chaining."""
    content = {
        "prev": prev_hash, "seq": seq, "at": at.isoformat(), "user": user, "action": action,
        "entity": entity, "entity_id": entity_id, "before": before, "after": after,
        "note": note,
    }  # fmt: skip
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
