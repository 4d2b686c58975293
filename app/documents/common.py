"""What every printed document shares: fonts, styles, the national heading, "Trang x/y"."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from app.documents import fonts
from app.documents.fonts import text
from app.documents.long_table import SpanningLongTable
from app.signing.spot import Spot

SERIF, SANS = fonts.SERIF, fonts.SANS
# The country's name and motto as Decree 30/2020 (Appendix I) writes them: hyphens, spaced.
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
MARGIN = 15 * mm
# ReportLab starts every page in its initial font, Helvetica unless told: named in each
# page's resources but never embedded (and never drawn with, as every text sets its own).
# A bundled TrueType face as the initial font puts nothing on the page until text is drawn.
INITIAL_FONT: dict[str, Any] = {"initialFontName": SERIF, "initialFontSize": 11}
# Likewise a table sets its cells' font (Helvetica unless styled) before drawing each cell,
# paragraphs and blank cells too: every TableStyle starts with this command.
TABLE_FONT = ("FONTNAME", (0, 0), (-1, -1), SERIF)


@dataclass(frozen=True)
class Heading:
    """Who issues the document, as they were named the day it is printed."""

    parent_body: str  # "UBND TỈNH VĨNH LONG"
    body: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    place: str  # "Vĩnh Long", for "Vĩnh Long, ngày … tháng … năm …"


def styles(size: float = 11) -> dict[str, ParagraphStyle]:
    fonts.register()
    base = ParagraphStyle("base", fontName=SERIF, fontSize=size, leading=size * 1.25)
    return {
        "base": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=size - 1.5, leading=(size - 1.5) * 1.2
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=size - 1, leading=(size - 1) * 1.2),
        "cell_center": ParagraphStyle(
            "cell_center",
            parent=base,
            fontSize=size - 1,
            leading=(size - 1) * 1.2,
            alignment=TA_CENTER,
        ),
        "head_cell": ParagraphStyle(
            "head_cell",
            parent=base,
            fontName=SERIF + "-Bold",
            fontSize=size - 1,
            leading=(size - 1) * 1.2,
            alignment=TA_CENTER,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=SERIF + "-Bold",
            fontSize=size + 4,
            leading=(size + 4) * 1.3,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=2,
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "center_bold": ParagraphStyle(
            "center_bold", parent=base, fontName=SERIF + "-Bold", alignment=TA_CENTER
        ),
        "center_italic": ParagraphStyle(
            "center_italic", parent=base, fontName=SERIF + "-Italic", alignment=TA_CENTER
        ),
        "left": ParagraphStyle("left", parent=base, alignment=TA_LEFT),
        "left_bold": ParagraphStyle("left_bold", parent=base, fontName=SERIF + "-Bold"),
        "small_italic": ParagraphStyle(
            "small_italic",
            parent=base,
            fontName=SERIF + "-Italic",
            fontSize=size - 1.5,
            leading=(size - 1.5) * 1.2,
        ),
    }


def p(value: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of NFC text with the XML specials escaped."""
    escaped = text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(escaped, style)


def widest(values: Iterable[Any], style: ParagraphStyle) -> float:
    """The width of the widest value on one line in this style's font (0 for none)."""
    return max((stringWidth(text(v), style.fontName, style.fontSize) for v in values), default=0.0)


def national_heading(h: Heading, width: float, st: dict[str, ParagraphStyle]) -> Table:
    """The issuing body on the left, the country's motto on the right, as official papers are."""
    left = [
        p(h.parent_body.upper(), st["center"]),
        p(h.body.upper(), st["center_bold"]),
        p("———", st["center"]),
    ]
    right = [
        p(MOTTO[0], st["center_bold"]),
        p(MOTTO[1], st["center_bold"]),
        p("———————", st["center"]),
    ]
    table = Table([[left, right]], colWidths=[width * 0.42, width * 0.58])
    table.setStyle(
        TableStyle(
            [
                TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def place_and_date(h: Heading, day: date | None) -> str:
    return date_line(h.place, day)


def date_line(place: str, day: date | None) -> str:
    """ "Vĩnh Long, ngày 28 tháng 11 năm 2026"; without a place, "Ngày 28 tháng 11 năm 2026".
    As Decree 30/2020 writes it: days below 10 and the months January and February with a
    leading zero ("ngày 05 tháng 02", "ngày 09 tháng 3"), other months without."""
    if day is None:
        when = "ngày …… tháng …… năm ……"
    else:
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        when = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place.strip()}, {when}" if place.strip() else when[0].upper() + when[1:]


SIGN_ROOM = 25 * mm  # between "(Ký, ghi rõ họ tên)" and the signer's name


def title_block(title: str, style: ParagraphStyle) -> Paragraph:
    """A signer's title in capitals, line for line as the certificate prints it:
    "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC"."""
    lines = [x.strip().upper() for x in text(title).split("\n") if x.strip()]
    escaped = [x.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for x in lines]
    return Paragraph("<br/>".join(escaped), style)


def signatures(blocks: list[tuple[str, str]], width: float, st: dict[str, ParagraphStyle]) -> Table:
    """Side-by-side signature blocks: (title, name) each, room to sign between."""
    cells = [
        [title_block(title, st["center_bold"]) for title, _ in blocks],
        [p("(Ký, ghi rõ họ tên)", st["center_italic"]) for _ in blocks],
        ["" for _ in blocks],
        [p(name, st["center_bold"]) for _, name in blocks],
    ]  # fmt: skip
    table = Table(
        cells,
        colWidths=[width / len(blocks)] * len(blocks),
        rowHeights=[None, None, SIGN_ROOM, None],
    )
    table.setStyle(TableStyle([TABLE_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


class SignSpot(Flowable):
    """The room left for the signature and the seal: blank on the paper; when drawn it
    notes where it is (page, box in points) in `spots`, which is where a visible digital
    signature goes (the last noted: the closing is on the last page)."""

    def __init__(self, height: float, spots: list[Spot] | None = None) -> None:
        super().__init__()
        self.width, self.height = 0.0, height
        self.spots = spots

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width  # the signer's column, all of it
        return self.width, self.height

    def draw(self) -> None:
        if self.spots is None:
            return
        x, y = self.canv.absolutePosition(0, 0)
        page = self.canv.getPageNumber() - 1
        self.spots.append(Spot(page, (x, y, x + self.width, y + self.height)))


def closing(
    rows: list[list[Any]],
    style: list[Any],
    end: list[Any],
    keep: int = 2,
    table_class: type[SpanningLongTable] = SpanningLongTable,
    **kw: Any,
) -> SpanningLongTable:
    """A table of rows that ends with `end` (the date line and the signers) as one last
    row across it, never split from the table's last `keep` rows: a signer's block is
    never alone on a page. The style's commands reaching the last row stop above it."""
    width = len(rows[0])
    cmds = []
    for cmd in style:
        (c0, r0), (c1, r1) = cmd[1], cmd[2]
        cmds.append((cmd[0], (c0, r0), (c1, -2 if r1 == -1 else r1), *cmd[3:]))
    last = len(rows)
    cmds += [
        TABLE_FONT,  # the closing row's too: no Helvetica named on the page
        ("SPAN", (0, last), (-1, last)),
        ("LEFTPADDING", (0, last), (-1, last), 0),
        ("RIGHTPADDING", (0, last), (-1, last), 0),
        ("TOPPADDING", (0, last), (-1, last), 0),
        ("NOSPLIT", (0, max(1, last - keep)), (-1, last)),
    ]
    table = table_class([*rows, [end, *[""] * (width - 1)]], **kw)
    table.setStyle(TableStyle(cmds))
    return table


GRID = [
    TABLE_FONT,
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
]


def new_canvas(out: BinaryIO, pagesize: tuple[float, float]) -> canvas.Canvas:
    """A reproducible canvas whose initial font is the bundled serif (see INITIAL_FONT)."""
    fonts.register()
    return canvas.Canvas(out, pagesize=pagesize, invariant=1, **INITIAL_FONT)


PageExtra = Callable[[canvas.Canvas, int, int], None]  # (canvas, page, pages): drawn last


class NumberedCanvas(canvas.Canvas):
    """Draws "Trang x/y" once the number of pages is known (two passes over the pages)."""

    def __init__(self, *args: Any, extra: PageExtra | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._extra = extra

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(SERIF, 9)
            self.drawCentredString(
                self._pagesize[0] / 2, 8 * mm, f"Trang {self._pageNumber}/{total}"
            )
            if self._extra is not None:
                self._extra(self, self._pageNumber, total)
            super().showPage()
        super().save()


def build(
    out: BinaryIO,
    story: list[Any],
    pagesize: tuple[float, float],
    title: str,
    author: str = "TapHuan",
    extra: PageExtra | None = None,
) -> int:
    """Lay the story out on pages with margins and page numbers; returns the page count.
    extra draws more on each page once the page count is known."""
    fonts.register()
    doc = SimpleDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=12 * mm,
        bottomMargin=15 * mm,
        title=text(title),
        author=author,
        creator="TapHuan",
        invariant=1,
        **INITIAL_FONT,
    )
    doc.build(story, canvasmaker=partial(NumberedCanvas, extra=extra))
    return doc.page
