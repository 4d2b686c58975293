"""The sign-in sheet for one session (A4 portrait) and the course's attendance summary
(A4 landscape). Pure ReportLab: plain data in, PDF bytes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app import labels
from app.documents.common import (
    GRID,
    MARGIN,
    TABLE_FONT,
    Heading,
    build,
    closing,
    national_heading,
    p,
    place_and_date,
    signatures,
    styles,
    widest,
)
from app.documents.long_table import SpanningLongTable
from app.documents.qr import QrFlowable
from app.documents.sheet_marks import SheetLayout, draw_page_marks, page_qr_text, recording_table

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
    starts_at: datetime  # the sheet is dated with the session's day, not the printing's
    ends_at: datetime
    venue: str
    trainers: str  # "Lê Văn An, Trần Thị Bình", said under the title
    organiser: str  # the course's organiser: the training unit that signs beside the trainers
    rows: list[SignInRow]
    blank_rows: int = 5
    show_qr: bool = False
    show_phones: bool = False  # a sheet passed round a room shows no phone unless asked
    trainer_names: tuple[str, ...] = ()  # each signs, the name printed under the space
    sheet_code: str | None = None  # set: corner marks and a page QR, to be read back (app/scan)


NAME_MIN = 38 * mm  # "Họ và tên" and a short name, beside a QR column (42 mm without)
WORKPLACE_MIN = 25 * mm  # a longer name wraps rather than squeeze the unit's column more
SIGN_ROOM = 22 * mm  # between "(Ký, ghi rõ họ tên)" and the name
QR_SIZE = 13 * mm  # a phone at the door reads it from arm's length
QR_PADDING = 1.5  # points between a QR's square and its cell's rules, above and below


def _sheet_columns(data: SignInSheet, width: float, name_width: float) -> list[tuple[str, float]]:
    """(heading, width) of each column; the unit's column takes what the others leave."""
    columns = [("STT", 9 * mm), ("Họ và tên", name_width), ("Năm sinh", 13 * mm)]
    columns += [("Đơn vị công tác", 0.0), ("Chức vụ", (22 if data.show_phones else 25) * mm)]
    if data.show_phones:
        columns.append(("Số điện thoại", 24 * mm))
    # Room to sign: about 3 cm beside a QR column, a little more without.
    columns.append(("Ký tên", (30 if data.show_qr else 34) * mm))
    if data.show_qr:
        columns.append(("Mã", 15 * mm))
    rest = width - sum(w for _, w in columns)
    return [(h, rest if h == "Đơn vị công tác" else w) for h, w in columns]


def _signers(data: SignInSheet, width: float, st: dict[str, ParagraphStyle]) -> list[Table]:
    """The trainers of the session and the training unit, each with room to sign and the
    name under it (blank to be written by hand when the sheet does not know it): the unit
    at the right of the first row under the place and date, three blocks a row at most."""
    trainers = [("GIẢNG VIÊN", "", name) for name in data.trainer_names] or [("GIẢNG VIÊN", "", "")]
    unit = ("ĐẠI DIỆN ĐƠN VỊ TỔ CHỨC", data.organiser, "")
    rows = [[*trainers[:2], unit]] + [trainers[i : i + 3] for i in range(2, len(trainers), 3)]
    dated = p(place_and_date(data.heading, data.starts_at.date()), st["center_italic"])
    tables = []
    for n, blocks in enumerate(rows):
        cells = [
            [p(title, st["center_bold"]) for title, _, _ in blocks],
            [p(body, st["center"]) for _, body, _ in blocks],
            [p("(Ký, ghi rõ họ tên)", st["center_italic"]) for _ in blocks],
            ["" for _ in blocks],
            [p(name, st["center_bold"]) for _, _, name in blocks],
        ]
        heights: list[float | None] = [None, None, None, SIGN_ROOM, None]
        if n == 0:  # the date above the unit's block, as official papers have it
            cells.insert(0, [""] * (len(blocks) - 1) + [dated])
            heights.insert(0, None)
        # Three columns, the unit's the widest (its name, and the date on one line); two
        # blocks share the width; later rows of trainers keep the columns of the first.
        widths = [width * 0.5] * 2 if len(rows[0]) == 2 else [width * 0.3] * 2 + [width * 0.4]
        table = Table(cells, colWidths=widths[: len(blocks)], rowHeights=heights)
        table.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        table.hAlign = "LEFT"
        tables.append(table)
    return tables


def render_sign_in_sheet(
    data: SignInSheet, out: BinaryIO, layout: SheetLayout | None = None
) -> int:
    """DANH SÁCH HỌC VIÊN KÝ TÊN; the header row on every page; blank rows for walk-ins.
    With a sheet code, every page carries the corner marks and its page QR, and layout
    (when given) receives where each numbered row and the signing column were drawn."""
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
    least = NAME_MIN if data.show_qr else NAME_MIN + 4 * mm
    padding = 6 + 2  # the cell's left and right padding, and a little slack
    name_width = max(least, widest((r.full_name for r in data.rows), st["cell"]) + padding)
    columns = _sheet_columns(data, width, name_width)
    if columns[3][1] < WORKPLACE_MIN:  # a long name gives way to the unit's column
        columns = _sheet_columns(data, width, name_width - (WORKPLACE_MIN - columns[3][1]))
    headers = [h for h, _ in columns]
    table = [[p(h, st["head_cell"]) for h in headers]]
    for i, r in enumerate(data.rows, start=1):
        row = [
            p(i, st["cell_center"]),
            p(r.full_name, st["cell"]),
            p(r.birth_year, st["cell_center"]),
            p(r.workplace, st["cell"]),
            p(r.position, st["cell"]),
        ]
        if data.show_phones:
            row.append(p(r.phone, st["cell_center"]))
        row.append("")
        if data.show_qr:
            row.append(QrFlowable(r.checkin_code, QR_SIZE) if r.checkin_code else "")
        table.append(row)
    for i in range(len(data.rows) + 1, len(data.rows) + data.blank_rows + 1):
        table.append([p(i, st["cell_center"])] + [""] * (len(headers) - 1))
    # Room to sign: taller rows than the text needs. A QR sets its own height, 13 mm: room
    # enough to sign beside it, so its cell keeps only a thin margin from the rules (its
    # own quiet zone is inside the 13 mm); the rows are no taller than the code needs.
    rows_style = [
        *GRID,
        ("TOPPADDING", (0, 1), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
    ]
    if data.show_qr:
        rows_style += [
            ("TOPPADDING", (-1, 1), (-1, -1), QR_PADDING),
            ("BOTTOMPADDING", (-1, 1), (-1, -1), QR_PADDING),
        ]
    end: list[Flowable] = [Spacer(1, 6 * mm)]
    for signers in _signers(data, width, st):
        end += [signers, Spacer(1, 4 * mm)]
    kind = SpanningLongTable
    if layout is not None:
        kind = recording_table(layout, headers.index("Ký tên"), headers.index("Họ và tên"))
    story.append(
        closing(
            table,
            rows_style,
            end,
            table_class=kind,
            colWidths=[w for _, w in columns],
            repeatRows=1,
        )
    )
    code = data.sheet_code
    marks = None
    if code is not None:

        def marks(c: Canvas, page: int, _pages: int) -> None:
            draw_page_marks(c, A4[0], A4[1], page_qr_text(code, page))

    title = f"Danh sách ký tên {data.course_code} {data.session_label}"
    return build(out, story, A4, title, extra=marks)


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
    signer_name: str = ""  # printed under the organiser's block, as the register does
    unmarked: tuple[int, ...] = ()  # sessions held (0-based) where nobody is marked yet


RESULTS = {"completed": "Hoàn thành", "not_completed": "Chưa hoàn thành",
           "in_progress": "Đang học", None: ""}  # fmt: skip


def _pct(value: float | None) -> str:
    """One decimal, so that 79,6% is never printed as the 80% a rule asks for."""
    return "" if value is None else f"{labels.decimal(value)}%"


def _both_shares(data: AttendanceSummary) -> bool:
    """Whether the share of sessions held and the share of sessions planned differ for
    anyone (they do not once every planned session is held)."""
    if not data.held:  # no session taken yet: nothing to share "of those held"
        return False
    return any(_pct(r.pct_held) != _pct(r.pct_planned) for r in data.rows)


def _summary_tail(data: AttendanceSummary, two: bool) -> list[tuple[str, float]]:
    """The columns after the sessions: the two percentages only when they differ (sessions
    attended of those held, of those planned), one column said to be both otherwise."""
    planned = len(data.session_days)
    columns = [("Số buổi có mặt", 14 * mm)]
    if two:
        columns += [
            (f"% trên {data.held} buổi đã học", 17 * mm),
            (f"% trên {planned} buổi kế hoạch", 17 * mm),
        ]
    else:
        columns.append((f"% có mặt ({planned} buổi)", 17 * mm))
    columns += [("Điểm đầu vào", 14 * mm), ("Điểm cuối khóa", 14 * mm), ("Kết quả", 24 * mm)]
    return columns


def render_attendance_summary(data: AttendanceSummary, out: BinaryIO) -> int:
    """People by sessions with marks, counts, percentages, scores and result (landscape)."""
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
            f"Điều kiện hoàn thành: {data.rule}. Đã học {data.held + len(data.unmarked)}/{len(data.session_days)} buổi.",
            st["center"],
        ),
        Spacer(1, 3 * mm),
    ]
    n = len(data.session_days)
    two = _both_shares(data)
    tail = _summary_tail(data, two)
    # The name column as wide as the longest name (never cut, never wrapped): the session
    # columns share what is left.
    name = max(35 * mm, widest((r.full_name for r in data.rows), st["cell"]) + 6 + 2)
    room = width - 9 * mm - name - sum(w for _, w in tail)
    col = min(16 * mm, max(7 * mm, room / max(n, 1)))
    name += max(0.0, room - col * n)  # a short course leaves its room to the names
    fixed = [9 * mm, name]
    headers = (
        ["STT", "Họ và tên"]
        + [f"B{i}<br/>{d:%d/%m}" for i, d in enumerate(data.session_days, 1)]
        + [h for h, _ in tail]
    )
    table = [[Paragraph(h, st["head_cell"]) for h in headers]]
    for i, r in enumerate(data.rows, start=1):
        shares = [r.pct_held, r.pct_planned] if two else [r.pct_planned]
        table.append(
            [p(i, st["cell_center"]), p(r.full_name, st["cell"])]
            + [
                p("–" if k in data.unmarked else MARK_SYMBOLS.get(m or "", ""), st["cell_center"])
                for k, m in enumerate(r.marks)
            ]
            + [p(r.attended, st["cell_center"])]
            + [p(_pct(x), st["cell_center"]) for x in shares]
            + [
                p(labels.score_decimal(r.pre_score), st["cell_center"]),
                p(labels.score_decimal(r.post_score), st["cell_center"]),
                p(RESULTS[r.result], st["cell_center"]),
            ]
        )
    legend = "Ký hiệu: x có mặt, M đi muộn, P vắng có phép, V vắng."
    if two:
        legend += (
            f" Tỷ lệ có mặt tính trên {data.held} buổi đã diễn ra và trên cả {n} buổi "
            "theo kế hoạch của khóa."
        )
    elif data.held == n:
        legend += f" Tỷ lệ có mặt tính trên {n} buổi của khóa (số buổi đã học bằng kế hoạch)."
    else:
        legend += f" Tỷ lệ có mặt tính trên {n} buổi theo kế hoạch của khóa."
    if data.unmarked:
        which = ", ".join(f"B{k + 1} ({data.session_days[k]:%d/%m/%Y})" for k in data.unmarked)
        legend += (
            f" Buổi {which} đã diễn ra nhưng chưa điểm danh (–): không tính vào số buổi "
            "có mặt và tỷ lệ có mặt."
        )
    if data.average_improvement is not None:
        legend += (
            " Điểm tăng trung bình (cuối khóa − đầu vào): "
            f"{labels.decimal(data.average_improvement)}."
        )
    end = [
        Spacer(1, 3 * mm),
        p(legend, st["small"]),
        Spacer(1, 4 * mm),
        p(place_and_date(data.heading, data.printed_on), st["center_italic"]),
        signatures([("NGƯỜI LẬP BẢNG", ""), (data.organiser_title, data.signer_name)], width, st),
    ]
    widths = fixed + [col] * n + [w for _, w in tail]
    story.append(closing(table, GRID, end, colWidths=widths, repeatRows=1))
    return build(out, story, size, f"Tổng hợp điểm danh {data.course_code}")
