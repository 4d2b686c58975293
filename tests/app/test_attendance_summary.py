"""The course's attendance summary: scores with one decimal and a decimal comma, the two
percentages only when they differ, and a name column as wide as the longest name."""

from __future__ import annotations

import io
from datetime import date, datetime

from pypdf import PdfReader

from app.db import Database
from app.documents.attendance_sheet import (
    AttendanceSummary,
    SummaryRow,
    render_attendance_summary,
)
from app.services import printing
from models import AttendanceStatus
from tests.app import world
from tests.app.test_documents import HEADING, pages

LONG = "Nguyễn Thị Hoàng Phương Thảo"
LONGER = "Tôn Nữ Hoàng Thị Thanh Xuân Mỹ Ngọc Bích Phương Quỳnh Như Ý"
DAYS = [datetime(2026, 3, d, 7, 30) for d in (2, 3, 4)]


def summary(rows: list[SummaryRow], held: int, days: list[datetime] = DAYS) -> AttendanceSummary:
    return AttendanceSummary(
        HEADING,
        "TH-2026-014",
        "Tập huấn VNeID",
        date(2026, 3, 2),
        date(2026, 3, 6),
        days,
        held,
        "chuyên cần ≥ 80% và điểm cuối khóa ≥ 5/10",
        rows,
        "Giám đốc Sở Khoa học và Công nghệ",
        1.0,
        date(2026, 3, 6),
    )


def render(data: AttendanceSummary) -> list[str]:
    out = io.BytesIO()
    render_attendance_summary(data, out)
    return pages(out.getvalue())


def test_scores_have_one_decimal_and_a_decimal_comma() -> None:
    rows = [
        SummaryRow(LONG, ["present"] * 3, 3, 100.0, 100.0, 7.5, 9.0, "completed"),
        SummaryRow("Lê Văn An", ["present", "absent", "late"], 2, 66.67, 66.67, 6, 10, None),
    ]
    text = render(summary(rows, held=3))[0]
    cells = text.split()
    for score in ("7,5", "9,0", "6,0", "10,0"):
        assert score in cells, score
    assert "9" not in cells and "10" not in cells  # never "9" for nine
    assert "66,7%" in cells and "100,0%" in cells
    assert "Điểm tăng trung bình (cuối khóa − đầu vào): 1,0." in text


def test_one_percentage_column_when_every_planned_session_is_held() -> None:
    rows = [SummaryRow("Lê Văn An", ["present", "present", "absent"], 2, 66.67, 66.67, 5, 8, None)]
    text = render(summary(rows, held=3))[0]
    flat = " ".join(text.split())
    assert "% có mặt (3 buổi)" in flat and "đã học" not in flat.split("Kết quả")[0]
    assert text.split().count("66,7%") == 1
    assert "tính trên 3 buổi của khóa (số buổi đã học bằng kế hoạch)" in flat


def test_two_percentage_columns_while_sessions_are_still_to_come() -> None:
    rows = [SummaryRow("Lê Văn An", ["present", "present", None], 2, 100.0, 66.67, 5, None, None)]
    text = render(summary(rows, held=2))[0]
    flat = " ".join(text.split())
    assert "% trên 2 buổi đã học" in flat and "% trên 3 buổi kế hoạch" in flat
    assert "100,0%" in text.split() and "66,7%" in text.split()
    assert "trên 2 buổi đã diễn ra và trên cả 3 buổi theo kế hoạch" in flat


def test_the_name_column_fits_the_longest_name() -> None:
    """Never cut, never wrapped, with three sessions and with twelve."""
    rows = [
        SummaryRow(name, [], 0, None, None, None, None, None) for name in (LONG, LONGER, "Lê An")
    ]
    for days in (DAYS, [datetime(2026, 3, d, 7, 30) for d in range(2, 14)]):
        lines = render(summary(rows, held=0, days=days))[0].splitlines()
        for name in (LONG, LONGER):
            assert any(name == line.strip() for line in lines), (len(days), name)


def test_the_summary_from_the_database(db: Database) -> None:
    with db.transaction() as s:
        w = world.build(s)
        pid = world.person(s, LONG)
        world.enrol(s, w, pid, [AttendanceStatus.PRESENT] * 3, pre=4.5, post=9)
        data = printing.summary(s, w.course)
    out = io.BytesIO()
    render_attendance_summary(data, out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    text = pages(out.getvalue())[0]
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    assert LONG in text.splitlines() and "4,5" in text.split() and "9,0" in text.split()
    assert "% có mặt (3 buổi)" in " ".join(text.split())
