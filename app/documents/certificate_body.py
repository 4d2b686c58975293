"""The certificate's body: what it says of the person and the course, under the title.

Template versions 1 and 2 draw the whole body on every page, the QR code as vector runs
(draw_variable: kept byte for byte, so their reprints stay the files issued). Version 3
splits it: what every certificate of a batch prints alike (the "Chứng nhận:" and "Đã hoàn
thành khóa tập huấn:" lines, the course, its period and venue, the result when shared, the
date line, the legal basis, the verification address and validity) is one form XObject
per content and layout (draw_shared, keyed by shared_key), and each page draws only the
person's lines, serial, register number, code and QR code (draw_person), the QR as a
1-bit image mask. Both give the same page, in the same places.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from app.documents import fonts
from app.documents.certificate_data import CertificateData
from app.documents.common import date_line
from app.documents.fonts import text
from app.documents.qr import draw_qr, draw_qr_vector

W, H = landscape(A4)
RED = HexColor("#8b1a1a")
BLUE = HexColor("#123c69")
INK = HexColor("#1a1a1a")
LEGAL_LINES = 3  # the legal basis wraps to this many lines at most…
LEGAL_FLOOR = 9.5  # …its type no smaller: courses.MAX_LEGAL_BASIS (300) fits so
BODY = W - 90 * mm  # the width the body's lines are centred in


def fit(
    c: canvas.Canvas, value: str, font: str, size: float, width: float, smallest: float = 9
) -> float:
    while size > smallest and c.stringWidth(value, font, size) > width:
        size -= 0.5
    return size


def _wrapped(
    lines: list[str], font: str, size: float, most: int, floor: float
) -> tuple[list[str], float]:
    """Lines wrapped across the body, shrunk until at most `most` (or down to floor): the
    first `most` of them and their size."""
    wrapped = [w for line in lines for w in simpleSplit(line, font, size, BODY)]
    while len(wrapped) > most and size > floor:
        size -= 0.5
        wrapped = [w for line in lines for w in simpleSplit(line, font, size, BODY)]
    return wrapped[:most], size


def _centred_lines(
    c: canvas.Canvas,
    lines: list[str],
    font: str,
    size: float,
    y: float,
    most: int = 2,
    floor: float = 9,
) -> float:
    """Lines centred across the body, each wrapped and shrunk to at most `most` lines in
    all; returns the baseline below the last one."""
    wrapped, size = _wrapped(lines, font, size, most, floor)
    c.setFont(font, size)
    for line in wrapped:
        c.drawCentredString(W / 2, y, line)
        y -= size * 0.4 * mm
    return y


def _draw_name(c: canvas.Canvas, d: CertificateData, y: float) -> None:
    """ "Ông/Bà" in the body's face, then the name in capitals, centred together."""
    serif = fonts.SERIF
    lead = f"{text(d.salutation)} " if d.salutation else ""
    lead_size = 15
    name = text(d.full_name.upper())
    lead_w = c.stringWidth(lead, serif + "-Italic", lead_size)
    size = fit(c, name, serif + "-Bold", 26, BODY - lead_w, smallest=12)
    x = W / 2 - (lead_w + c.stringWidth(name, serif + "-Bold", size)) / 2
    if lead:
        c.setFont(serif + "-Italic", lead_size)
        c.drawString(x, y, lead)
    c.setFillColor(RED if d.template == "classic" else BLUE)
    c.setFont(serif + "-Bold", size)
    c.drawString(x + lead_w, y, name)
    c.setFillColor(INK)


def _person_lines(d: CertificateData) -> list[str]:
    lines = []
    if d.birth_date:
        lines.append(f"Ngày sinh: {d.birth_date}")
    if d.unit:
        lines.append(f"Đơn vị: {text(d.unit)}")
    return lines


def _name_and_lines(c: canvas.Canvas, d: CertificateData, y: float) -> float:
    """The person's name at y and the lines under it; where the next line goes."""
    serif = fonts.SERIF
    _draw_name(c, d, y)
    y -= 8 * mm
    for line in _person_lines(d):
        c.setFont(serif, fit(c, line, serif, 13, BODY))
        c.drawCentredString(W / 2, y, line)
        y -= 6.5 * mm
    return y


def _legal(d: CertificateData) -> list[str]:
    return [x.strip() for x in text(d.legal_basis).splitlines() if x.strip()]


def _heading_lines(c: canvas.Canvas, d: CertificateData) -> float:
    """The legal basis (if any) and "Chứng nhận:"; returns that line's baseline."""
    serif = fonts.SERIF
    y = H - 67.5 * mm
    if d.legal_basis.strip():  # italic, under the title, as the department's papers are
        y = _centred_lines(c, _legal(d), serif + "-Italic", 12, y, LEGAL_LINES, LEGAL_FLOOR)
        y -= 1.5 * mm
    else:
        y -= 3.5 * mm
    c.setFont(serif + "-Italic", 13)
    c.drawCentredString(W / 2, y, "Chứng nhận:")
    return y


def _heading_y(d: CertificateData) -> float:
    """Where _heading_lines puts "Chứng nhận:" (lower under a legal basis), not drawing."""
    y = H - 67.5 * mm
    if not d.legal_basis.strip():
        return y - 3.5 * mm
    lines, size = _wrapped(_legal(d), fonts.SERIF + "-Italic", 12, LEGAL_LINES, LEGAL_FLOOR)
    for _line in lines:  # the same steps as drawing them: the same float
        y -= size * 0.4 * mm
    return y - 1.5 * mm


def _course_lines(c: canvas.Canvas, d: CertificateData, y: float) -> None:
    """From "Đã hoàn thành khóa tập huấn:" down to the result, the first at y."""
    serif = fonts.SERIF
    c.setFont(serif, 13)
    c.drawCentredString(W / 2, y, "Đã hoàn thành khóa tập huấn:")
    y -= 7 * mm
    y = _centred_lines(c, [text(d.course_title)], serif + "-Bold", 15, y) - 1.5 * mm
    when = f"Thời gian: {d.period}" + (f"; địa điểm: {text(d.venue)}" if d.venue else "")
    c.setFont(serif, fit(c, when, serif, 12.5, BODY))
    c.drawCentredString(W / 2, y, when)
    y -= 6.5 * mm
    result = f"Kết quả: {text(d.result)}"
    if d.grade:
        result += f". Xếp loại: {text(d.grade)}"
    c.setFont(serif, fit(c, result, serif, 12.5, BODY))
    c.drawCentredString(W / 2, y, result)


def _low(d: CertificateData) -> float:
    """The verification code's baseline: lower when the register number is printed."""
    return 30 * mm if d.register_no else 34.5 * mm


def _footnotes(c: canvas.Canvas, d: CertificateData) -> None:
    """Under the verification code: the verification address and the validity."""
    serif = fonts.SERIF
    low = _low(d)
    if d.verify_url:
        c.setFont(serif, 8.5)
        c.drawString(52 * mm, low - 4.5 * mm, text(d.verify_url)[:60])
    if d.expires_on:
        c.setFont(serif, 10)
        c.drawString(52 * mm, low - 9 * mm, f"Có giá trị đến ngày {d.expires_on:%d/%m/%Y}")


def _date(c: canvas.Canvas, d: CertificateData) -> None:
    c.setFont(fonts.SERIF + "-Italic", 12.5)
    c.drawCentredString(W - 78 * mm, 63 * mm, date_line(text(d.place), d.issued_on))


def _serial_lines(c: canvas.Canvas, d: CertificateData) -> None:
    """Bottom left, beside the QR code: serial, number in the register, verification code."""
    serif = fonts.SERIF
    c.setFont(serif + "-Bold", 11.5)
    c.drawString(52 * mm, 40 * mm, f"Số hiệu: {text(d.serial)}")
    if d.register_no:
        c.setFont(serif, 11.5)
        c.drawString(52 * mm, 35 * mm, f"Số vào sổ: {text(d.register_no)}")
    c.setFont(serif, 10)
    c.drawString(52 * mm, _low(d), f"Mã xác minh: {d.verification_code}")


def draw_variable(c: canvas.Canvas, d: CertificateData) -> None:
    """Template versions 1 and 2: the whole body on the page, in this order (their bytes)."""
    c.setFillColor(INK)
    y = _name_and_lines(c, d, _heading_lines(c, d) - 10 * mm)
    _course_lines(c, d, y)
    draw_qr_vector(c, d.qr_text, 22 * mm, 19 * mm, 27 * mm)
    _serial_lines(c, d)
    _footnotes(c, d)
    _date(c, d)


def shared_key(d: CertificateData) -> tuple[object, ...]:
    """What draw_shared draws depends on, and nothing else: equal keys, equal forms."""
    return (
        d.legal_basis, len(_person_lines(d)), d.course_title, d.period, d.venue, d.result,
        d.grade, d.place, d.issued_on, d.verify_url, d.expires_on, bool(d.register_no),
    )  # fmt: skip


def draw_shared(c: canvas.Canvas, d: CertificateData) -> None:
    """Template version 3, once a batch (a form XObject): the body without the person."""
    c.setFillColor(INK)
    y = _heading_lines(c, d) - 10 * mm - 8 * mm
    for _line in _person_lines(d):  # the same steps as draw_variable's: the same place
        y -= 6.5 * mm
    _course_lines(c, d, y)
    _footnotes(c, d)
    _date(c, d)


def draw_person(c: canvas.Canvas, d: CertificateData) -> None:
    """Template version 3, on each page: the person's lines, serial, number, code and QR."""
    c.setFillColor(INK)
    _name_and_lines(c, d, _heading_y(d) - 10 * mm)
    draw_qr(c, d.qr_text, 22 * mm, 19 * mm, 27 * mm)
    _serial_lines(c, d)
