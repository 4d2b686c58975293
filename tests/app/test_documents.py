"""Printed documents, read back with pypdf: Vietnamese text, pages, repeated headers."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime

from pypdf import PdfReader

from app.db import Database
from app.documents.attendance_sheet import (
    AttendanceSummary,
    SignInRow,
    SignInSheet,
    SummaryRow,
    render_attendance_summary,
    render_sign_in_sheet,
)
from app.documents.badges import Badge, BadgeSheet, render_badges
from app.documents.common import Heading
from app.services import attendance, printing
from tests.app import world

HEADING = Heading("UBND tỉnh Vĩnh Long", "Sở Khoa học và Công nghệ", "Vĩnh Long")


def pages(pdf: bytes) -> list[str]:
    return [
        unicodedata.normalize("NFC", page.extract_text())
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def sheet(n: int, qr: bool = False) -> SignInSheet:
    rows = [
        SignInRow(
            f"Lê Văn {i}",
            "1986",
            "Hội Liên hiệp Phụ nữ xã Đại Điền, huyện Thạnh Phú",
            "Chi hội trưởng",
            "0903111222",
            f"AB{i:06d}",
        )
        for i in range(1, n + 1)
    ]
    return SignInSheet(
        HEADING,
        "TH-2026-014",
        "Tập huấn triển khai định danh điện tử VNeID",
        "Buổi 2",
        datetime(2026, 3, 3, 7, 30),
        datetime(2026, 3, 3, 11, 0),
        "Hội trường UBND xã Đại Điền",
        "Phạm Quốc Khánh",
        "Sở Khoa học và Công nghệ tỉnh Vĩnh Long",
        rows,
        5,
        qr,
    )


def test_sign_in_sheet_for_many_people() -> None:
    out = io.BytesIO()
    n_pages = render_sign_in_sheet(sheet(60), out)
    text = pages(out.getvalue())
    assert len(text) == n_pages >= 2
    first = text[0]
    for fragment in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "DANH SÁCH HỌC VIÊN KÝ TÊN",
        "Buổi 2: 07:30–11:00, ngày 03/03/2026",
        "Lê Văn 1\n",
    ):
        assert fragment in first
    for i, page in enumerate(text, start=1):
        assert "Họ và tên" in page and "Ký tên" in page  # the header row on every page
        assert f"Trang {i}/{n_pages}" in page
    assert "Lê Văn 60" in "".join(text)
    # A long unit wraps inside its cell instead of running over the next column.
    assert "Hội Liên hiệp Phụ nữ xã Đại Điền,\nhuyện Thạnh Phú" in first
    last = text[-1]
    assert "65" in last and "Vĩnh Long, ngày 03 tháng 3 năm 2026" in last and "GIẢNG VIÊN" in last


def test_sign_in_sheet_with_qr_is_reproducible() -> None:
    a, b = io.BytesIO(), io.BytesIO()
    render_sign_in_sheet(sheet(3, qr=True), a)
    render_sign_in_sheet(sheet(3, qr=True), b)
    assert a.getvalue() == b.getvalue()
    assert "Mã" in pages(a.getvalue())[0]


def test_attendance_summary_landscape() -> None:
    rows = [
        SummaryRow(
            "Trần Văn Bình",
            ["present", "late", "absent"],
            2,
            100.0,
            66.7,
            6.5,
            8.0,
            "not_completed",
        )
    ]
    data = AttendanceSummary(
        HEADING,
        "TH-2026-014",
        "Tập huấn VNeID",
        date(2026, 3, 2),
        date(2026, 3, 6),
        [datetime(2026, 3, d, 7, 30) for d in (2, 3, 4)],
        2,
        "chuyên cần ≥ 80%",
        rows,
        "Giám đốc Sở",
        1.5,
        date(2026, 3, 6),
    )
    out = io.BytesIO()
    render_attendance_summary(data, out)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    box = reader.pages[0].mediabox
    assert box.width > box.height
    text = pages(out.getvalue())[0]
    for fragment in (
        "BẢNG TỔNG HỢP ĐIỂM DANH",
        "Trần Văn Bình",
        "Chưa hoàn thành",
        "100,0%",  # of the 2 sessions held
        "66,7%",  # of the 3 planned
        "6,5",
        "8,0",
        "Điểm tăng trung bình (cuối khóa − đầu vào): 1,5",
    ):
        assert fragment in text


def test_badges_eight_a_page() -> None:
    data = BadgeSheet(
        "Tập huấn VNeID",
        "Sở Khoa học và Công nghệ",
        [Badge(f"Lê Thị Bé {i}", "Ấp Thạnh Hòa, xã Đại Điền", f"CODE{i:04d}") for i in range(9)],
    )
    out = io.BytesIO()
    assert render_badges(data, out) == 2
    text = pages(out.getvalue())
    assert (
        "LÊ THỊ BÉ 0" in text[0]
        and "Mã điểm danh: CODE0007" in text[0]
        and "LÊ THỊ BÉ 8" in text[1]
    )


def test_documents_from_the_database(db: Database) -> None:
    with db.transaction() as s:
        w = world.build(s)
        pid = world.person(s, "Nguyễn Thị Hà")
        eid = world.enrol(s, w, pid, [])
        attendance.mark(s, w.course, w.sessions[0], eid, "present")
        data = printing.sign_in_sheet(s, w.course, 1, show_qr=True)
        summary = printing.summary(s, w.course)
        record = printing.transcript(s, pid)
        cards = printing.badges(s, w.course)
    assert [r.full_name for r in data.rows] == ["Nguyễn Thị Hà"] and data.rows[0].checkin_code
    assert data.session_label == "Buổi 1" and data.starts_at == datetime(2024, 3, 4, 7, 30)
    assert summary.rows[0].marks == ["present", None, None]
    assert record.courses[0].attended == 1 and record.topics == [
        "Ứng dụng VNeID và định danh điện tử"
    ]
    assert cards.badges[0].checkin_code == data.rows[0].checkin_code


def read_qr_codes(pdf: bytes, page: int = 0, dpi: int = 150) -> list[str]:
    """What a phone would read from the printed page."""
    import pypdfium2 as pdfium
    import zxingcpp

    doc = pdfium.PdfDocument(pdf)
    image = doc[page].render(scale=dpi / 72).to_pil()
    return sorted(r.text for r in zxingcpp.read_barcodes(image))


def test_qr_codes_read_back_from_the_page() -> None:
    data = BadgeSheet(
        "Tập huấn VNeID",
        "Sở Khoa học và Công nghệ",
        [Badge(f"Lê Thị Bé {i}", "Ấp Thạnh Hòa", f"XK{i:02d}7QPA") for i in range(3)],
    )
    out = io.BytesIO()
    render_badges(data, out)
    assert read_qr_codes(out.getvalue()) == ["XK007QPA", "XK017QPA", "XK027QPA"]
    out = io.BytesIO()
    render_sign_in_sheet(sheet(4, qr=True), out)
    assert read_qr_codes(out.getvalue(), dpi=200) == [f"AB{i:06d}" for i in range(1, 5)]
