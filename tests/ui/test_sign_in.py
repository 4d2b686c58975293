"""Signing in from the GUI: the first administrator, the sign-in dialog with throttling,
a trainer's window, and the administrator's account list."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.services import users
from app.services.users import BAD_LOGIN, UserForm
from models import User
from tests.app import world
from tests.ui.prompts import AnsweringPrompter
from ui.accounts import Accounts
from ui.context import UiContext
from ui.dialogs.sign_in_dialogs import FirstAdminDialog, SignInDialog
from ui.dialogs.users_dialog import UserFormDialog, UsersDialog
from ui.main_window import MainWindow
from ui.settings import ui_settings
from ui.sign_in import first_admin_dialog, sign_in_dialog
from ui.workers import TaskRunner


def press_ok(dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.ok_button.click()


def test_first_administrator_then_sign_in(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database
) -> None:
    first = first_admin_dialog(seeded_db)
    qtbot.addWidget(first)
    assert first.ok_button.text() == "Tạo tài khoản"
    first.full_name.setText("Nguyễn Văn Tâm")
    first.username.setText("quantri")
    first.password.setText("mat-khau-1")
    first.again.setText("mat-khau-2")
    press_ok(first)
    assert first.message.text() == "Hai lần nhập mật khẩu không giống nhau."
    with seeded_db.transaction(readonly=True) as s:
        assert users.count(s) == 0  # nothing written
    first.again.setText("mat-khau-1")
    press_ok(first)
    assert first.result() == FirstAdminDialog.DialogCode.Accepted
    assert first.actor is not None and first.actor.role == "admin"

    dialog = sign_in_dialog(seeded_db)
    qtbot.addWidget(dialog)
    dialog.username.setText("quantri")
    dialog.password.setText("sai-mat-khau")
    press_ok(dialog)
    assert dialog.message.text() == BAD_LOGIN and dialog.password.text() == ""
    with seeded_db.transaction(readonly=True) as s:
        assert s.scalars(select(User.failed_logins)).one() == 1  # kept though refused
    dialog.password.setText("mat-khau-1")
    press_ok(dialog)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert dialog.actor.username == "quantri" and not dialog.must_change


def test_a_trainer_sees_only_their_pages(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database
) -> None:
    with seeded_db.transaction() as s:
        admin = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1")
        lan = world.person(s, "Phạm Thị Lan", is_trainer=True)
        s.info["actor"] = admin
        users.create(s, UserForm("lan", "Phạm Thị Lan", "trainer", lan), "mat-khau-1")
        trainer = users.login(s, "lan", "mat-khau-1").actor
    seeded_db.actor = trainer
    runner = TaskRunner()
    window = MainWindow(seeded_db, runner, ui_settings())
    qtbot.addWidget(window)
    visible = [
        window.nav.item(i).text()
        for i in range(window.nav.count())
        if not window.nav.item(i).isHidden()
    ]
    assert visible == ["Khóa học", "Lịch", "Điểm danh", "Chứng nhận"]
    assert window.people_page is None
    window.show_page("hoc-vien")  # by a shortcut or a remembered page: the first allowed
    assert window.current_page().slug == "khoa-hoc"
    assert window.user_label.text() == "Người dùng: Phạm Thị Lan (Giảng viên)"
    assert not window.accounts_action.isEnabled()
    runner.wait()


def test_the_administrator_adds_an_account(
    vi_app: QApplication,
    qtbot: QtBot,
    seeded_db: Database,
    runner: TaskRunner,
    prompter: AnsweringPrompter,
) -> None:
    with seeded_db.transaction() as s:
        seeded_db.actor = users.create_first_admin(
            s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1"
        )
    ctx = UiContext(seeded_db, runner, ui_settings(), "quantri", prompter)
    dialog = UsersDialog(Accounts(ctx))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.ask.isChecked()
    form = dialog.form_dialog(None)
    qtbot.addWidget(form)
    form.username.setText("canbo")
    form.full_name.setText("Trần Thị Thu Trang")
    assert form.role.currentData() == "staff"  # a new account starts as Cán bộ
    form.password.setText("ngan")
    press_ok(form)
    assert form.message.text() == "Mật khẩu cần ít nhất 8 ký tự."
    with seeded_db.transaction(readonly=True) as s:
        assert users.count(s) == 1  # nothing written
    form.password.setText("mat-khau-2")
    press_ok(form)
    assert form.result() == UserFormDialog.DialogCode.Accepted
    dialog.load()
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["quantri", "canbo"]
    row = next(r for r in range(2) if dialog.table.item(r, 0).text() == "canbo")
    assert dialog.table.item(row, 2).text() == "Cán bộ"
    dialog.table.selectRow(row)
    prompter.answer("mat-khau-3")
    dialog.reset()
    with seeded_db.transaction() as s:
        result = users.login(s, "canbo", "mat-khau-3")
    assert result.actor is not None and result.must_change_password
    dialog.ask.setChecked(False)
    with seeded_db.transaction(readonly=True) as s:
        assert not users.sign_in_required(s)
