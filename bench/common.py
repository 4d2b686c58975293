"""Shared by the benchmarks: the scale-25 demo database, built once and reused."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db import Database  # noqa: E402
from app.demo import generate  # noqa: E402


def demo_database(scale: int = 25) -> Path:
    """bench/out/demo-<scale>.db, filled on first use (about a minute for scale 25)."""
    out = Path(os.environ.get("TAPHUAN_BENCH_DIR", ROOT / "bench" / "out"))
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"demo-{scale}.db"
    if not path.exists():
        print(f"building {path} (demo --scale {scale})…", file=sys.stderr, flush=True)
        tmp = Path(tempfile.mkdtemp(dir=out)) / "building.db"
        db = Database(str(tmp))
        db.upgrade()
        generate.fill(db, scale=scale)
        db.close()
        tmp.replace(path)
    db = Database(str(path))
    db.upgrade()
    db.close()
    return path


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
