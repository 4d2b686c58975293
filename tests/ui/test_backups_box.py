"""Sao lưu và khôi phục in Cài đặt: a copy now, then a restore from it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from models import Person
from tests.app import world
from tests.ui.prompts import AnsweringPrompter
from ui.widgets.backups_box import BackupsBox
from ui.workers import TaskRunner


def test_back_up_now_then_restore(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, prompter: AnsweringPrompter,
    runner: TaskRunner,
) -> None:  # fmt: skip
    with sqlite_db.transaction() as s:
        world.person(s, "Nguyễn Thị Hà")
    box = BackupsBox(sqlite_db, runner, prompter)
    qtbot.addWidget(box)
    assert box.list.count() == 0
    box.backup_now()
    qtbot.waitUntil(lambda: box.list.count() == 1)  # made in the worker
    assert box.list.count() == 1 and "sao lưu tay" in box.list.item(0).text()
    with sqlite_db.transaction() as s:  # written after the copy: gone after the restore
        world.person(s, "Lê Văn An")
    prompter.answer(True)
    box.list.setCurrentRow(0)
    assert box.restore_selected()
    assert prompter.shown == [("inform", "Khôi phục", "Đã khôi phục. TapHuan sẽ đóng; hãy mở lại.")]
    db = Database(str(sqlite_db.path))
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 1
    db.close()
    box.reload()
    kinds = [box.list.item(i).text() for i in range(box.list.count())]
    assert any("trước khi khôi phục" in k for k in kinds) and any("sao lưu tay" in k for k in kinds)
