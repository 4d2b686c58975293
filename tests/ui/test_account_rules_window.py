"""The window keeps the command line's rules: passwords of spaces or with spaces at either
end and usernames that only lowercase to ASCII are refused (nothing written), and only an
administrator finds Tệp → Sao lưu."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import users
from tests.app import two_trainers
from tests.app.test_cli_account_rules import KELVIN, stored
from ui.accounts import Accounts
from ui.context import UiContext
from ui.dialogs.users_dialog import UsersDialog
from ui.main_window import MainWindow
from ui.settings import ui_settings
from ui.sign_in import first_admin_dialog
from ui.workers import TaskRunner


def test_the_window_refuses_hidden_spaces_and_lookalike_usernames(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database
) -> None:
    first = first_admin_dialog(seeded_db)
    qtbot.addWidget(first)
    first.full_name.setText("Nguyễn Văn Tâm")
    first.username.setText("quantri")
    for password, message in (
        ("          ", "Mật khẩu không được để trống hay chỉ gồm khoảng trắng."),
        ("mat-khau-1 ", "Mật khẩu không được bắt đầu hay kết thúc bằng khoảng trắng"),
    ):
        first.password.setText(password)
        first.again.setText(password)
        first._accept()
        assert first.message.text().startswith(message)
    with seeded_db.transaction(readonly=True) as s:
        assert users.count(s) == 0  # nothing written
    first.password.setText("mat-khau-1")
    first.again.setText("mat-khau-1")
    first._accept()
    assert first.actor is not None
    seeded_db.actor = first.actor

    before = stored(seeded_db)
    dialog = UsersDialog(Accounts(UiContext(seeded_db, TaskRunner(), ui_settings(), "quantri")))
    qtbot.addWidget(dialog)
    form = dialog.form_dialog(None)  # saving through the account functions, as Thêm does
    qtbot.addWidget(form)
    form.full_name.setText("Trần Thị Thu Trang")
    form.password.setText("mat-khau-2")
    for name, message in (
        (KELVIN, "Tên đăng nhập không dùng chữ có dấu hay ký tự ngoài a–z"),
        ("...", "Tên đăng nhập cần ít nhất một chữ cái hoặc chữ số"),
    ):
        form.username.setText(name)
        form._accept()
        assert form.message.text().startswith(message), form.message.text()
    form.username.setText("canbo")
    form.password.setText(" mat-khau-2")
    form._accept()
    assert form.message.text().startswith("Mật khẩu không được bắt đầu hay kết thúc")
    assert stored(seeded_db) == before


@pytest.mark.parametrize(("user", "shown"), [("quantri", True), ("canbo", False), ("lan", False)])
def test_only_an_administrator_finds_the_backup_in_the_file_menu(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, user: str, shown: bool
) -> None:
    t = two_trainers.build(sqlite_db)
    sqlite_db.actor = t.accounts[user]
    runner = TaskRunner()
    window = MainWindow(sqlite_db, runner, ui_settings())
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    visible = [a.text() for a in file_menu.actions() if a.isVisible() and a.text()]
    assert ("&Sao lưu cơ sở dữ liệu…" in visible) is shown
    assert window.backup_action.isVisible() is shown
    runner.wait()
