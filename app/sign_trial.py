"""Thử ký: a one-page sample signed with the key the settings name, to see before a batch
that the password or PIN is right and who the certificate is, until when it is valid."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from app.documents import fonts
from app.documents.common import new_canvas
from app.signing import keys, pdf
from app.signing.spot import Spot


def sample_page(agency: str) -> bytes:
    fonts.register()
    out = io.BytesIO()
    c = new_canvas(out, A4)
    c.setTitle("Thử ký số")
    c.setFont(fonts.SERIF + "-Bold", 16)
    c.drawCentredString(A4[0] / 2, A4[1] - 40 * mm, "TRANG THỬ KÝ SỐ")
    c.setFont(fonts.SERIF, 12)
    c.drawCentredString(A4[0] / 2, A4[1] - 50 * mm, fonts.text(agency or "TapHuan"))
    c.showPage()
    c.save()
    return out.getvalue()


def try_signing(
    source: keys.KeySource, secret: str, tsa_url: str, look: pdf.Look, now: datetime
) -> pdf.SignedFile:
    """The sample page signed (nothing written anywhere); SigningError says what is wrong."""
    with keys.open_key(source, secret, now) as key:
        spot = Spot.of_mm(0, 100, 180, 95, 36)
        return pdf.sign_pdf(sample_page(look.agency), key, spot, look, tsa_url, now)
