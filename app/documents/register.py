"""Sổ cấp giấy chứng nhận: one line a certificate (STT, serial, number in the register,
holder, result, date, a column to sign for it), the course as a heading row over its
lines, landscape A4 with at least 20 lines a page, the signer's name under the block."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.documents.common import (
    GRID,
    MARGIN,
    TABLE_FONT,
    Heading,
    SignSpot,
    build,
    closing,
    national_heading,
    p,
    place_and_date,
    styles,
    title_block,
)
from app.documents.fonts import text
from app.signing.spot import Spot

PAGE = (297 * mm, 210 * mm)  # landscape A4
WIDTH = PAGE[0] - 2 * MARGIN
PAD = 3  # points above and below a line's text: 20 and more lines a page
SMALLEST_ONE_LINE = 8  # a name or unit this much smaller fits one line: so printed
MOST_LINES = 2  # a name or a unit never takes three lines: its type shrinks first
TEAM = "Tổ công nghệ số cộng đồng"
TEAM_SHORT = "Tổ CNSCĐ"  # as the department writes it in a narrow column


@dataclass(frozen=True)
class RegisterLine:
    serial: str
    register_no: str  # "Số vào sổ"; "" for none
    full_name: str
    birth: str  # dd/mm/yyyy, or a year
    gender: str  # "Nam", "Nữ" or ""
    unit: str
    course: str  # the group heading: "TH-2026-001 – Tập huấn …, từ ngày … đến ngày …"
    result: str  # "Giỏi", "Khá", "Đạt" or "Hoàn thành"
    issued_on: date
    note: str  # "Đã thu hồi: …", "Thay số …", "Cấp lại bằng số …"


HEADERS = [
    ("STT", 9),
    ("Số hiệu", 0),  # as wide as the longest serial
    ("Số vào sổ", 13),
    ("Họ và tên", 42),
    ("Ngày sinh", 17),
    ("Giới tính", 11),
    ("Đơn vị", 0),  # takes what is left
    ("Kết quả", 18),
    ("Ngày cấp", 17),
    ("Ký nhận", 24),
]


def short_unit(unit: str) -> str:
    """ "Tổ công nghệ số cộng đồng ấp 1, …" -> "Tổ CNSCĐ ấp 1, …"."""
    return text(unit).replace(TEAM, TEAM_SHORT)


def widths(lines: list[RegisterLine], cell: ParagraphStyle) -> list[float]:
    longest = max(
        (stringWidth(text(x.serial), cell.fontName, cell.fontSize) for x in lines), default=0
    )
    out = [w * mm for _, w in HEADERS]
    out[1] = max(28 * mm, longest + 6 + 1)  # a serial on one line: 3 pt of padding a side
    out[6] = WIDTH - sum(out)
    return out


def fitted(value: str, style: ParagraphStyle, width: float) -> ParagraphStyle:
    """The cell's style: a little smaller if that keeps the text on one line (a line of
    the register one line high), else smaller until it takes at most two lines."""
    inner = width - 6  # 3 pt of padding a side

    def count(size: float) -> int:
        return len(simpleSplit(text(value), style.fontName, size, inner))

    size = style.fontSize
    while size > SMALLEST_ONE_LINE and count(size) > 1:
        size -= 0.5
    if count(size) > 1:
        size = style.fontSize
        while size > 7 and count(size) > MOST_LINES:
            size -= 0.5
    if size == style.fontSize:
        return style
    return ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size * 1.15)


def line_count(value: str, style: ParagraphStyle, width: float) -> int:
    """How many lines a cell's text takes at the size it is printed (fitted)."""
    st = fitted(value, style, width)
    return len(simpleSplit(text(value), st.fontName, st.fontSize, width - 6))


def _signed(
    dated: str,
    signer: str,
    name: str,
    st: dict[str, ParagraphStyle],
    spots: list[Spot] | None = None,
) -> list[Flowable]:
    """The maker of the register at left; at right the date, the signer's title, room to
    sign and seal (noted in spots), and the signer's name."""

    def block(title: str, who: str, day: str = "") -> list[Flowable]:
        line = st["center_italic"]
        room = SignSpot(24 * mm, spots) if day else Spacer(1, 24 * mm)
        return [
            p(day, line) if day else Spacer(1, line.leading),  # the titles side by side
            title_block(title, st["center_bold"]),
            p("(Ký, ghi rõ họ tên)" if not day else "(Ký tên, đóng dấu)", st["center_italic"]),
            room,
            p(who, st["center_bold"]),
        ]

    table = Table(
        [[block("NGƯỜI LẬP SỔ", ""), block(signer, name, dated)]],
        colWidths=[WIDTH * 0.45, WIDTH * 0.55],
    )
    table.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [table]


def render_register(
    heading: Heading,
    title: str,
    lines: list[RegisterLine],
    signer: str,
    out: BinaryIO,
    printed_on: date | None = None,
    signer_name: str = "",
    spots: list[Spot] | None = None,
) -> int:
    """The register as a PDF; spots, when given, gets where the signer's room is (the
    last page), for a visible digital signature there."""
    st = styles(10)
    cell = st["cell"]
    story = [
        national_heading(heading, WIDTH, st),
        Spacer(1, 2 * mm),
        p("SỔ CẤP GIẤY CHỨNG NHẬN", st["title"]),
        p(title, st["center_bold"]),
        Spacer(1, 2 * mm),
    ]
    cols = widths(lines, cell)
    rows = [[p(h, st["head_cell"]) for h, _ in HEADERS]]
    group_rows: list[int] = []
    course = None
    for i, x in enumerate(lines, start=1):
        if x.course != course:  # the course once, over its lines
            course = x.course
            group_rows.append(len(rows))
            rows.append([p(x.course, st["left_bold"]), *[None] * (len(HEADERS) - 1)])
        unit = short_unit(x.unit)
        result = x.result + (f" ({x.note})" if x.note else "")
        rows.append(
            [
                p(i, st["cell_center"]),
                p(x.serial, cell),
                p(x.register_no, st["cell_center"]),
                p(x.full_name, fitted(x.full_name, cell, cols[3])),
                p(x.birth, st["cell_center"]),
                p(x.gender, st["cell_center"]),
                p(unit, fitted(unit, cell, cols[6])),
                p(result, st["cell_center"] if not x.note else cell),
                p(f"{x.issued_on:%d/%m/%Y}", st["cell_center"]),
                None,  # to sign in
            ]
        )
    style = [
        *GRID,
        ("TOPPADDING", (0, 1), (-1, -1), PAD),
        ("BOTTOMPADDING", (0, 1), (-1, -1), PAD),
    ]
    for r in group_rows:
        style += [
            ("SPAN", (0, r), (-1, r)),
            ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f3f3f3")),
        ]
    end = [
        Spacer(1, 4 * mm),
        *_signed(place_and_date(heading, printed_on), signer, signer_name, st, spots),
    ]
    story.append(closing(rows, style, end, colWidths=cols, repeatRows=1))
    return build(out, story, PAGE, f"Sổ cấp giấy chứng nhận – {title}")
