"""op(): one write in one transaction; refusals and questions go to the prompter, and only
a committed write says what it touched."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import courses, enrolment
from tests.app import world
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.workers import TaskRunner


@pytest.fixture
def ctx(
    vi_app: QApplication, sqlite_db: Database, qsettings: QSettings, prompter: AnsweringPrompter
) -> UiContext:
    return UiContext(sqlite_db, TaskRunner(), qsettings, "t", prompter)


def status(ctx: UiContext, course_id: int) -> str:
    return ctx.read(lambda s: courses.row(s, course_id).status)


def test_a_refusal_is_said_in_vietnamese_and_nothing_is_written_or_announced(
    ctx: UiContext, qtbot: QtBot
) -> None:
    course = _course(ctx)
    heard: list[object] = []
    ctx.bus.changed.connect(lambda kinds, origin: heard.append(kinds))
    page = QWidget()
    qtbot.addWidget(page)
    result = ctx.op(page, lambda s: courses.set_status(s, course, "cancelled", reason=" "),
                    {"courses"})  # fmt: skip
    assert result is None
    assert ctx.prompter.warned == ["Hãy ghi lý do hủy khóa học."]  # type: ignore[attr-defined]
    assert heard == [] and status(ctx, course) == "draft"


def test_a_confirmation_is_asked_and_a_no_writes_nothing(ctx: UiContext) -> None:
    course = _course(ctx)
    heard: list[tuple[object, object]] = []
    ctx.bus.changed.connect(lambda kinds, origin: heard.append((kinds, origin)))
    prompter: AnsweringPrompter = ctx.prompter  # type: ignore[assignment]

    def finish(s, ok):  # type: ignore[no-untyped-def]
        return enrolment.finish(s, course, confirm=ok)

    prompter.answer(False)
    assert ctx.op(None, finish, {"courses", "attendance"}, confirm=True) is None
    ((kind, title, text),) = prompter.asked
    assert (kind, title) == ("confirm", "Xác nhận") and text.startswith("3 buổi chưa điểm danh")
    assert heard == [] and status(ctx, course) == "draft"
    prompter.answer(True)
    assert ctx.op(None, finish, {"courses", "attendance"}, confirm=True) is not None
    assert status(ctx, course) == "finished"
    assert heard == [(frozenset({"courses", "attendance", "audit"}), None)]


def test_unknown_kinds_are_a_programming_error(ctx: UiContext) -> None:
    with pytest.raises(ValueError, match="unknown change kinds"):
        ctx.bus.emit({"khoa-hoc"})


def _course(ctx: UiContext) -> int:
    with ctx.db.transaction() as s:
        return world.build(s).course
