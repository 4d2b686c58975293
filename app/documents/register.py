"""Sổ cấp giấy chứng nhận: serial, name, birth date, course, date, a column to sign for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
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


@dataclass(frozen=True)
class RegisterLine:
    serial: str
    full_name: str
    birth: str
    course: str
    issued_on: date
    note: str  # "Đã thu hồi: …", "Thay số …", "Cấp lại bằng số …"


def render_register(
    heading: Heading,
    title: str,
    lines: list[RegisterLine],
    signer: str,
    out: BinaryIO,
    printed_on: date | None = None,
) -> int:
    st = styles(10)
    size = landscape(A4)
    width = size[0] - 2 * MARGIN
    story = [
        national_heading(heading, width, st),
        Spacer(1, 3 * mm),
        p("SỔ CẤP GIẤY CHỨNG NHẬN", st["title"]),
        p(title, st["center_bold"]),
        Spacer(1, 3 * mm),
    ]
    headers = [
        "STT",
        "Số hiệu",
        "Họ và tên",
        "Ngày sinh",
        "Khóa học",
        "Ngày cấp",
        "Ghi chú",
        "Người nhận ký",
    ]
    cell = st["cell"]
    longest = max((stringWidth(x.serial, cell.fontName, cell.fontSize) for x in lines), default=0)
    serial = max(32 * mm, longest + 12 + 2)  # a serial on one line: the cell pads 6 pt a side
    widths = [10 * mm, serial, 48 * mm, 22 * mm, 0, 22 * mm, 36 * mm, 32 * mm]
    widths[4] = width - sum(widths)  # the course takes what is left
    rows = [[p(h, st["head_cell"]) for h in headers]]
    for i, x in enumerate(lines, start=1):
        rows.append(
            [
                p(i, st["cell_center"]),
                p(x.serial, st["cell"]),
                p(x.full_name, st["cell"]),
                p(x.birth, st["cell_center"]),
                p(x.course, st["cell"]),
                p(f"{x.issued_on:%d/%m/%Y}", st["cell_center"]),
                p(x.note, st["cell"]),
                "",
            ]
        )
    grid = LongTable(rows, colWidths=widths, repeatRows=1)
    grid.setStyle(
        TableStyle(
            [*GRID, ("TOPPADDING", (0, 1), (-1, -1), 5), ("BOTTOMPADDING", (0, 1), (-1, -1), 5)]
        )
    )
    story += [
        grid,
        Spacer(1, 5 * mm),
        p(place_and_date(heading, printed_on), st["center_italic"]),
        signatures([("NGƯỜI LẬP SỔ", ""), (signer.upper(), "")], width, st),
    ]
    return build(out, story, size, f"Sổ cấp giấy chứng nhận – {title}")
