"""The periodic report as files: pages and seconds for the PDF and the .xlsx.

    python bench/report_document.py                      # the scale-25 demo in bench/out
    python bench/report_document.py /tmp/d1.db /tmp/d25.db   # demos built with `taphuan demo`

The whole period (2022–2026) province-wide, the heaviest report there is: every commune
and topic in the tables, every course on the workbook's course sheet. Median of 3 runs of
write_report (the queries and the file); then the PDF's two halves apart: the queries
(report_file.document) and the building (render_report: charts, fonts, tables, the file).
Beside each wall-clock median, the median CPU time (time.process_time: SQLite runs in this
process), steadier on a loaded machine; and the best wall-clock run.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import demo_database

from app.db import Database
from app.documents.report import render_report
from app.services import report_file
from app.services.reports import ReportFilter


def median_of_3(run) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    runs, cpus, result = [], [], None
    for _ in range(3):
        started, cpu = time.perf_counter(), time.process_time()
        result = run()
        runs.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    median_of_3.cpu, median_of_3.best = statistics.median(cpus), min(runs)  # type: ignore[attr-defined]
    return statistics.median(runs), result


def cpu() -> str:
    """The last median_of_3's CPU median and best wall-clock run."""
    return f"CPU {median_of_3.cpu:.2f} s, best {median_of_3.best:.2f} s"  # type: ignore[attr-defined]


def bench(path: Path) -> None:
    db = Database(str(path))
    f = ReportFilter(date(2022, 1, 1), date(2026, 12, 31), roll_up=True)
    printed = date(2026, 11, 28)
    print(f"{path.name}: periodic report, province-wide 2022–2026, median of 3 runs")
    with tempfile.TemporaryDirectory() as tmp, db.transaction(readonly=True) as s:
        for suffix in (".pdf", ".xlsx"):
            out = Path(tmp) / f"bao-cao{suffix}"
            seconds, what = median_of_3(lambda: report_file.write_report(s, f, out, printed))  # noqa: B023
            size = out.stat().st_size / 1024
            print(f"  {suffix:<6} {seconds:6.2f} s, {cpu()}  ({what}, {size:,.0f} KiB)")
        queries, doc = median_of_3(lambda: report_file.document(s, f, printed))
        print(f"  queries of the PDF alone (report_file.document): {queries:.2f} s, {cpu()}")
        building, pages = median_of_3(lambda: render_report(doc, io.BytesIO()))
        print(f"  building of the PDF alone (render_report): {building:.2f} s, {cpu()} "
              f"({pages} trang)")  # fmt: skip
    db.close()


def main() -> int:
    paths = [Path(a) for a in sys.argv[1:]] or [demo_database(25)]
    for path in paths:
        bench(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
