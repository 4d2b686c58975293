"""Import: the new people of a plan, written in one Core executemany, and their audit
entries.

SQLAlchemy's ORM bulk insert (insert(Person) with a list of dicts) spends more on
compiling, parameters and matching returned keys than SQLite spends on the rows; a Core
insert into the table is one DBAPI executemany (psycopg pipelines it on PostgreSQL).
It bypasses the ORM's flush events, which is safe here: a new person has no marks, so
nothing the session's before_flush hooks watch (attendance, enrolments, sessions)
changes. The ids come back by check-in code, which is unique and drawn here, free of
every code already held. The audit entries wait in the session and are chained and
written in one executemany at the commit (audit_chain).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.services import audit, checkin
from models import Person

CHUNK = 500  # codes per IN (…) statement: SQLite's bound parameters, PostgreSQL's plans
_people = Person.__table__


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def _drawn(n: int) -> list[str]:
    """n codes as checkin.new_code draws them: each letter uniform over its 32-letter
    alphabet (a random byte's low 5 bits), from one call to the system's random source."""
    alphabet, length = checkin.ALPHABET, checkin.LENGTH
    assert len(alphabet) == 32
    pool = secrets.token_bytes(n * length)
    return [
        "".join(alphabet[b & 31] for b in pool[i : i + length]) for i in range(0, len(pool), length)
    ]


def _ids_by_code(s: Session, codes: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(codes):
        q = select(_people.c.checkin_code, _people.c.id).where(_people.c.checkin_code.in_(chunk))
        found.update((code, pid) for code, pid in s.execute(q).all())
    return found


def checkin_codes(s: Session, n: int) -> list[str]:
    """n distinct check-in codes that nobody in the database holds (32^8 codes: against
    100,000 people a 10,000-row import draws a taken one about once in a thousand imports)."""
    codes: dict[str, None] = {}
    while len(codes) < n:
        fresh = [c for c in dict.fromkeys(_drawn(n - len(codes))) if c not in codes]
        held = _ids_by_code(s, fresh)
        codes.update((c, None) for c in fresh if c not in held)
    return list(codes)


def insert_people(
    s: Session, rows: list[dict[str, Any]], *, at: datetime, note: str | None
) -> list[int]:
    """Insert these people (Person's columns, all but id, version, times and check-in
    code), audit each as "person.import"; their ids, in the order of the rows."""
    if not rows:
        return []
    for row, code in zip(rows, checkin_codes(s, len(rows)), strict=True):
        row.update(version=1, created_at=at, updated_at=at, checkin_code=code)
    s.execute(insert(_people), rows)
    by_code = _ids_by_code(s, [row["checkin_code"] for row in rows])
    ids = [by_code[row["checkin_code"]] for row in rows]
    user = audit.who(s)
    audit.record_rows(
        s,
        [
            {"at": at, "user": user, "action": "person.import", "entity": "people",
             "entity_id": pid, "before": None, "after": {"full_name": row["full_name"]},
             "note": note}
            for pid, row in zip(ids, rows, strict=True)
        ],
    )  # fmt: skip
    return ids
