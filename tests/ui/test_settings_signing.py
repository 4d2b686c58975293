"""Cài đặt → Ký số: the key's place and the signature's placement saved from the page (a bad
placement refused in Vietnamese, nothing saved); "Thử ký" asks the password (never kept),
signs a sample page in the worker and says who the certificate is and until when."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import settings
from app.signing.pdf import VIETNAM
from tests.app.signing_keys import make_ca, make_signer
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.pages.settings_page import SettingsPage
from ui.workers import TaskRunner


def page_of(
    db: Database, runner: TaskRunner, qs: QSettings, prompter: AnsweringPrompter
) -> SettingsPage:
    with db.transaction() as s:
        settings.set_value(s, "issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
        settings.set_value(s, "signer_name", "Nguyễn Văn Tâm")
    return SettingsPage(UiContext(db, runner, qs, "tester", prompter))


def test_the_signing_settings_are_saved_and_a_bad_box_is_refused(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, runner: TaskRunner,
    qsettings: QSettings, tmp_path: Path,
) -> None:  # fmt: skip
    signer = make_signer(make_ca(), tmp_path)
    prompter = AnsweringPrompter()
    page = page_of(sqlite_db, runner, qsettings, prompter)
    qtbot.addWidget(page)
    box = page.sign_box
    box.edits["sign_p12"].setText(str(signer.p12))
    box.edits["sign_box_classic"].setText("250 24 90 30")
    page.save()
    assert len(prompter.warned) == 1 and "chỗ ký ra ngoài trang A4 ngang" in prompter.warned[0]
    with sqlite_db.transaction(readonly=True) as s:
        assert settings.get(s, "sign_p12") == "" and settings.get(s, "sign_box_classic") == ""

    box.edits["sign_box_classic"].setText("175 24 90 30")
    page.save()
    assert len(prompter.warned) == 1
    with sqlite_db.transaction(readonly=True) as s:
        assert settings.get(s, "sign_p12") == str(signer.p12)
        assert settings.get(s, "sign_box_classic") == "175 24 90 30"


def test_try_signing_says_who_and_until_when_and_a_wrong_password_why(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, runner: TaskRunner,
    qsettings: QSettings, tmp_path: Path,
) -> None:  # fmt: skip
    signer = make_signer(make_ca(), tmp_path)
    prompter = AnsweringPrompter()
    page = page_of(sqlite_db, runner, qsettings, prompter)
    qtbot.addWidget(page)
    box = page.sign_box
    box.edits["sign_p12"].setText(str(signer.p12))

    prompter.answer("sai-mat-khau")
    box.try_signing()
    qtbot.waitUntil(lambda: box.try_button.isEnabled(), timeout=20_000)
    assert prompter.asked[-1][2] == "Nhập mật khẩu tệp chứng thư số (không được lưu):"
    assert len(prompter.warned) == 1 and "sai mật khẩu" in prompter.warned[0]

    prompter.answer(signer.password)
    box.try_signing()
    qtbot.waitUntil(lambda: box.try_button.isEnabled(), timeout=20_000)
    said = box.result.text()
    assert said.startswith("Ký được. Chứng thư số: CN=Sở Khoa học và Công nghệ tỉnh Vĩnh Long")
    until = signer.cert.not_valid_after_utc.astimezone(VIETNAM)
    assert f"có hiệu lực đến {until:%d/%m/%Y %H:%M}." in said
    with sqlite_db.transaction(readonly=True) as s:  # the password is nowhere
        assert signer.password not in str(settings.all_settings(s))
