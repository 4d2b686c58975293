"""Signing in: milliseconds per password check (scrypt, N=2^15, r=8: 32 MiB each).

python bench/sign_in.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import common  # noqa: F401  (puts the project on sys.path)

from app.services import users


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    stored = users.hash_password("mat-khau-rat-dai-2026")
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        assert users.check_password("mat-khau-rat-dai-2026", stored)
        times.append((time.perf_counter() - started) * 1000)
    print(f"password check: median {statistics.median(times):.0f} ms, "
          f"min {min(times):.0f} ms, max {max(times):.0f} ms ({args.runs} runs)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
