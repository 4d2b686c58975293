"""The frozen bundle: its size and largest parts, and cold start to the main window,
frozen against `python -m app` in the same run.

    python bench/frozen_start.py [--runs 5] [--rebuild]

Cold start is timed as `--screenshot` runs: start, the window's shell painted, the
database opened in the worker, sign-in skipped, the pages attached with the first page's
data loaded, grabbed, exit (the same work both ways, offscreen): the "loaded" figure of
bench/cold_start.py, whose "painted" figure needs no bundle. Builds dist/taphuan first if
it is missing (packaging/build.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common  # noqa: F401  (puts the project on sys.path)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))

import build  # noqa: E402


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    bundle = ROOT / "dist" / "taphuan"
    if args.rebuild or not bundle.exists():
        build.build(ROOT / "dist", ROOT / "build")
    for name, size in build.sizes(bundle):
        print(f"{name:<28} {size / 1024 / 1024:8.1f} MB")
    with tempfile.TemporaryDirectory(prefix="taphuan-frozen-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TAPHUAN_DATA_DIR=tmp)
        db = str(Path(tmp) / "demo.db")
        subprocess.run([sys.executable, "-m", "app", "--db", db, "demo"], check=True, env=env,
                       cwd=ROOT, stdout=subprocess.DEVNULL)  # fmt: skip
        shot = str(Path(tmp) / "shot.png")
        frozen = [str(bundle / f"taphuan{build.EXE}"), "--db", db, "--screenshot", shot]
        python = [sys.executable, "-m", "app", "--db", db, "--screenshot", shot]
        timed(frozen, env), timed(python, env)  # warm the disk cache for both
        f = [timed(frozen, env) for _ in range(args.runs)]
        p = [timed(python, env) for _ in range(args.runs)]
    print(f"cold start to the main window (demo scale 1, median of {args.runs}):")
    print(
        f"  frozen bundle   {statistics.median(f):7.0f} ms  (runs: {', '.join(f'{x:.0f}' for x in f)})"
    )
    print(
        f"  python -m app   {statistics.median(p):7.0f} ms  (runs: {', '.join(f'{x:.0f}' for x in p)})"
    )
    print(f"  ratio frozen / python: {statistics.median(f) / statistics.median(p):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
