"""The audit trail: every write to people, enrolments, attendance, scores, certificates."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from app.actor import acting
from app.services import audit_chain
from models import Base
from models.base import utcnow


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}  # JSON keys are text
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(row: Base, fields: list[str] | None = None) -> dict[str, Any]:
    """The row's column values as JSON-ready data (for before/after)."""
    mapper = sa_inspect(type(row))
    names = fields or [c.key for c in mapper.column_attrs]
    return {name: _plain(getattr(row, name)) for name in names}


def who(s: Session) -> str:
    """The name an entry carries: the session's actor (the account signed in, else the
    name the front end gave the local administrator; app.actor)."""
    return acting(s.info.get("actor")).username


def record(
    s: Session,
    action: str,
    row: Base | None = None,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
    account: str | None = None,
    signing_in: bool = False,
) -> None:
    """Add one audit entry in the caller's transaction; it commits or rolls back with it
    (written and chained at the commit: audit_chain).

    Who did it is the session's actor (who). An entry about an account itself (signing
    in, a failed attempt, one's own new password, the first administrator) names that
    `account` when nobody is signed in on the session, and always for a sign-in
    (signing_in)."""
    if row is not None:
        entity = entity or getattr(row, "__tablename__", type(row).__name__)
        if entity_id is None:
            entity_id = getattr(row, "id", None)
    user = who(s)
    if account is not None and (signing_in or not acting(s.info.get("actor")).signed_in):
        user = account
    record_rows(s, [{
        "at": utcnow(), "user": user, "action": action, "entity": entity or "",
        "entity_id": entity_id, "before": before, "after": after, "note": note,
    }])  # fmt: skip


def record_rows(s: Session, rows: list[dict[str, Any]]) -> None:
    """Many entries at once (an import): each a dict of at, user, action, entity,
    entity_id, before, after and note."""
    for row in rows:
        for key in ("before", "after"):
            if row[key] is not None:
                row[key] = _plain(row[key])
        audit_chain.queue(s, row)


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that changed, for a compact entry."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def disclosed(
    s: Session, action: str, note: str, entity: str = "people", entity_id: int | None = None
) -> None:
    """An export or a print of personal data: who, when, what (in the same transaction)."""
    from app.services import access

    access.current(s)  # an account locked meanwhile discloses nothing
    record(s, action, entity=entity, entity_id=entity_id, note=note)
