"""Two people editing the same record: the second save gets both versions side by side,
never a silent overwrite; keeping either version is the user's choice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.actor import unsigned
from app.db import Database
from app.services import person_edit
from models import AuditEntry, Person
from tests.app import world
from ui.context import UiContext
from ui.dialogs.conflict_dialog import KEEP_MINE, KEEP_THEIRS, ConflictDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.pages.people_page import PeoplePage
from ui.settings import ui_settings
from ui.workers import TaskRunner


@pytest.mark.parametrize("choice", [KEEP_THEIRS, KEEP_MINE])
def test_the_second_save_shows_both_versions(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch,
    choice: int,
) -> None:  # fmt: skip
    with sqlite_db.transaction() as s:
        pid = world.person(s, "Nguyễn Thị Hà", phone="0903111222", birth_date=date(1986, 5, 2))
    sqlite_db.actor = unsigned("nguoi-thu-nhat")
    page = PeoplePage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "nguoi-thu-nhat"))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.total == 1)
    page.table.selectRow(0)

    def edit_while_another_saves(_parent, initial, *_a):  # type: ignore[no-untyped-def]
        with sqlite_db.transaction() as s:  # the other person saves first
            s.info["actor"] = unsigned("nguoi-thu-hai")
            other = person_edit.get(s, pid)
            person_edit.update(s, pid, replace(other.form, phone="0987654321"), other.version)
        return replace(initial, workplace="UBND xã Đại Điền")

    shown: list[ConflictDialog] = []

    def exec_(dialog: ConflictDialog) -> int:
        shown.append(dialog)
        return choice

    monkeypatch.setattr(
        PersonDialog,
        "ask",
        classmethod(lambda cls, *a, saver: saver(edit_while_another_saves(*a))),
    )
    monkeypatch.setattr(ConflictDialog, "exec", exec_)
    page.edit_selected()

    assert len(shown) == 1
    dialog = shown[0]
    assert dialog.differing == ["Số điện thoại", "Đơn vị công tác"]
    rows = {dialog.table.verticalHeaderItem(r).text(): r for r in range(dialog.table.rowCount())}
    phone = rows["Số điện thoại"]
    assert (dialog.table.item(phone, 0).text(), dialog.table.item(phone, 1).text()) == (
        "0903111222",
        "0987654321",
    )
    with sqlite_db.transaction(readonly=True) as s:
        p = s.get_one(Person, pid)
        stored = (p.phone, p.workplace)
        updates = s.scalars(
            select(AuditEntry.user)
            .where(AuditEntry.action == "person.update")
            .order_by(AuditEntry.id)
        ).all()
    if choice == KEEP_THEIRS:
        assert stored == ("0987654321", None)
        assert updates == ["nguoi-thu-hai"]
    else:  # mine, as edited: the other's phone is replaced, knowingly, and recorded
        assert stored == ("0903111222", "UBND xã Đại Điền")
        assert updates == ["nguoi-thu-hai", "nguoi-thu-nhat"]
