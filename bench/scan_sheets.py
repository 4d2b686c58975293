"""Reading signed sign-in sheets back (issue 19), on the generated set
(tests/scans/make_scans.py: our own sheets, signed with synthetic strokes, scanned and
photographed): cell accuracy (decided cells correct / decided), silent errors (a person
cell decided against the truth: must be 0), the share of cells flagged uncertain (goal
≤ 2 %), pages refused, and pages a second for the reading alone (files decoded, QR, marks,
flattening, ink; the generation is not timed), at 150 and at 300 dpi; best of 3 runs.

python bench/scan_sheets.py [--seeds 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from app.scan import read_files
from tests.scans import make_scans


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=len(make_scans.FULL_SEEDS))
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    for dpi in (150, 300):
        cases = []
        for seed in range(args.seeds):
            pdf, geometry = make_scans.sheet(seed, people=22 + seed % 3 * 8, qr=seed % 3 == 0)
            code = f"K{seed:05d}X"
            cases.append(make_scans.Case(
                seed, pdf, geometry, make_scans.scan_pages(seed, pdf, geometry, code, dpi)
            ))  # fmt: skip
        geometries = {p.sheet_code: c.geometry for c in cases for p in c.pages}
        with tempfile.TemporaryDirectory() as tmp:
            truth: dict[tuple[str, int], make_scans.ScanPage] = {}
            for c in cases:
                truth |= make_scans.write_case(c, Path(tmp))
            files = sorted({Path(tmp) / name for name, _i in truth})
            best = float("inf")
            for _ in range(args.runs):
                start = time.perf_counter()
                readings = list(read_files(files, geometries.get))
                best = min(best, time.perf_counter() - start)
        tally = make_scans.Tally()
        for r in readings:
            tally.add(truth[(r.source.name, r.index)], r)
        pages = len(readings)
        accuracy = tally.correct / max(tally.decided, 1)
        print(
            f"{dpi} dpi: {pages} pages ({len(files)} files), {tally.pages_read} read, "
            f"{len(tally.refused)} refused; {tally.cells} person cells: accuracy "
            f"{accuracy:.2%} of {tally.decided} decided, {len(tally.errors)} silent errors, "
            f"{tally.uncertain} uncertain ({tally.uncertain / max(tally.cells, 1):.2%}); "
            f"walk-in names missed {len(tally.walk_ins_missed)}; "
            f"{pages / best:.2f} pages/s reading (best of {args.runs}: {best:.1f} s)"
        )
        for line in tally.errors + tally.refused + tally.walk_ins_missed:
            print("   ", line)


if __name__ == "__main__":
    main()
