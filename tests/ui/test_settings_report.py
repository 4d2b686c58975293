"""The Cài đặt page keeps the periodic report's number and symbol and its "Nơi nhận:"
(issue 16): saved as typed, one recipient a line; a number too long is refused with a
message naming the setting, and nothing is saved."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import settings
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.pages.settings_page import SettingsPage
from ui.workers import TaskRunner


def test_report_number_and_recipients_are_saved_from_the_page(
    vi_app: QApplication,
    qtbot: QtBot,
    sqlite_db: Database,
    runner: TaskRunner,
    qsettings: QSettings,
) -> None:
    with sqlite_db.transaction() as s:
        settings.set_value(s, "issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
        settings.set_value(s, "signer_name", "Nguyễn Văn Tâm")
    prompter = AnsweringPrompter()
    page = SettingsPage(UiContext(sqlite_db, runner, qsettings, "tester", prompter))
    qtbot.addWidget(page)
    assert page.edits["report_number"].text() == "…/BC-SKHCN"  # the defaults, shown
    assert page.report_recipients.toPlainText() == "- UBND tỉnh (để báo cáo);\n- Lưu: VT."

    page.edits["report_number"].setText("125/" + "BC-SKHCN-" * 5)
    page.report_recipients.setPlainText("- Ban Chỉ đạo tỉnh;\n- Lưu: VT.")
    page.save()
    assert prompter.warned == [
        "Số, ký hiệu báo cáo định kỳ (bỏ trống số để điền tay: …/BC-SKHCN) dài quá 40 ký tự."
    ]
    with sqlite_db.transaction(readonly=True) as s:
        assert settings.get(s, "report_number") == "…/BC-SKHCN"
        assert settings.get(s, "report_recipients") == "- UBND tỉnh (để báo cáo);\n- Lưu: VT."

    page.edits["report_number"].setText("125/BC-SKHCN")
    page.save()
    assert len(prompter.warned) == 1
    with sqlite_db.transaction(readonly=True) as s:
        assert settings.get(s, "report_number") == "125/BC-SKHCN"
        assert settings.get(s, "report_recipients") == "- Ban Chỉ đạo tỉnh;\n- Lưu: VT."
    page.reload()
    assert page.report_recipients.toPlainText() == "- Ban Chỉ đạo tỉnh;\n- Lưu: VT."
