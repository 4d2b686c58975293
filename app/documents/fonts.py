"""Bundled fonts for ReportLab, registered once as families so bold and italic work.

ReportLab's built-in fonts lack Vietnamese letters; Liberation Serif has Times New
Roman's metrics, the face of Vietnamese official documents.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app import resources

SERIF = "LiberationSerif"
SANS = "LiberationSans"
_STYLES = {
    "": "Regular",
    "-Bold": "Bold",
    "-Italic": "Italic",
    "-BoldItalic": "BoldItalic",
}


@cache
def register() -> tuple[str, str]:
    """Register the serif and sans families; returns their base names."""
    for family in (SERIF, SANS):
        for suffix, style in _STYLES.items():
            file = resources.fonts_dir() / f"{family}-{style}.ttf"
            pdfmetrics.registerFont(TTFont(family + suffix, str(file)))
        pdfmetrics.registerFontFamily(
            family,
            normal=family,
            bold=family + "-Bold",
            italic=family + "-Italic",
            boldItalic=family + "-BoldItalic",
        )
        for bold, italic, suffix in (
            (0, 0, ""),
            (1, 0, "-Bold"),
            (0, 1, "-Italic"),
            (1, 1, "-BoldItalic"),
        ):
            addMapping(family, bold, italic, family + suffix)
    return SERIF, SANS


def text(value: object) -> str:
    """Every string is NFC before it is drawn: decomposed accents print as loose marks."""
    return unicodedata.normalize("NFC", "" if value is None else str(value))
