"""Kill tests, many runs: SIGKILL at random moments during an import of 10,000 people,
issuing 1,000 certificates (a combined PDF and one file a person) and a migration from
0001 to the head.

    python bench/kill_tests.py [--runs 30] [--seed 1] [--only certificates]

Prints, per operation, how many runs, how many ended before / after the operation,
and how many left a broken or half-written database (must be 0); for certificates, every
file left anywhere under the target folders (hidden temporary files included, any
extension) is read as a PDF: how many could be read, all holding registered serials with
the same holder (any other is counted broken). A figure.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

import common  # noqa: F401  (puts the project on sys.path)

from tests.app import crash


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["import", "certificates", "migration"])
    args = parser.parse_args()
    rng = random.Random(args.seed)
    broken_total = 0
    with tempfile.TemporaryDirectory(prefix="taphuan-kill-") as tmp:
        work = Path(tmp)
        for make in (crash.import_scenario, crash.certificates_scenario, crash.migration_scenario):
            if args.only and make.__name__ != f"{args.only}_scenario":
                continue
            scenario = make(work)
            crash.calibrate(scenario, work)
            results = [crash.kill_once(scenario, work, rng, n) for n in range(args.runs)]
            states = Counter(r.state if r.good else "BROKEN" for r in results)
            broken = [r for r in results if not r.good]
            broken_total += len(broken)
            print(
                f"{scenario.name:<13} {args.runs} runs (unkilled {scenario.duration:.1f} s): "
                f"{states['before']} before, {states['after']} after, {len(broken)} broken",
                flush=True,
            )
            if scenario.files:
                left = [r.files_checked for r in results if r.files_checked]
                print(
                    f"    files: {len(left)} runs left files a PDF reader reads (hidden ones "
                    f"included), {sum(left)} read back "
                    f"(most in one run {max(left, default=0)}); "
                    f"{sum(1 for r in results if r.files_problem)} held a serial or holder "
                    "the register does not",
                    flush=True,
                )
            for r in broken:
                print(f"    {r}")
    return 1 if broken_total else 0


if __name__ == "__main__":
    sys.exit(main())
