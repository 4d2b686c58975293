"""What a sign-in sheet carries to be read back from a scan or a phone photo: four corner
marks and a small page QR, and the geometry of its rows as printed.

Everything here is in PDF points on the page, origin at the bottom-left: the reader
(app/scan) maps these points onto the image through the corner marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents.long_table import SpanningLongTable
from app.documents.qr import QUIET, draw_qr, modules

MARK = 5 * mm  # a corner mark's side: a filled square
MARK_INSET = 6 * mm  # from the page's edges to the mark's outer edges
QR_SIZE = 11 * mm  # the page QR's symbol (its quiet zone is the white margin around it)
QR_RIGHT = 14 * mm  # from the page's right edge to the QR's right side
QR_BOTTOM = 3.5 * mm  # from the page's bottom edge to the QR's bottom side

# The page QR: "TH:<sheet code>:<page>", upper-case letters, digits and ':' only, so
# zxing-cpp encodes it in alphanumeric mode: a version-1 code (21 modules) at 11 mm.
PAGE_QR = re.compile(r"^TH:([0-9A-Z]{6,10}):([1-9][0-9]{0,3})$")


def page_qr_text(sheet_code: str, page: int) -> str:
    return f"TH:{sheet_code}:{page}"


def parse_page_qr(text: str) -> tuple[str, int] | None:
    """(sheet code, page) of a page QR's text, or None when it is not one of ours."""
    m = PAGE_QR.match(text.strip())
    return (m.group(1), int(m.group(2))) if m else None


def mark_centres(page_w: float, page_h: float) -> list[tuple[float, float]]:
    """The centres of the four corner marks: top-left, top-right, bottom-right,
    bottom-left (the order the reader matches them in)."""
    c = MARK_INSET + MARK / 2
    return [(c, page_h - c), (page_w - c, page_h - c), (page_w - c, c), (c, c)]


def qr_box(page_w: float) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the page QR's symbol, quiet zone excluded."""
    x1 = page_w - QR_RIGHT
    return x1 - QR_SIZE, QR_BOTTOM, x1, QR_BOTTOM + QR_SIZE


def draw_page_marks(c: Canvas, page_w: float, page_h: float, qr_text: str) -> None:
    """The four corner marks and the page QR, on the page being drawn."""
    c.saveState()
    c.setFillColorRGB(0, 0, 0)
    for x, y in mark_centres(page_w, page_h):
        c.rect(x - MARK / 2, y - MARK / 2, MARK, MARK, stroke=0, fill=1)
    x0, y0, _x1, _y1 = qr_box(page_w)
    n = len(modules(qr_text))
    quiet = QUIET * QR_SIZE / n  # draw_qr puts QUIET modules of white inside its square
    draw_qr(c, qr_text, x0 - quiet, y0 - quiet, QR_SIZE + 2 * quiet)
    c.restoreState()


@dataclass(frozen=True)
class PrintedRow:
    """One row of the sign-in table as printed: its STT, page and vertical extent."""

    row_no: int
    page: int
    y_top: float
    y_bottom: float


@dataclass
class SheetLayout:
    """Where the sheet's rows and columns were printed: what the reader needs to find
    each "Ký tên" cell (and the "Họ và tên" cell of a blank row) on a scanned page."""

    page_w: float
    page_h: float
    sign_x: tuple[float, float] = (0.0, 0.0)  # the "Ký tên" column
    name_x: tuple[float, float] = (0.0, 0.0)  # the "Họ và tên" column
    pages: int = 0
    rows: list[PrintedRow] = field(default_factory=list)

    def on_page(self, page: int) -> list[PrintedRow]:
        return [r for r in self.rows if r.page == page]


def recording_table(layout: SheetLayout, sign_col: int, name_col: int) -> type[SpanningLongTable]:
    """A table class that writes into layout where each of its numbered rows is drawn (the
    pieces a page break splits it into are of the same class: they write too)."""

    class Recorded(SpanningLongTable):
        def draw(self) -> None:
            super().draw()
            canv = self.canv
            ox, oy = canv._currentMatrix[4], canv._currentMatrix[5]  # translation only
            cols, rows = self._colpositions, self._rowpositions
            layout.sign_x = (ox + cols[sign_col], ox + cols[sign_col + 1])
            layout.name_x = (ox + cols[name_col], ox + cols[name_col + 1])
            page = canv.getPageNumber()
            layout.pages = max(layout.pages, page)
            for r, cells in enumerate(self._cellvalues):
                first = cells[0]
                if isinstance(first, (list, tuple)):  # a cell of flowables: ReportLab keeps a tuple
                    first = first[0] if first else ""
                number = first.getPlainText().strip() if hasattr(first, "getPlainText") else ""
                if number.isdigit():
                    layout.rows.append(
                        PrintedRow(int(number), page, oy + rows[r], oy + rows[r + 1])
                    )

    return Recorded
