"""How long `taphuan demo --scale N` takes and how big the database gets.

    python bench/demo_scale.py [--scale 25] [--seed 2022] [--keep PATH]

Prints seconds, rows per second and the database size. A figure, not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.db import Database
from app.demo import generate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=25)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--keep", type=Path, help="write the database here and keep it")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="taphuan-bench-"))
    path = args.keep or folder / "bench.db"
    started = time.perf_counter()
    db = Database(str(path))
    db.upgrade()
    migrated = time.perf_counter()
    summary = generate.fill(db, scale=args.scale, seed=args.seed)
    filled = time.perf_counter()
    db.close()
    rows = sum(summary.counts.values())
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    print(f"demo --scale {args.scale} (seed {args.seed}) into {path}")
    for table, count in summary.counts.items():
        print(f"  {table:<18}{count:>12,}")
    print(f"migrations:      {migrated - started:8.2f} s")
    print(
        f"demo fill:       {filled - migrated:8.2f} s  ({rows / (filled - migrated):,.0f} rows/s)"
    )
    print(f"total:           {filled - started:8.2f} s")
    print(f"database size:   {size / 1_048_576:8.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
