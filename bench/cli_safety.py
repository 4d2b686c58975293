"""What the command line's safety costs and buys (issue 13 §5), on the demo database.

- PRAGMA quick_check, now run before every CLI write on a SQLite file, against the full
  integrity_check (median of 5 runs);
- `taphuan people list` in its own process: alone, and while another process holds the
  write lock (BEGIN IMMEDIATE with a row written, not committed): exit code and seconds;
- `taphuan settings set` (a small write, quick check included) in its own process.

    python bench/cli_safety.py [--scale 25]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from common import ROOT, demo_database


def pragma_seconds(path: Path, pragma: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as con:
            started = time.perf_counter()
            con.execute(f"PRAGMA {pragma}").fetchall()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def cli(path: Path, *argv: str) -> tuple[int, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(path), *argv],
        capture_output=True,
        env=env,
        cwd=ROOT,
    )
    return done.returncode, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=25)
    scale = parser.parse_args().scale
    path = demo_database(scale)
    size = path.stat().st_size / 1_048_576
    print(f"demo scale {scale}: {path.name}, {size:.0f} MB")
    print(f"PRAGMA quick_check      {pragma_seconds(path, 'quick_check'):6.2f} s (median of 5)")
    print(f"PRAGMA integrity_check  {pragma_seconds(path, 'integrity_check'):6.2f} s (median of 5)")

    code, alone = cli(path, "people", "list", "--limit", "50")
    print(f"people list, alone:                       exit {code}, {alone:5.2f} s")
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE settings SET value = value")
        code, locked = cli(path, "people", "list", "--limit", "50")
        writer.execute("ROLLBACK")
    print(f"people list, another process writing:     exit {code}, {locked:5.2f} s")

    with tempfile.TemporaryDirectory() as tmp:  # the write goes to a copy
        copy = Path(tmp) / "copy.db"
        with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(copy)) as dst:
            src.backup(dst)
        code, write = cli(copy, "settings", "set", "place", "Vĩnh Long")
    print(f"settings set (quick check included):      exit {code}, {write:5.2f} s")


if __name__ == "__main__":
    main()
