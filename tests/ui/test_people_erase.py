"""Erasing a person's data from the Học viên page: administrators only, with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import users
from models import Person
from tests.app import world
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.pages.people_page import PeoplePage
from ui.settings import ui_settings
from ui.workers import TaskRunner


def test_erase_from_the_page(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, prompter: AnsweringPrompter
) -> None:
    with sqlite_db.transaction() as s:
        pid = world.person(s, "Nguyễn Thị Hà", phone="0903111222")
        admin = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1")
        s.info["actor"] = admin
        users.create(s, users.UserForm("canbo", "Trần Thị Thu Trang", "staff"), "mat-khau-2")
        staff = users.login(s, "canbo", "mat-khau-2").actor
    sqlite_db.actor = staff
    page = PeoplePage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "canbo"))
    qtbot.addWidget(page)
    assert not page.erase_action.isVisible() and not page.unmask_check.isVisible()

    sqlite_db.actor = admin
    page = PeoplePage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "quantri", prompter))
    qtbot.addWidget(page)
    assert page.erase_action.isVisible()
    qtbot.waitUntil(lambda: page.model.total == 1)
    page.table.selectRow(0)
    prompter.answer("Đơn đề nghị ngày 20/11/2026")
    messages: list[str] = []
    page.status.connect(messages.append)
    page.erase_selected()
    assert messages == ["Đã xóa dữ liệu cá nhân của “Nguyễn Thị Hà”."]
    with sqlite_db.transaction(readonly=True) as s:
        p = s.get_one(Person, pid)
    assert (p.full_name, p.phone) == ("Người đã xóa dữ liệu", None)
