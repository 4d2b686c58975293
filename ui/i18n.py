"""Vietnamese whatever the Windows language: locale, dates, and Qt's own strings."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QRawFont
from PySide6.QtWidgets import QApplication

from app import resources

DATE_FORMAT = "dd/MM/yyyy"
DATETIME_FORMAT = "dd/MM/yyyy HH:mm"


def vietnamese_locale() -> QLocale:
    return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def install(app: QCoreApplication) -> QTranslator:
    """Set vi_VN as the default locale and load the project's catalog for Qt's strings.

    Qt ships no Vietnamese catalog, so TapHuan carries its own (resources/translations).
    The translator is returned so the caller keeps it alive.
    """
    QLocale.setDefault(vietnamese_locale())
    translator = QTranslator(app)
    qm = resources.translations_dir() / "qt_vi.qm"
    if not translator.load(str(qm)):
        raise RuntimeError(f"cannot load the Vietnamese Qt catalog {qm}")
    app.installTranslator(translator)
    return translator


def use_ui_font(
    app: QApplication,
    platform: str = sys.platform,
    system: QFont | None = None,
    qpa: str | None = None,
) -> str:
    """The UI's font, returned by family. On Windows, in a real window, the system's own
    (Segoe UI: every Vietnamese letter, the look users know, ClearType hinting) when it has
    the Vietnamese letters; otherwise the bundled Liberation Sans, which a bare Linux box
    may lack. Qt's offscreen platform (screenshots; under Wine the only one) draws no
    Windows system font at all, every letter a box: Liberation there too. PDFs embed
    Liberation whatever the UI uses (app/documents/fonts.py). system and qpa stand for the
    system's font and Qt's platform name (given by tests)."""
    native = (qpa if qpa is not None else app.platformName()) == "windows"
    if platform == "win32" and native:
        if system is None:
            system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        if has_vietnamese(system):
            app.setFont(system)
            return app.font().family()
    use_bundled_font(app)
    return app.font().family()


def has_vietnamese(font: QFont) -> bool:
    """The font itself (not a fallback Qt would pick) draws Vietnamese letters."""
    raw = QRawFont.fromFont(font)
    return raw.isValid() and all(raw.supportsCharacter(ord(ch)) for ch in "aăâđêôơưạệữ")


def use_bundled_font(app: QApplication) -> None:
    """Liberation Sans for the UI: every Vietnamese letter, on any machine, even one
    with no fonts installed (a CI box)."""
    families: list[str] = []
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        font_id = QFontDatabase.addApplicationFont(
            str(resources.fonts_dir() / f"LiberationSans-{style}.ttf")
        )
        families += QFontDatabase.applicationFontFamilies(font_id)
    if families:
        font = QFont(families[0], app.font().pointSize())
        app.setFont(font)
