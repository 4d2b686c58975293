"""The main window shell, driven as a user would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale, QPoint, Qt
from PySide6.QtGui import QFont, QFontDatabase, QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from app.cli import main
from app.db import Database
from ui import i18n
from ui.main_window import MainWindow


def test_navigation_by_click_and_by_shortcut(
    make_window: Callable[[], MainWindow], qtbot: QtBot
) -> None:
    window = make_window()
    with qtbot.waitExposed(window):
        window.show()
    item = window.nav.item(3)
    qtbot.mouseClick(
        window.nav.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.nav.visualItemRect(item).center(),
    )
    assert window.current_page().title == "Khóa học"
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.nav, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().slug == "lich"
    assert window.page_actions["lich"].isChecked()


def test_pages_show_what_the_database_holds(make_window: Callable[[], MainWindow]) -> None:
    window = make_window()
    assert window.statusBar().currentMessage() == "0 người · 0 tổ · 0 khóa học"
    assert window.db_label.text() == f"Cơ sở dữ liệu: {window.db.path.name}"
    assert window.db_label.toolTip() == window.db.describe()  # the whole path


def test_window_geometry_is_remembered_and_it_opens_on_the_overview(
    make_window: Callable[[], MainWindow], qtbot: QtBot
) -> None:
    first = make_window()
    first.show()
    first.resize(780, 610)
    first.move(QPoint(40, 30))
    first.show_page("chung-nhan")
    first.close()
    second = make_window()
    second.show()
    assert (second.width(), second.height()) == (780, 610)
    # The window opens on Tổng quan, whatever page was open when it closed.
    assert second.current_page().slug == "tong-quan"


def test_about_dialog(make_window: Callable[[], MainWindow], qtbot: QtBot) -> None:
    window = make_window()
    with qtbot.waitExposed(window):
        window.show()
    dialog = window.show_about()
    qtbot.waitUntil(dialog.isVisible)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "TapHuan 0.1.0" in text
    assert "GPL" in text and window.db.describe() in text
    close = dialog.buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close.text() == "Đóng"
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_qt_buttons_and_dialogs_speak_vietnamese(vi_app: QApplication, qtbot: QtBot) -> None:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "Đồng ý"
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Hủy"
    message = QMessageBox(
        QMessageBox.Icon.Question,
        "Xác nhận",
        "Xóa?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    qtbot.addWidget(message)
    assert message.button(QMessageBox.StandardButton.Yes).text().replace("&", "") == "Có"
    assert message.button(QMessageBox.StandardButton.No).text().replace("&", "") == "Không"
    dialog = QFileDialog(None, "Mở tệp")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Tìm trong:", "&Tên tệp:", "&Loại tệp:"} <= labels


def test_locale_is_vietnamese_with_dd_mm_yyyy(vi_app: QApplication) -> None:
    assert QLocale().language() == QLocale.Language.Vietnamese
    assert QLocale().toString(QDate(2026, 3, 2), "dd/MM/yyyy") == "02/03/2026"
    assert vi_app.font().family() == "Liberation Sans"


def test_windows_uses_the_system_ui_font_and_liberation_stays_elsewhere(
    vi_app: QApplication,
) -> None:
    system = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    try:
        assert i18n.use_ui_font(vi_app, "win32", qpa="windows") == system.family()
        assert vi_app.font().pointSize() == system.pointSize()
        assert i18n.use_ui_font(vi_app, "linux") == "Liberation Sans"
    finally:
        i18n.use_bundled_font(vi_app)


def test_a_system_font_without_vietnamese_letters_gives_way_to_liberation(
    vi_app: QApplication,
) -> None:
    """Qt's offscreen platform under Wine found no system font: the installed program's
    screenshot was all boxes. A system font that lacks the letters is not used."""
    import matplotlib

    latin_only = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "cmr10.ttf"
    family = QFontDatabase.applicationFontFamilies(
        QFontDatabase.addApplicationFont(str(latin_only))
    )[0]
    try:
        assert not i18n.has_vietnamese(QFont(family, 9))
        assert i18n.use_ui_font(vi_app, "win32", QFont(family, 9), "windows") == "Liberation Sans"
        # Offscreen (screenshots; Wine) draws no Windows system font: boxes. Liberation.
        assert i18n.use_ui_font(vi_app, "win32", qpa="offscreen") == "Liberation Sans"
        assert i18n.has_vietnamese(QFont("Liberation Sans", 9))
    finally:
        i18n.use_bundled_font(vi_app)


def test_screenshot_option_saves_the_chosen_page(
    vi_app: QApplication, seeded_db: Database, tmp_path: Path
) -> None:
    png = tmp_path / "anh" / "lich.png"
    assert main(["--db", str(seeded_db.path), "--screenshot", str(png), "--page", "Lịch"]) == 0
    image = QImage(str(png))
    assert image.width() >= 720 and image.height() >= 480


def test_screenshot_refuses_an_unknown_page(
    vi_app: QApplication, seeded_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "x.png"
    assert main(["--db", str(seeded_db.path), "--screenshot", str(png), "--page", "abc"]) == 2
    assert "không có trang “abc”" in capsys.readouterr().err
    assert not png.exists()


def test_gui_refuses_a_bad_database_with_exit_3(
    vi_app: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "hong.db"
    bad.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    png = tmp_path / "x.png"
    assert main(["--db", str(bad), "--screenshot", str(png)]) == 3
    assert "không phải là cơ sở dữ liệu TapHuan" in capsys.readouterr().err
    assert bad.read_text(encoding="utf-8") == "không phải cơ sở dữ liệu"
