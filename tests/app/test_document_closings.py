"""How printed documents end (issue 16): the date line and the signers kept with the last
rows of the table, the signer's title line for line as the certificate prints it, room
to sign, scores never shown in a higher grade band, sessions not yet taken left out."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime
from pathlib import Path

from pypdf import PdfReader

from app import labels
from app.db import Database
from app.documents.attendance_sheet import (
    AttendanceSummary,
    SummaryRow,
    render_attendance_summary,
    render_sign_in_sheet,
)
from app.documents.register import RegisterLine, render_register
from app.documents.transcript import Transcript, TranscriptCourse, render_transcript
from app.services import certificate_register, printing
from models import AttendanceStatus
from tests.app import world
from tests.app.test_certificate_register import sixty
from tests.app.test_documents import HEADING, sheet

TITLE = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
DATED = "Vĩnh Long, ngày 06 tháng 3 năm 2026"


def pages(pdf: bytes) -> list[str]:
    return [
        unicodedata.normalize("NFC", x.extract_text()) for x in PdfReader(io.BytesIO(pdf)).pages
    ]


def heights(pdf: bytes, page: int) -> dict[str, float]:
    """The baseline of each piece of text drawn on a page (the lowest when repeated)."""
    found: dict[str, float] = {}

    def seen(text, cm, tm, _font, _size) -> None:  # type: ignore[no-untyped-def]
        key = unicodedata.normalize("NFC", text).strip()
        if key:
            found[key] = min(found.get(key, 1e9), tm[5] * cm[3] + cm[5])

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=seen)
    return found


def summary(n: int, **kw: object) -> AttendanceSummary:
    rows = [
        SummaryRow(f"Người số {i:03d}", ["present"] * 3, 3, 100.0, 100.0, 6.0, 8.0, "completed")
        for i in range(1, n + 1)
    ]
    return AttendanceSummary(
        HEADING, "TH-2026-014", "Tập huấn VNeID", date(2026, 3, 2), date(2026, 3, 6),
        [datetime(2026, 3, d, 7, 30) for d in (2, 3, 4)], 3, "chuyên cần ≥ 80%", rows,
        TITLE, None, date(2026, 3, 6), **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def kept_together(texts: list[str], last_rows: list[str], signer: str) -> None:
    """The page with the date line has the signer and the last rows of the table too."""
    (page,) = [t for t in texts if DATED in t]
    assert signer in page
    for row in last_rows:
        assert row in page, row


def test_the_summary_signers_stay_with_the_date_and_the_last_two_rows() -> None:
    for n in range(14, 40):  # a page's worth and more: every way the last page can fall
        out = io.BytesIO()
        render_attendance_summary(summary(n), out)
        texts = pages(out.getvalue())
        last = [f"Người số {n - 1:03d}", f"Người số {n:03d}"]
        kept_together(texts, last, "NGƯỜI LẬP BẢNG")


def test_the_sign_in_sheet_signers_stay_with_the_last_rows() -> None:
    for n in range(8, 30):
        out = io.BytesIO()
        render_sign_in_sheet(sheet(n), out)
        texts = pages(out.getvalue())
        (page,) = [t for t in texts if "Vĩnh Long, ngày 03 tháng 3 năm 2026" in t]
        assert "ĐẠI DIỆN ĐƠN VỊ TỔ CHỨC" in page and "GIẢNG VIÊN" in page
        # the table's last rows are the blank ones for walk-ins: their numbers
        assert f"{n + 4}" in page.split() and f"{n + 5}" in page.split()


def test_the_register_signer_stays_with_the_last_two_lines() -> None:
    for n in range(16, 50):
        lines = [
            RegisterLine(f"{i:04d}/GCN", str(i), f"Người số {i:03d}", "1989", "Nam", "Xã A",
                         "K1 – Kỹ năng số", "Hoàn thành", date(2026, 3, 6), "")
            for i in range(1, n + 1)
        ]  # fmt: skip
        out = io.BytesIO()
        render_register(HEADING, "Năm 2026", lines, TITLE, out, date(2026, 3, 6), "Nguyễn Văn Tâm")
        texts = pages(out.getvalue())
        kept_together(texts, [f"Người số {n - 1:03d}", f"Người số {n:03d}"], "Nguyễn Văn Tâm")


def test_the_transcript_signer_is_never_alone_on_a_page() -> None:
    for n in range(1, 24):
        courses = [
            TranscriptCourse(f"TH-{i:03d}", f"Khóa số {i:03d}", date(2026, 3, 2), date(2026, 3, 6),
                             3, 3, "6,0", "8,0", "Hoàn thành")
            for i in range(1, n + 1)
        ]  # fmt: skip
        data = Transcript(HEADING, "Lê Văn An", "1986", "Xã A", "", [], courses, ["VNeID"],
                          ["Số 0001/GCN"], TITLE, date(2026, 3, 6))  # fmt: skip
        out = io.BytesIO()
        render_transcript(data, out)
        (page,) = [t for t in pages(out.getvalue()) if DATED in t]
        assert "KT. GIÁM ĐỐC" in page and "Giấy chứng nhận đã cấp" in page


def test_the_title_is_printed_line_for_line_with_room_to_sign() -> None:
    out = io.BytesIO()
    render_attendance_summary(summary(3, signer_name="Nguyễn Văn Tâm"), out)
    pdf = out.getvalue()
    y = heights(pdf, 0)
    assert y["KT. GIÁM ĐỐC"] > y["PHÓ GIÁM ĐỐC"]  # two lines, the first above
    room = y["(Ký, ghi rõ họ tên)"] - y["Nguyễn Văn Tâm"]
    assert room >= 25 / 25.4 * 72, room  # 2,5 cm to sign at least


def test_the_register_and_summary_print_the_title_the_certificate_prints(
    sqlite_db: Database, tmp_path: Path
) -> None:
    with sqlite_db.transaction() as s:
        w = world.build(s)
        sixty(s, w)  # configure(): "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC", Nguyễn Văn Tâm
    out = tmp_path / "so-cap.pdf"
    with sqlite_db.transaction() as s:
        certificate_register.write_register(s, out, 2024)
        data = printing.summary(s, w.course, date(2026, 3, 6))
    last = pages(out.read_bytes())[-1]
    assert "KT. GIÁM ĐỐC" in last and "PHÓ GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ" in last
    buf = io.BytesIO()
    render_attendance_summary(data, buf)
    last = pages(buf.getvalue())[-1]
    assert "KT. GIÁM ĐỐC" in last and "PHÓ GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ" in last
    assert "Nguyễn Văn Tâm" in last


def test_a_score_is_never_shown_in_the_band_above() -> None:
    rows = [
        SummaryRow("Lê Văn An", ["present"] * 3, 3, 100.0, 100.0, 6.0, 7.99, "completed"),
        SummaryRow("Trần Văn Bình", ["present"] * 3, 3, 100.0, 100.0, 5.0, 8.0, "completed"),
    ]
    base = summary(0)
    out = io.BytesIO()
    render_attendance_summary(AttendanceSummary(**{**base.__dict__, "rows": rows}), out)
    cells = pages(out.getvalue())[0].split()
    assert "7,99" in cells and cells.count("8,0") == 1  # Trần Văn Bình's 8, not Lê Văn An's
    assert [labels.score_decimal(x) for x in (7.99, 8.0, 8.5, 9, 7.999, None)] == [
        "7,99", "8,0", "8,5", "9,0", "7,99", ""
    ]  # fmt: skip


def test_a_session_held_without_marks_is_not_counted_as_missed(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as s:
        w = world.build(s)  # three sessions in March 2024, all held
        p = AttendanceStatus.PRESENT
        for name in ("Lê Văn An", "Trần Thị Bình"):
            world.enrol(s, w, world.person(s, name), [p, None, p])  # nobody marked in B2
    with sqlite_db.transaction() as s:
        data = printing.summary(s, w.course, date(2024, 3, 8))
    assert data.unmarked == (1,) and data.held == 2
    assert [r.pct_held for r in data.rows] == [100.0, 100.0]
    out = io.BytesIO()
    render_attendance_summary(data, out)
    flat = " ".join(pages(out.getvalue())[0].split())
    assert "B2 (05/03/2024) đã diễn ra nhưng chưa điểm danh" in flat
    assert "100,0%" in flat and "Đã học 3/3 buổi" in flat and "trên 0 buổi" not in flat
