"""Giấy chứng nhận, landscape A4, in two designs: "classic" (double border) and "modern".

What does not change between certificates of a batch (border, heading, title, signer,
images) is drawn once as a form XObject and reused on every page; a QR code is a single
path of merged module runs. Plain data in, PDF bytes out; the same data gives the same
bytes (invariant=1), which is how a reprint reproduces the stored SHA-256.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from typing import BinaryIO

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from app.documents import certificate_body as body
from app.documents import fonts
from app.documents.certificate_body import BLUE, INK, RED, H, W
from app.documents.certificate_data import LATEST, CertificateData  # noqa: F401 - for callers
from app.documents.common import MOTTO, new_canvas
from app.documents.fonts import text
from app.signing.spot import Spot

PAGE = landscape(A4)


def _image(c: canvas.Canvas, data: bytes | None, x: float, y: float, w: float, h: float) -> None:
    if data:
        c.drawImage(
            ImageReader(io.BytesIO(data)),
            x,
            y,
            w,
            h,
            mask="auto",
            preserveAspectRatio=True,
            anchor="c",
        )


def _static_key(d: CertificateData) -> tuple[object, ...]:
    """What the fixed part of the page is drawn from: each image by its own digest, so the
    same picture moved from one place to another (a seal become the logo) is another page."""
    images = tuple(
        hashlib.sha256(x).hexdigest() if x else None
        for x in (d.logo, d.signature, d.seal, d.background)
    )
    return (d.template, d.issuer_parent, d.issuer, d.signer_title, d.signer_name, images)


def _draw_static(c: canvas.Canvas, d: CertificateData) -> None:
    serif = fonts.SERIF
    if d.background:
        _image(c, d.background, 0, 0, W, H)
    if d.template == "modern":
        c.setFillColor(BLUE)
        c.rect(0, 0, 14 * mm, H, stroke=0, fill=1)
        c.setStrokeColor(HexColor("#9aa7b4"))
        c.setLineWidth(0.6)
        c.rect(20 * mm, 10 * mm, W - 30 * mm, H - 20 * mm)
        accent = BLUE
    else:
        c.setStrokeColor(RED)
        c.setLineWidth(2.4)
        c.rect(8 * mm, 8 * mm, W - 16 * mm, H - 16 * mm)
        c.setLineWidth(0.8)
        c.rect(11 * mm, 11 * mm, W - 22 * mm, H - 22 * mm)
        accent = RED
    left_x = 78 * mm if d.template == "classic" else 84 * mm
    right_x = W - 78 * mm
    top = H - 24 * mm
    c.setFillColor(INK)
    c.setFont(serif, 11.5)
    c.drawCentredString(left_x, top, text(d.issuer_parent.upper()))
    c.setFont(serif + "-Bold", 11.5)
    c.drawCentredString(left_x, top - 5.5 * mm, text(d.issuer.upper()))
    c.line(left_x - 15 * mm, top - 8.5 * mm, left_x + 15 * mm, top - 8.5 * mm)
    c.drawCentredString(right_x, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.drawCentredString(right_x, top - 5.5 * mm, MOTTO[1])
    c.line(right_x - 27 * mm, top - 8.5 * mm, right_x + 27 * mm, top - 8.5 * mm)
    if d.logo:
        _image(c, d.logo, W / 2 - 8 * mm, H - 40 * mm, 16 * mm, 16 * mm)
    c.setFillColor(accent)
    c.setFont(serif + "-Bold", 32)
    c.drawCentredString(W / 2, H - 54 * mm, "GIẤY CHỨNG NHẬN")
    c.setFont(serif + "-Bold", 13)
    c.drawCentredString(W / 2, H - 61 * mm, "HOÀN THÀNH KHÓA TẬP HUẤN CHUYỂN ĐỔI SỐ")
    c.setFillColor(INK)
    # The signer block (right, bottom): title lines, room for signature and seal, name.
    sx = SIGNER_X
    title_lines = [x for x in text(d.signer_title).upper().split("\n") if x.strip()]
    y = TITLE_TOP
    c.setFont(serif + "-Bold", 12.5)
    for line in title_lines:
        c.drawCentredString(sx, y, line)
        y -= 5.5 * mm
    if d.seal:
        _image(c, d.seal, sx - 36 * mm, y - 30 * mm, 30 * mm, 30 * mm)
    if d.signature:
        _image(c, d.signature, sx - 20 * mm, y - 21 * mm, 40 * mm, 16 * mm)
    c.setFont(serif + "-Bold", 13)
    c.drawCentredString(sx, NAME_Y, text(d.signer_name))


def _draw_watermark(c: canvas.Canvas, mark: str) -> None:
    """A large slanted mark across the page, see-through, over everything: a sample."""
    c.saveState()
    c.setFillColor(RED, alpha=0.2)
    c.setStrokeColor(RED, alpha=0.45)
    c.setLineWidth(1.2)
    c.translate(W / 2, H / 2)
    c.rotate(24)
    c.setFont(fonts.SERIF + "-Bold", 190)
    c.drawCentredString(0, -50, text(mark))
    c.setFont(fonts.SERIF + "-Bold", 22)
    c.drawCentredString(0, -112, "BẢN MẪU – KHÔNG CÓ GIÁ TRỊ CHỨNG NHẬN")
    c.restoreState()


def render_certificates(
    items: list[CertificateData],
    out: BinaryIO,
    title: str = "Giấy chứng nhận",
    signing: bool = False,
) -> int:
    """One page per certificate; returns the page count. signing: the seal and signature
    images are left out of the signer block (the visible digital signature draws them)."""
    if signing:
        items = [replace(d, seal=None, signature=None) for d in items]
    fonts.register()
    c = new_canvas(out, PAGE)
    c.setTitle(text(title))
    c.setAuthor("TapHuan")
    forms: dict[tuple[object, ...], str] = {}
    shared: dict[tuple[object, ...], str] = {}  # version 3: the body all pages print alike
    for d in items:
        key = _static_key(d)
        if key not in forms:
            forms[key] = f"static{len(forms)}"
            c.beginForm(forms[key])
            _draw_static(c, d)
            c.endForm()
        c.doForm(forms[key])
        if d.template_version < 3:
            body.draw_variable(c, d)
        else:
            key = body.shared_key(d)
            if key not in shared:
                shared[key] = f"body{len(shared)}"
                c.beginForm(shared[key])
                body.draw_shared(c, d)
                c.endForm()
            c.doForm(shared[key])
            body.draw_person(c, d)
        if d.watermark:
            _draw_watermark(c, d.watermark)
        c.showPage()
    c.save()
    return len(items)


def render_one(d: CertificateData, signing: bool = False) -> bytes:
    """The single-certificate PDF whose SHA-256 is stored, and that a reprint reproduces
    (signing: the page to sign, without the seal and signature images)."""
    out = io.BytesIO()
    render_certificates([d], out, f"Giấy chứng nhận {d.serial}", signing=signing)
    return out.getvalue()


SIGNER_X = W - 78 * mm  # the signer block's centre line
TITLE_TOP = 56 * mm  # the signer's title, first baseline; 5.5 mm between lines
NAME_Y = 19 * mm  # the signer's name, baseline


def _title_lines(d: CertificateData) -> int:
    return len([x for x in text(d.signer_title).split("\n") if x.strip()])


def signature_spot(
    d: CertificateData, box_mm: tuple[float, float, float, float] | None = None
) -> Spot:
    """Where the visible signature goes: between the signer's title and name, on the
    right, clear of the name, the serial, the register number and the QR code. box_mm
    (x, y, width, height in mm from the bottom-left, the sign_box_* setting) overrides it."""
    if box_mm is not None:
        return Spot.of_mm(0, *box_mm)
    last_title = TITLE_TOP - 5.5 * mm * max(0, _title_lines(d) - 1)
    top = last_title - 2.2 * mm  # under the title's descenders
    bottom = NAME_Y + 4.8 * mm  # over the name's capitals and accents
    return Spot(0, (SIGNER_X - 45 * mm, bottom, SIGNER_X + 45 * mm, top))
