"""The periodic report as files on the scale-25 demo: seconds for the PDF and the .xlsx.

    python bench/report_document.py

The whole period (2022–2026) province-wide, the heaviest report there is: every commune
and topic in the tables, every course on the workbook's course sheet. Median of 3 runs.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import demo_database

from app.db import Database
from app.services import report_file
from app.services.reports import ReportFilter


def main() -> int:
    db = Database(str(demo_database(25)))
    f = ReportFilter(date(2022, 1, 1), date(2026, 12, 31), roll_up=True)
    with tempfile.TemporaryDirectory() as tmp, db.transaction(readonly=True) as s:
        print("Periodic report, province-wide 2022–2026, median of 3 runs:")
        for suffix in (".pdf", ".xlsx"):
            runs, what = [], ""
            out = Path(tmp) / f"bao-cao{suffix}"
            for _ in range(3):
                started = time.perf_counter()
                what = report_file.write_report(s, f, out, date(2026, 11, 28))
                runs.append(time.perf_counter() - started)
            size = out.stat().st_size / 1024
            print(f"  {suffix:<6} {statistics.median(runs):6.2f} s  ({what}, {size:,.0f} KiB)")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
