"""SpanningLongTable draws exactly what ReportLab's LongTable draws, byte for byte, for
the documents that end a long table with a spanned closing row (common.closing)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from reportlab.platypus import LongTable

from app.documents import common
from app.documents.attendance_sheet import (
    AttendanceSummary,
    SignInRow,
    SignInSheet,
    SummaryRow,
    render_attendance_summary,
    render_sign_in_sheet,
)
from tests.app.test_documents import HEADING


def _sheet(n: int, qr: bool, phones: bool) -> SignInSheet:
    rows = [
        SignInRow(
            f"Nguyễn Thị Thanh Hương {i}",
            "1986",
            "Hội Liên hiệp Phụ nữ xã Đại Điền" + (", huyện Thạnh Phú" if i % 3 == 0 else ""),
            "Chi hội trưởng",
            "0903111222",
            f"AB{i:06d}" if i % 5 else None,
        )
        for i in range(n)
    ]
    return SignInSheet(
        HEADING, "TH-2026-014", "Tập huấn triển khai định danh điện tử VNeID", "Buổi 1",
        datetime(2026, 3, 2, 7, 30), datetime(2026, 3, 2, 11), "Hội trường UBND xã Đại Điền",
        "Phạm Quốc Khánh", "Sở Khoa học và Công nghệ tỉnh Vĩnh Long", rows, 5, qr,
        show_phones=phones, trainer_names=("Phạm Quốc Khánh", "Đỗ Thị Mai", "Lê Văn An", "Trần Bình"),
    )  # fmt: skip


def _summary(n: int) -> AttendanceSummary:
    rows = [
        SummaryRow(f"Trần Văn Bình {i}", ["present", "late", "absent", None], 2, 66.7, 50.0,
                   4.5, 8.0, ["completed", "not_completed", "in_progress", None][i % 4])
        for i in range(n)
    ]  # fmt: skip
    return AttendanceSummary(
        HEADING, "TH-2026-014", "Tập huấn VNeID", date(2026, 3, 1), date(2026, 3, 20),
        [datetime(2026, 3, k + 1) for k in range(4)], 3, "Chuyên cần ≥ 80%", rows, "GIÁM ĐỐC",
        1.5, date(2026, 3, 21), signer_name="Lê Văn Tâm", unmarked=(3,),
    )  # fmt: skip


@pytest.mark.parametrize(
    "render",
    [
        lambda out: render_sign_in_sheet(_sheet(47, qr=True, phones=False), out),
        lambda out: render_sign_in_sheet(_sheet(61, qr=False, phones=True), out),
        lambda out: render_attendance_summary(_summary(70), out),
    ],
)
def test_the_same_pdf_as_reportlab_s_long_table(render, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    ours = io.BytesIO()
    pages = render(ours)
    assert pages >= 2  # page breaks inside the table, the closing row at its end
    monkeypatch.setattr(common, "SpanningLongTable", LongTable)
    reportlab_s = io.BytesIO()
    render(reportlab_s)
    assert ours.getvalue() == reportlab_s.getvalue()
