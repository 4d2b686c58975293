"""The parts of an administrative document laid out to Decree 30/2020/NĐ-CP, Appendix I.

A4 with margins of 20 mm top and bottom, 30 mm left, 15 mm right; the national heading
in two columns (the issuing body and the document's number on the left, the motto and
the place and date on the right), Times-metric serif, the page number at the top centre
from the second page, and at the end "Nơi nhận:" at the left beside the signer's block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    LongTable,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import FrameBreak

from app.documents import fonts
from app.documents.common import MOTTO, Heading, SignSpot, date_line, p
from app.documents.fonts import text
from app.documents.long_table import SpanningLongTable
from app.signing.spot import Spot

SERIF = fonts.SERIF
LEFT_MARGIN, RIGHT_MARGIN, TOP_MARGIN, BOTTOM_MARGIN = 30 * mm, 15 * mm, 20 * mm, 20 * mm
WIDTH = A4[0] - LEFT_MARGIN - RIGHT_MARGIN
SIGNING_ROOM = 32 * mm  # the decree's practice: at least 3 cm for the signature and the seal
HAND_FILLED = "……"
# Cells hold paragraphs; a table still sets its cells' font, Helvetica unless told.
CELL_FONT = ("FONT", (0, 0), (-1, -1), SERIF)


@dataclass(frozen=True)
class Signing:
    """Who signs and who receives: the end of the document."""

    title: str  # one or two lines: "GIÁM ĐỐC", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    name: str
    recipients: str  # one a line: "- UBND tỉnh (b/c);\n- Lưu: VT."


def styles(size: float = 13) -> dict[str, ParagraphStyle]:
    """Body at `size` (13–14 pt in the decree), headings at 12–13, tables a point smaller."""
    fonts.register()
    base = ParagraphStyle("o_base", fontName=SERIF, fontSize=size, leading=size * 1.2)
    small = size - 1

    def style(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle("o_" + name, parent=base, **kw)

    bold, italic = SERIF + "-Bold", SERIF + "-Italic"
    return {
        "body": style("body", alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=6),
        "heading": style("heading", fontName=bold, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "title": style(
            "title",
            fontName=bold,
            fontSize=size + 1,
            leading=(size + 1) * 1.25,
            alignment=TA_CENTER,
        ),
        "center_italic": style("center_italic", fontName=italic, alignment=TA_CENTER),
        "note": style("note", fontName=italic, fontSize=small - 1, leading=(small - 1) * 1.2),
        "head_left": style("head_left", fontSize=small, leading=small * 1.2, alignment=TA_CENTER),
        "head_bold": style(
            "head_bold", fontName=bold, fontSize=small, leading=small * 1.2, alignment=TA_CENTER
        ),
        "motto": style("motto", fontName=bold, alignment=TA_CENTER),
        "number": style("number", alignment=TA_CENTER),
        "dated": style("dated", fontName=italic, alignment=TA_CENTER),
        "signer": style("signer", fontName=bold, alignment=TA_CENTER),
        "recipients_head": style(
            "recipients_head", fontName=SERIF + "-BoldItalic", fontSize=12, leading=14
        ),
        "recipients": style("recipients", fontSize=11, leading=12.5),
        "cell": style("cell", fontSize=small, leading=small * 1.2),
        "cell_center": style(
            "cell_center", fontSize=small, leading=small * 1.2, alignment=TA_CENTER
        ),
        "head_cell": style(
            "head_cell", fontName=bold, fontSize=small, leading=small * 1.2, alignment=TA_CENTER
        ),
    }


def number_line(setting: str) -> str:
    """ "Số: 125/BC-SKHCN"; a symbol without its number ("/BC-SKHCN", "…/BC-SKHCN",
    "BC-SKHCN") leaves dots to fill in by hand when the report is registered."""
    value = text(setting).strip().removeprefix("Số:").strip()
    number, slash, symbol = value.partition("/")
    if not slash:
        number, symbol = "", value
    number = number.strip().strip(".…").strip()
    return f"Số: {number or HAND_FILLED}/{symbol.strip()}" if symbol.strip() else f"Số: {number}"


def dated(place: str, day: date | None, year: int | None = None) -> str:
    """ "Vĩnh Long, ngày 05 tháng 02 năm 2026": the decree writes days below 10 and the
    months January and February with a leading zero, other months without."""
    if day is not None:
        return date_line(place, day)
    when = f"ngày {HAND_FILLED} tháng {HAND_FILLED} năm {year or HAND_FILLED}"
    return f"{place.strip()}, {when}" if place.strip() else when[0].upper() + when[1:]


def _rule(width: float) -> HRFlowable:
    return HRFlowable(
        width=width,
        thickness=0.6,
        color=colors.black,
        spaceBefore=3.5,
        spaceAfter=4,
        hAlign="CENTER",
    )


def heading(h: Heading, number: str, date_text: str, st: dict[str, ParagraphStyle]) -> Table:
    """Issuing body and number at the left, the motto and the place and date at the right."""
    body = text(h.body).upper()
    bold = st["head_bold"]
    left_width, right_width = WIDTH * 0.42, WIDTH * 0.58
    body_width = min(stringWidth(body, bold.fontName, bold.fontSize), left_width)
    motto_width = stringWidth(MOTTO[1], st["motto"].fontName, st["motto"].fontSize)
    left = [
        p(text(h.parent_body).upper(), st["head_left"]),
        p(body, bold),
        _rule(body_width / 3),
        p(number, st["number"]),
    ]
    right = [
        p(MOTTO[0], bold),
        p(MOTTO[1], st["motto"]),
        _rule(motto_width),
        p(date_text, st["dated"]),
    ]
    table = Table([[left, right]], colWidths=[left_width, right_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),  # the rules under the names
                CELL_FONT,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def title(lines: list[str], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The kind of document and what it is about, centred, a short rule beneath."""
    return [Spacer(1, 6 * mm), *(p(line, st["title"]) for line in lines), _rule(WIDTH / 5)]


def grid_table(
    rows: list[list[Any]], widths: list[float], st: dict[str, ParagraphStyle], numeric_from: int
) -> SpanningLongTable:
    """A ruled table whose head row repeats on every page; a split leaves at least two rows
    on each side (the decree's practice: no row alone on a page)."""
    cells = [[p(h, st["head_cell"]) for h in rows[0]]]
    for row in rows[1:]:
        cells.append(
            [
                p(v, st["cell_center"] if i == 0 or i >= numeric_from else st["cell"])
                for i, v in enumerate(row)
            ]
        )
    table = SpanningLongTable(cells, colWidths=widths, repeatRows=1)  # rows measured once
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                CELL_FONT,
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("NOSPLIT", (0, 0), (-1, min(2, len(cells) - 1))),  # head and two rows
                ("NOSPLIT", (0, max(len(cells) - 2, 0)), (-1, -1)),  # the last two rows
            ]
        )
    )
    return table


class HeadedTable(KeepTogether):
    """A heading and its table: starts on this page only if the heading, the table's head
    and its first two rows fit; a long table then flows on, never a heading alone at a
    page foot. (ReportLab's keepWithNext would move every table taller than the space
    left to the next page, leaving half pages blank.)"""

    def __init__(self, head: list[Flowable], table: LongTable) -> None:
        super().__init__([*head, table])
        self.head, self.table = head, table

    def split(self, aW: float, aH: float) -> list[Flowable]:
        need = sum(f.wrap(aW, aH)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in self.head)
        self.table.wrap(aW, aH)
        need += sum(self.table._rowHeights[:3]) + self.table.getSpaceBefore()
        frame = getattr(self, "_frame", None)
        at_top = bool(frame and getattr(frame, "_atTop", False))
        content: list[Flowable] = [*self.head, self.table]
        return content if need <= aH or at_top else [FrameBreak(), *content]


def ending(
    last: list[Flowable],
    signing: Signing,
    st: dict[str, ParagraphStyle],
    spots: list[Spot] | None = None,
) -> KeepTogether:
    """The last paragraph, then "Nơi nhận:" at the left beside the signer's block: kept on
    one page, so a signature never stands on a page of its own. spots: where the room to
    sign was put is noted there (for a visible digital signature)."""
    recipients: list[Flowable] = [p("Nơi nhận:", st["recipients_head"])]
    recipients += [
        p(line, st["recipients"]) for line in text(signing.recipients).splitlines() if line.strip()
    ]
    signer: list[Flowable] = [
        p(line, st["signer"]) for line in text(signing.title).upper().splitlines() if line.strip()
    ]
    signer += [SignSpot(SIGNING_ROOM, spots), p(signing.name, st["signer"])]
    table = Table([[recipients, signer]], colWidths=[WIDTH * 0.45, WIDTH * 0.55])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                CELL_FONT,
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([*last, Spacer(1, 4 * mm), table])


def _page_number(canv: Canvas, doc: BaseDocTemplate) -> None:
    """From the second page: the number alone, centred over the text in the top margin
    (the first page has none)."""
    canv.saveState()
    canv.setFont(SERIF, 13)
    canv.drawCentredString(LEFT_MARGIN + WIDTH / 2, A4[1] - 12 * mm, str(doc.page))
    canv.restoreState()


def build(out: BinaryIO, story: list[Flowable], title_text: str) -> int:
    """Lay the story out on A4 to the decree; returns the page count."""
    fonts.register()
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=text(title_text),
        author="TapHuan",
        creator="TapHuan",
        invariant=1,
        # An initial font of ours: ReportLab's default references an unused Helvetica.
        initialFontName=SERIF,
        initialFontSize=13,
    )

    def frame() -> Frame:  # no padding: the margins are the decree's, to the point
        return Frame(
            LEFT_MARGIN,
            BOTTOM_MARGIN,
            WIDTH,
            A4[1] - TOP_MARGIN - BOTTOM_MARGIN,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )

    doc.addPageTemplates(
        [
            PageTemplate("first", [frame()], autoNextPageTemplate="later"),
            PageTemplate("later", [frame()], onPage=_page_number),
        ]
    )
    doc.build(story)
    return doc.page
