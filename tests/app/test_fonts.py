"""Every Vietnamese letter, in every tone and case, goes into a PDF and comes back."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.documents import fonts

BASES = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
LETTERS = [unicodedata.normalize("NFC", b + t) for b in BASES for t in TONES] + ["đ"]
ALL = "".join(LETTERS) + "".join(LETTERS).upper()


def render(face: str, lines: list[str]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = 800
    for line in lines:
        c.setFont(face, 14)
        c.drawString(40, y, fonts.text(line))
        y -= 24
    c.showPage()
    c.save()
    return buf.getvalue()


def test_every_vietnamese_letter_is_covered() -> None:
    assert len(LETTERS) == 73
    assert "ệ" in ALL and "Ỵ" in ALL and "Đ" in ALL


@pytest.mark.parametrize("suffix", ["", "-Bold", "-Italic", "-BoldItalic"])
@pytest.mark.parametrize("family", [fonts.SERIF, fonts.SANS])
def test_letters_round_trip_through_pdf(family: str, suffix: str) -> None:
    fonts.register()
    lines = [ALL[i : i + 40] for i in range(0, len(ALL), 40)]
    pdf = render(family + suffix, lines)
    extracted = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    got = unicodedata.normalize("NFC", extracted).strip().split("\n")
    assert [g.strip() for g in got] == lines


def test_decomposed_text_is_drawn_composed() -> None:
    fonts.register()
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hà – Sở Khoa học và Công nghệ")
    pdf = render(fonts.SERIF, [decomposed])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert text.strip() == "Nguyễn Thị Hà – Sở Khoa học và Công nghệ"


def test_output_is_reproducible() -> None:
    fonts.register()
    assert render(fonts.SERIF, ["Chứng nhận"]) == render(fonts.SERIF, ["Chứng nhận"])


def test_family_mapping_gives_bold_and_italic() -> None:
    from reportlab.lib.fonts import tt2ps

    fonts.register()
    assert tt2ps(fonts.SERIF, 1, 0) == fonts.SERIF + "-Bold"
    assert tt2ps(fonts.SERIF, 1, 1) == fonts.SERIF + "-BoldItalic"
