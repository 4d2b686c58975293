"""The audit trail's hash chain: how fast `taphuan check` verifies it, and what chaining
costs each audited write.

python bench/audit_chain.py [--entries 120000] [--writes 300] [--db POSTGRESQL_URL]

Fills a fresh database (a temporary SQLite file, or the empty PostgreSQL database given)
with --entries audit entries, then times: verifying the chain (entries/s, best of 3),
and --writes one-person transactions (person added + its audit entry), in ms each.
Written to run on older versions too (no chain: the verification is skipped), so the
cost per write can be compared before and after.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import common  # noqa: F401  (puts the project on sys.path)
from sqlalchemy import insert

from app.db import Database
from app.services import audit, person_edit
from app.services.person_edit import PersonForm
from models import AuditEntry
from models.base import utcnow

try:
    from app.services import audit_verify
except ImportError:  # a version before the chain
    audit_verify = None  # type: ignore[assignment]

BATCH = 10_000


def _entries(n: int) -> list[dict[str, object]]:
    at = utcnow()
    return [
        {"at": at, "user": "canbo", "action": "attendance.mark", "entity": "attendance",
         "entity_id": i, "before": {"status": "absent"}, "after": {"status": "present"},
         "note": None}
        for i in range(n)
    ]  # fmt: skip


def fill(db: Database, total: int) -> float:
    """Entries written in transactions of BATCH; returns entries/s."""
    started = time.perf_counter()
    for done in range(0, total, BATCH):
        rows = _entries(min(BATCH, total - done))
        with db.transaction() as s:
            if hasattr(audit, "record_rows"):
                audit.record_rows(s, rows)
            else:
                s.execute(insert(AuditEntry), rows)
    return total / (time.perf_counter() - started)


def verify_rate(db: Database) -> tuple[float, bool, int]:
    best, ok, checked = 0.0, False, 0
    for _ in range(3):
        with db.engine.connect() as conn:
            started = time.perf_counter()
            report = audit_verify.verify(conn)
            elapsed = time.perf_counter() - started
            conn.rollback()
        best, ok, checked = max(best, report.checked / elapsed), report.ok, report.checked
    return best, ok, checked


def write_costs(db: Database, writes: int) -> list[float]:
    times = []
    for i in range(writes):
        started = time.perf_counter()
        with db.transaction() as s:
            person_edit.create(s, PersonForm(full_name="Nguyễn Văn An", workplace=f"b{i}"))  # fmt: skip
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=120_000)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--db", help="an empty PostgreSQL database (default: a SQLite file)")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = Database(args.db or str(Path(tmp.name) / "bench.db"))
    db.upgrade()
    engine = "PostgreSQL" if args.db else "SQLite"
    print(f"{engine}, schema {db.current_revision()}, {args.entries:,} entries")
    print(f"fill: {fill(db, args.entries):,.0f} entries/s (transactions of {BATCH:,})")
    if audit_verify is not None:
        rate, ok, checked = verify_rate(db)
        print(f"verify: {rate:,.0f} entries/s ({checked:,} entries, ok={ok}, best of 3)")
    else:
        print("verify: (no hash chain in this version)")
    times = write_costs(db, args.writes)
    print(f"audited write (one person added): median {statistics.median(times):.2f} ms, "
          f"mean {statistics.fmean(times):.2f} ms ({args.writes} transactions)")  # fmt: skip
    db.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
