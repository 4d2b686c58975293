"""The sign-in sheet for one session (A4 portrait) and the course's attendance summary
(A4 landscape). Pure ReportLab: plain data in, PDF bytes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Spacer, TableStyle

from app.documents.common import (
    GRID,
    MARGIN,
    Heading,
    build,
    national_heading,
    p,
    place_and_date,
    signatures,
    styles,
)
from app.documents.qr import QrFlowable

MARK_SYMBOLS = {"present": "x", "late": "M", "excused": "P", "absent": "V"}


@dataclass(frozen=True)
class SignInRow:
    full_name: str
    birth_year: str
    workplace: str
    position: str
    phone: str
    checkin_code: str | None = None


@dataclass(frozen=True)
class SignInSheet:
    heading: Heading
    course_code: str
    course_title: str
    session_label: str  # "Buổi 2"
    starts_at: datetime
    ends_at: datetime
    venue: str
    trainers: str
    organiser_title: str  # who signs for the organiser
    rows: list[SignInRow]
    blank_rows: int = 5
    show_qr: bool = False
    printed_on: date | None = None


def render_sign_in_sheet(data: SignInSheet, out: BinaryIO) -> int:
    """DANH SÁCH HỌC VIÊN KÝ TÊN; the header row on every page; blank rows for walk-ins."""
    st = styles(11)
    width = A4[0] - 2 * MARGIN
    story = [
        national_heading(data.heading, width, st),
        Spacer(1, 4 * mm),
        p("DANH SÁCH HỌC VIÊN KÝ TÊN", st["title"]),
        p(f"{data.course_title} ({data.course_code})", st["center_bold"]),
        p(
            f"{data.session_label}: {data.starts_at:%H:%M}–{data.ends_at:%H:%M}, ngày {data.starts_at:%d/%m/%Y}"
            + (f" – Địa điểm: {data.venue}" if data.venue else ""),
            st["center"],
        ),
    ]
    if data.trainers:
        story.append(p(f"Giảng viên: {data.trainers}", st["center"]))
    story.append(Spacer(1, 4 * mm))
    headers = [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "Đơn vị công tác",
        "Chức vụ",
        "Số điện thoại",
        "Ký tên",
    ]
    if data.show_qr:  # narrower text columns, so that the signature keeps about 3 cm
        widths = [9 * mm, 38 * mm, 13 * mm, 32 * mm, 22 * mm, 21 * mm, 0, 15 * mm]
        headers.append("Mã")
    else:
        widths = [9 * mm, 42 * mm, 13 * mm, 38 * mm, 25 * mm, 22 * mm, 0]
    widths[6] = width - sum(widths)
    table = [[p(h, st["head_cell"]) for h in headers]]
    for i, r in enumerate(data.rows, start=1):
        row = [
            p(i, st["cell_center"]),
            p(r.full_name, st["cell"]),
            p(r.birth_year, st["cell_center"]),
            p(r.workplace, st["cell"]),
            p(r.position, st["cell"]),
            p(r.phone, st["cell_center"]),
            "",
        ]
        if data.show_qr:
            row.append(QrFlowable(r.checkin_code, 13 * mm) if r.checkin_code else "")
        table.append(row)
    for i in range(len(data.rows) + 1, len(data.rows) + data.blank_rows + 1):
        table.append([p(i, st["cell_center"])] + [""] * (len(headers) - 1))
    grid = LongTable(table, colWidths=widths, repeatRows=1)
    # Room to sign: taller rows than the text needs (a QR sets its own height).
    grid.setStyle(
        TableStyle(
            [*GRID, ("TOPPADDING", (0, 1), (-1, -1), 6), ("BOTTOMPADDING", (0, 1), (-1, -1), 6)]
        )
    )
    story += [
        grid,
        Spacer(1, 6 * mm),
        p(place_and_date(data.heading, data.printed_on), st["center_italic"]),
        signatures([("GIẢNG VIÊN", ""), (data.organiser_title.upper(), "")], width, st),
    ]
    return build(out, story, A4, f"Danh sách ký tên {data.course_code} {data.session_label}")


@dataclass(frozen=True)
class SummaryRow:
    full_name: str
    marks: list[str | None]  # status per session, in order
    attended: int
    pct_held: float | None
    pct_planned: float | None
    pre_score: float | None
    post_score: float | None
    result: str | None  # completed / not_completed / in_progress / None


@dataclass(frozen=True)
class AttendanceSummary:
    heading: Heading
    course_code: str
    course_title: str
    start_date: date
    end_date: date
    session_days: list[datetime]
    held: int
    rule: str  # "Chuyên cần ≥ 80% và điểm cuối khóa ≥ 5/10"
    rows: list[SummaryRow]
    organiser_title: str
    average_improvement: float | None = None
    printed_on: date | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


def render_attendance_summary(data: AttendanceSummary, out: BinaryIO) -> int:
    """People by sessions with marks, counts, both percentages, scores and result (landscape)."""
    st = styles(10)
    size = landscape(A4)
    width = size[0] - 2 * MARGIN
    story = [
        national_heading(data.heading, width, st),
        Spacer(1, 3 * mm),
        p("BẢNG TỔNG HỢP ĐIỂM DANH VÀ KẾT QUẢ HỌC TẬP", st["title"]),
        p(
            f"{data.course_title} ({data.course_code}), {data.start_date:%d/%m/%Y}–{data.end_date:%d/%m/%Y}",
            st["center_bold"],
        ),
        p(
            f"Điều kiện hoàn thành: {data.rule}. Đã học {data.held}/{len(data.session_days)} buổi.",
            st["center"],
        ),
        Spacer(1, 3 * mm),
    ]
    n = len(data.session_days)
    fixed = [9 * mm, 48 * mm]
    tail = [14 * mm, 17 * mm, 17 * mm, 14 * mm, 14 * mm, 24 * mm]
    col = max(7 * mm, (width - sum(fixed) - sum(tail)) / max(n, 1))
    headers = (
        ["STT", "Họ và tên"]
        + [f"B{i}<br/>{d:%d/%m}" for i, d in enumerate(data.session_days, 1)]
        + [
            "Số buổi có mặt",
            "% buổi đã học",
            "% kế hoạch",
            "Điểm đầu vào",
            "Điểm cuối khóa",
            "Kết quả",
        ]
    )
    from reportlab.platypus import Paragraph

    table = [[Paragraph(h, st["head_cell"]) for h in headers]]
    results = {"completed": "Hoàn thành", "not_completed": "Chưa hoàn thành",
               "in_progress": "Đang học", None: ""}  # fmt: skip
    for i, r in enumerate(data.rows, start=1):
        table.append(
            [p(i, st["cell_center"]), p(r.full_name, st["cell"])]
            + [p(MARK_SYMBOLS.get(m or "", ""), st["cell_center"]) for m in r.marks]
            + [
                p(r.attended, st["cell_center"]),
                p(_pct(r.pct_held), st["cell_center"]),
                p(_pct(r.pct_planned), st["cell_center"]),
                p(_score(r.pre_score), st["cell_center"]),
                p(_score(r.post_score), st["cell_center"]),
                p(results[r.result], st["cell_center"]),
            ]
        )
    grid = LongTable(table, colWidths=fixed + [col] * n + tail, repeatRows=1)
    grid.setStyle(TableStyle(GRID))
    legend = "Ký hiệu: x có mặt, M đi muộn, P vắng có phép, V vắng. “% buổi đã học” tính trên các buổi đã diễn ra; “% kế hoạch” tính trên mọi buổi của khóa."
    if data.average_improvement is not None:
        legend += (
            f" Điểm tăng trung bình (cuối khóa − đầu vào): {_score(data.average_improvement)}."
        )
    story += [
        grid,
        Spacer(1, 3 * mm),
        p(legend, st["small"]),
        Spacer(1, 4 * mm),
        p(place_and_date(data.heading, data.printed_on), st["center_italic"]),
        signatures([("NGƯỜI LẬP BẢNG", ""), (data.organiser_title.upper(), "")], width, st),
    ]
    return build(out, story, size, f"Tổng hợp điểm danh {data.course_code}")
