"""Badge cards with name, unit and check-in QR: 8 per A4 page with cut marks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from app.documents import fonts
from app.documents.common import new_canvas
from app.documents.fonts import text
from app.documents.qr import draw_qr

CARD_W, CARD_H = 90 * mm, 62 * mm
COLS, ROWS = 2, 4
MARK = 4 * mm


@dataclass(frozen=True)
class Badge:
    full_name: str
    unit: str
    checkin_code: str


@dataclass(frozen=True)
class BadgeSheet:
    title: str  # the course, printed at the top of each card
    organiser: str
    badges: list[Badge]


def _fit(c: canvas.Canvas, value: str, font: str, size: float, width: float) -> float:
    """The largest size up to `size` at which the text fits the width (not below 5 pt)."""
    while size > 5 and c.stringWidth(value, font, size) > width:
        size -= 0.5
    return size


def render_badges(data: BadgeSheet, out: BinaryIO) -> int:
    """Returns the page count."""
    serif, sans = fonts.register()
    c = new_canvas(out, A4)
    c.setTitle(text(f"Thẻ học viên – {data.title}"))
    left = (A4[0] - COLS * CARD_W) / 2
    top = A4[1] - (A4[1] - ROWS * CARD_H) / 2
    pages = 0
    for start in range(0, max(len(data.badges), 1), COLS * ROWS):
        pages += 1
        for k, badge in enumerate(data.badges[start : start + COLS * ROWS]):
            x = left + (k % COLS) * CARD_W
            y = top - (k // COLS + 1) * CARD_H
            c.setLineWidth(0.3)
            c.setDash(2, 2)
            c.rect(x, y, CARD_W, CARD_H)
            c.setDash()
            for cx, cy in ((x, y), (x + CARD_W, y), (x, y + CARD_H), (x + CARD_W, y + CARD_H)):
                c.line(cx - MARK, cy, cx + MARK, cy)  # cut marks at every corner
                c.line(cx, cy - MARK, cx, cy + MARK)
            inner = CARD_W - 12 * mm
            organiser, title = text(data.organiser.upper()), text(data.title)
            c.setFont(sans, _fit(c, organiser, sans, 7.5, inner))
            c.drawCentredString(x + CARD_W / 2, y + CARD_H - 8 * mm, organiser)
            c.setFont(sans + "-Bold", _fit(c, title, sans + "-Bold", 8.5, inner))
            c.drawCentredString(x + CARD_W / 2, y + CARD_H - 12.5 * mm, title)
            name = text(badge.full_name.upper())
            size = _fit(c, name, serif + "-Bold", 15, inner - 24 * mm)
            c.setFont(serif + "-Bold", size)
            c.drawString(x + 6 * mm, y + CARD_H - 26 * mm, name)
            unit = text(badge.unit)
            c.setFont(serif, _fit(c, unit, serif, 10, inner - 24 * mm))
            c.drawString(x + 6 * mm, y + CARD_H - 33 * mm, unit)
            draw_qr(c, badge.checkin_code, x + CARD_W - 30 * mm, y + 6 * mm, 24 * mm)
            c.setFont(sans, 9)
            c.drawString(x + 6 * mm, y + 8 * mm, f"Mã điểm danh: {badge.checkin_code}")
        c.showPage()
    c.save()
    return pages
