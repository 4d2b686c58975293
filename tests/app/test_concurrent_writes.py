"""Two programs writing to the same SQLite file at once: no error reaches either of them
(at worst "đang bận, thử lại"), and every write each one counted is in the file.
Ten seconds here; `python bench/concurrent_writes.py` runs the full minute."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from app.db import Database
from models import AuditEntry, Person
from tests.app.crash import ROOT, env


def write_together(path: Path, seconds: float) -> tuple[list[int], list[str]]:
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.app.writer", str(path), str(seconds), tag],
            env=env(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    counts, errors = [], []
    for proc in procs:
        out, err = proc.communicate(timeout=seconds + 120)
        counts.append(int(out.strip().splitlines()[-1]))
        errors += [line for line in err.splitlines() if "ERROR" in line or "Traceback" in line]
    return counts, errors


def test_two_writers_lose_nothing(sqlite_db: Database) -> None:
    path = sqlite_db.path
    sqlite_db.close()
    counts, errors = write_together(path, 10)
    assert errors == []
    assert all(n > 50 for n in counts), counts  # both really wrote, interleaved
    db = Database(str(path))
    with db.transaction(readonly=True) as s:
        people = s.scalar(select(func.count()).select_from(Person))
        by = dict(s.execute(select(AuditEntry.user, func.count()).group_by(AuditEntry.user)).all())
    db.close()
    assert people == sum(counts)
    assert by == {"writer-a": counts[0], "writer-b": counts[1]}
