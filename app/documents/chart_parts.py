"""What the report's charts say, apart from how they are drawn: titles, colours, labels,
row counts. Shared by the dashboard's matplotlib charts (charts.py) and the printed
report's ReportLab charts (report_charts.py); imports neither matplotlib nor ReportLab."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from app.labels import number
from app.report_data import CountRow, Dashboard

BLUE, ORANGE, LIGHT, GREY = "#2563a6", "#e08a1e", "#9bbce0", "#8a8a8a"
TOP_COMMUNES = 10
EMPTY = "Không có số liệu trong kỳ này"
TITLES = {
    "months": "Số người được tập huấn theo tháng",
    "communes": f"Số người được tập huấn theo xã/phường ({TOP_COMMUNES} nhiều nhất)",
    "topics": "Số người được tập huấn theo chuyên đề",
    "rates": "Tỷ lệ chuyên cần và hoàn thành theo khóa",
    "scores": "Điểm kiểm tra trước và sau tập huấn",
    "coverage": "Độ phủ tập huấn thành viên Tổ CNSCĐ theo cấp",
}


def short(label: str, width: int = 26) -> str:
    return "\n".join(textwrap.wrap(label, width, max_lines=2, placeholder="…")) or label


def decimal(value: float, _pos: object = None) -> str:
    """An axis tick the Vietnamese way: 1.250 and 7,5 (not 1,250 and 7.5)."""
    if float(value).is_integer():
        return number(int(value))
    return f"{value:.2f}".rstrip("0").replace(".", ",")


def month_labels(rows: Sequence[CountRow]) -> list[str]:
    """T1…T12 within one year; T1/2026 when the period spans years (keys are "2026-01")."""
    keys = [str(r.key) for r in rows]
    one_year = len({k[:4] for k in keys}) == 1
    return [f"T{int(k[5:])}" if one_year else f"T{int(k[5:])}/{k[:4]}" for k in keys]


def courses_shown(d: Dashboard, shown: int) -> str:
    """What a course chart leaves out, said in its title: "15 trong 23 khóa học"."""
    total = max(d.course_count, len(d.courses))
    if shown == total:
        return f"{number(total)} khóa học"
    return f"{number(shown)} trong {number(total)} khóa học được hiển thị"


def title(name: str, d: Dashboard) -> str:
    """The chart's title; a course chart says on a line of its own how many it shows."""
    said = TITLES[name]
    if name in ("rates", "scores") and d.courses:
        shown = len(d.courses) if name == "rates" else sum(1 for c in d.courses if c.scored)
        said += f"\n{courses_shown(d, shown)}"  # a line of its own: whole in half a window
    return said


def rows(name: str, d: Dashboard) -> int:
    """How many bars a horizontal chart stacks (a printed chart grows to fit them)."""
    if name == "topics":
        return len(d.topics)
    if name == "communes":
        return min(len(d.communes), TOP_COMMUNES + 1)
    courses = {"rates": len(d.courses), "scores": sum(1 for c in d.courses if c.scored)}
    # A course's title takes two lines and two bars: it needs the room of one and a half.
    return math.ceil(1.5 * courses.get(name, 0))
