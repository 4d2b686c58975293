"""A refusal from the service keeps the form dialog open with what was typed and the
message under the form (issue 15): Thêm/Sửa khóa học, Thêm buổi học."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import courses, scheduling
from app.services.courses import CourseForm
from app.services.scheduling import SessionForm
from models import Venue
from tests.app import world
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.pages.courses_page import CoursesPage
from ui.settings import ui_settings
from ui.workers import TaskRunner


@pytest.fixture
def two_courses(sqlite_db: Database) -> Database:
    with sqlite_db.transaction() as s:
        s.add(Venue(name="Hội trường UBND xã Đại Điền", capacity=80))
        s.flush()
        world.person(s, "Phạm Quốc Khánh", is_trainer=True, citizen_id="083062000451")
        for code in ("TH-2026-014", "TH-2026-015"):
            c = courses.create(
                s, CourseForm(code, "Tập huấn VNeID", date(2026, 11, 2), date(2026, 11, 27))
            )
        scheduling.add_session(s, c.id, SessionForm(date(2026, 11, 3), time(7, 30), time(11, 0), 1))
    return sqlite_db


def in_dialog(qtbot: QtBot, fill: Callable[[QWidget], None]) -> dict[str, object]:
    """When the dialog opens: fill it, press Lưu, note what it shows, then close it."""
    seen: dict[str, object] = {}

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        try:  # an assertion failing in here is reported by pytest-qt; the dialog still closes
            seen["dialog"] = dialog
            fill(dialog)
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
            seen["visible"] = dialog.isVisible()
            seen["error"] = dialog.error_label.text()  # type: ignore[attr-defined]
        finally:
            dialog.reject()  # type: ignore[attr-defined]

    QTimer.singleShot(0, act)
    return seen


def course_codes(db: Database) -> list[str]:
    with db.transaction(readonly=True) as s:
        return sorted(r.code for r in courses.catalogue(s))


@pytest.fixture
def page(
    vi_app: QApplication, qtbot: QtBot, two_courses: Database, prompter: AnsweringPrompter
) -> CoursesPage:
    page = CoursesPage(UiContext(two_courses, TaskRunner(), ui_settings(), "t", prompter))
    qtbot.addWidget(page)
    return page


def test_a_taken_code_keeps_thêm_khóa_học_open(
    qtbot: QtBot, page: CoursesPage, two_courses: Database, prompter: AnsweringPrompter
) -> None:
    def fill(d: QWidget) -> None:
        d.code_edit.setText("TH-2026-014")  # type: ignore[attr-defined]
        d.title_edit.setText("Tập huấn thanh toán số")  # type: ignore[attr-defined]

    seen = in_dialog(qtbot, fill)
    page.add_course()
    assert seen["visible"] is True
    assert "TH-2026-014" in str(seen["error"])
    assert seen["dialog"].title_edit.text() == "Tập huấn thanh toán số"  # type: ignore[attr-defined]
    assert prompter.warned == []
    assert course_codes(two_courses) == ["TH-2026-014", "TH-2026-015"]


def test_a_taken_code_keeps_sửa_khóa_học_open(
    qtbot: QtBot, page: CoursesPage, two_courses: Database, prompter: AnsweringPrompter
) -> None:
    page.select_course(page.model.rows[0].id)
    other = "TH-2026-015" if page.model.rows[0].code == "TH-2026-014" else "TH-2026-014"

    def fill(d: QWidget) -> None:
        assert d.windowTitle() == "Sửa khóa học"
        assert d.title_edit.cursorPosition() == 0  # type: ignore[attr-defined]
        d.code_edit.setText(other)  # type: ignore[attr-defined]

    seen = in_dialog(qtbot, fill)
    page.edit_course()
    assert seen["visible"] is True and other in str(seen["error"])
    assert prompter.warned == []
    assert course_codes(two_courses) == ["TH-2026-014", "TH-2026-015"]


def test_a_clash_without_a_reason_keeps_thêm_buổi_học_open(
    qtbot: QtBot, page: CoursesPage, two_courses: Database, prompter: AnsweringPrompter
) -> None:
    first = next(r for r in page.model.rows if r.code == "TH-2026-014")
    page.select_course(first.id)
    prompter.answer(None)  # asked why to save despite the clash: no reason

    def fill(d: QWidget) -> None:
        assert d.windowTitle() == "Thêm buổi học"
        d.day_edit.setText("03/11/2026")  # type: ignore[attr-defined]
        d.venue_combo.setCurrentIndex(1)  # type: ignore[attr-defined]

    seen = in_dialog(qtbot, fill)
    page.sessions_panel.add_session()
    assert [kind for kind, *_ in prompter.asked] == ["text"]
    assert seen["visible"] is True and seen["error"] == "Chưa lưu."
    with two_courses.transaction(readonly=True) as s:
        assert len(scheduling.course_sessions(s, first.id)) == 0
