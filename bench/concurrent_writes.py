"""Two programs writing people into the same SQLite file at once for a minute.

    python bench/concurrent_writes.py [--seconds 60]

Prints what each wrote, how many writes per second in all, the errors that reached
them (must be 0) and whether every counted write is in the file (no lost write).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import common  # noqa: F401  (puts the project on sys.path)
from sqlalchemy import func, select

from app.db import Database
from models import Person
from tests.app.test_concurrent_writes import write_together


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="taphuan-writers-") as tmp:
        path = Path(tmp) / "shared.db"
        db = Database(str(path))
        db.upgrade()
        db.close()
        counts, errors = write_together(path, args.seconds)
        db = Database(str(path))
        with db.transaction(readonly=True) as s:
            stored = s.scalar(select(func.count()).select_from(Person))
        db.close()
    print(f"two writers, {args.seconds:.0f} s: {counts[0]:,} + {counts[1]:,} writes "
          f"({sum(counts) / args.seconds:,.0f}/s); errors reaching them: {len(errors)}; "
          f"in the file: {stored:,} ({'none lost' if stored == sum(counts) else 'LOST WRITES'})")  # fmt: skip
    for line in errors[:10]:
        print("   ", line)
    return 0 if not errors and stored == sum(counts) else 1


if __name__ == "__main__":
    sys.exit(main())
