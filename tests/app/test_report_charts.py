"""The printed report's charts (ReportLab, no matplotlib) tick their value axes as the
dashboard's matplotlib charts do, and are drawn without matplotlib."""

from __future__ import annotations

import subprocess
import sys

import pytest
from matplotlib.ticker import MaxNLocator

from app.documents.report_charts import nice_ticks


@pytest.mark.parametrize("integer", [True, False])
@pytest.mark.parametrize("bins", [1, 3, 4, 5, 8, 9])
@pytest.mark.parametrize("top", [3, 10, 100, 115, 1449 * 1.05, 9450, 64350 * 1.05, 2.5e6])
def test_value_ticks_are_matplotlib_s(top: float, bins: int, integer: bool) -> None:
    locator = MaxNLocator(bins, steps=[1, 2, 2.5, 5, 10], integer=integer)
    expected = [float(t) for t in locator.tick_values(0, top) if 0 <= t <= top]
    # An x axis of 9-point labels has room for a tick every 27 points.
    assert nice_ticks(top, bins * 27, 9, integer, x=True) == pytest.approx(expected), (top, bins)


def test_the_report_is_built_without_importing_matplotlib() -> None:
    code = """
import io, sys
from datetime import date
from app.documents.common import Heading
from app.documents.report import ReportDocument, render_report
from app.report_data import CountRow, CoverageRow, Dashboard, Figures, ReportFilter, Summary

total = Figures(1449, 12, 48, 43.0, 87.5, 1449)
d = Dashboard(
    filter=ReportFilter(date(2026, 1, 1), date(2026, 12, 31)),
    summary=Summary({"in_person": total, "online": Figures()}, total),
    months=[CountRow(f"2026-{m:02d}", f"{m:02d}/2026", 1449 - m) for m in range(1, 4)],
    communes=[CountRow(1, "Xã Tân Phú Đông", 1449)], topics=[], courses=[],
    coverage=[CoverageRow("commune", 1000, 430)], timings={},
)
heading = Heading("UBND TỈNH VĨNH LONG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Vĩnh Long")
out = io.BytesIO()
render_report(ReportDocument(heading, "GIÁM ĐỐC", "Toàn tỉnh", d), out)
assert out.getvalue().startswith(b"%PDF")
print(sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
