"""A person's learning record: courses, sessions attended, topics, scores, certificates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, LongTable, Paragraph, Spacer, TableStyle

from app.documents.common import (
    GRID,
    MARGIN,
    TABLE_FONT,
    Heading,
    build,
    national_heading,
    p,
    place_and_date,
    signatures,
    styles,
)


@dataclass(frozen=True)
class TranscriptCourse:
    code: str
    title: str
    start_date: date
    end_date: date
    attended: int
    sessions: int
    pre_score: str
    post_score: str
    result: str


@dataclass(frozen=True)
class Transcript:
    heading: Heading
    full_name: str
    birth: str
    unit: str
    workplace: str
    teams: list[str]
    courses: list[TranscriptCourse]
    topics: list[str]
    certificates: list[str]
    signer_title: str
    printed_on: date | None = None


def render_transcript(data: Transcript, out: BinaryIO) -> int:
    st = styles(11)
    width = A4[0] - 2 * MARGIN
    story = [
        national_heading(data.heading, width, st),
        Spacer(1, 5 * mm),
        p("HỒ SƠ HỌC TẬP", st["title"]),
        p("Kết quả tham gia tập huấn chuyển đổi số", st["center_italic"]),
        Spacer(1, 4 * mm),
    ]
    facts = [
        ("Họ và tên", data.full_name),
        ("Ngày sinh", data.birth),
        ("Đơn vị", data.unit),
        ("Nơi công tác", data.workplace),
        ("Tổ công nghệ số cộng đồng", "; ".join(data.teams)),
    ]
    info = LongTable(
        [[p(k, st["base"]), p(v, st["base"])] for k, v in facts if v],
        colWidths=[55 * mm, width - 55 * mm],
    )
    info.setStyle(
        TableStyle(
            [TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
        )
    )
    story += [info, Spacer(1, 4 * mm), p("1. Các khóa đã tham gia", st["left"])]
    headers = [
        "STT",
        "Khóa học",
        "Thời gian",
        "Có mặt",
        "Điểm đầu vào",
        "Điểm cuối khóa",
        "Kết quả",
    ]
    rows = [[p(h, st["head_cell"]) for h in headers]]
    for i, c in enumerate(data.courses, start=1):
        rows.append(
            [
                p(i, st["cell_center"]),
                p(f"{c.title} ({c.code})", st["cell"]),
                Paragraph(
                    f"{c.start_date:%d/%m/%Y} –<br/>{c.end_date:%d/%m/%Y}", st["cell_center"]
                ),
                p(f"{c.attended}/{c.sessions}", st["cell_center"]),
                p(c.pre_score, st["cell_center"]),
                p(c.post_score, st["cell_center"]),
                p(c.result, st["cell_center"]),
            ]
        )
    if not data.courses:
        rows.append(["", p("Chưa tham gia khóa nào.", st["cell"]), "", "", "", "", ""])
    grid = LongTable(
        rows,
        colWidths=[10 * mm, 62 * mm, 28 * mm, 16 * mm, 20 * mm, 20 * mm, width - 156 * mm],
        repeatRows=1,
    )
    grid.setStyle(TableStyle(GRID))
    story += [
        grid,
        Spacer(1, 4 * mm),
        p("2. Nội dung đã học", st["left"]),
        p(", ".join(data.topics) or "Chưa có.", st["base"]),
        Spacer(1, 3 * mm),
        KeepTogether(  # the signer never alone on a page
            [
                p("3. Giấy chứng nhận đã cấp", st["left"]),
                p("; ".join(data.certificates) or "Chưa có.", st["base"]),
                Spacer(1, 6 * mm),
                p(place_and_date(data.heading, data.printed_on), st["center_italic"]),
                signatures([(data.signer_title, "")], width, st),
            ]
        ),
    ]
    return build(out, story, A4, f"Hồ sơ học tập {data.full_name}")
