"""The course form's certificate block (issue 16): the legal-basis line and the grade
bands, returned in the form, refused by the service with the dialog kept open."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import courses
from app.services.courses import CourseForm
from models import Course
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.dialogs.course_dialog import CourseDialog
from ui.pages.courses_page import CoursesPage
from ui.settings import ui_settings
from ui.workers import TaskRunner

FORM = CourseForm("TH-2026-001", "Tập huấn VNeID", date(2026, 3, 2), date(2026, 3, 6))
BASIS = "Căn cứ Quyết định số 123/QĐ-SKHCN ngày 20/02/2026 của Sở Khoa học và Công nghệ"


def test_the_block_returns_basis_and_bands(
    vi_app: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    dlg = CourseDialog(FORM, [], [])
    qtbot.addWidget(dlg)
    assert not dlg.grades_check.isChecked() and not dlg.excellent_spin.isEnabled()
    dlg._accept()
    assert dlg.result_form is not None
    assert (dlg.result_form.legal_basis, dlg.result_form.grade_excellent) == (None, None)
    dlg.basis_edit.setText(f"  {BASIS} ")
    dlg.grades_check.setChecked(True)
    assert dlg.excellent_spin.isEnabled() and dlg.good_spin.isEnabled()
    dlg.excellent_spin.setValue(8.5)
    dlg.good_spin.setValue(7)
    dlg.show()
    dlg.grab().save(str(tmp_path / "course-dialog.png"))
    dlg._accept()
    form = dlg.result_form
    assert (form.legal_basis, form.grade_excellent, form.grade_good) == (BASIS, 8.5, 7.0)
    again = CourseDialog(form, [], [])  # opened again on a saved course: as it was saved
    qtbot.addWidget(again)
    assert again.grades_check.isChecked() and again.basis_edit.text() == BASIS
    assert (again.excellent_spin.value(), again.good_spin.value()) == (8.5, 7.0)


def test_bad_bands_keep_the_dialog_open_saying_why(
    vi_app: QApplication,
    qtbot: QtBot,
    sqlite_db: Database,
    prompter: AnsweringPrompter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with sqlite_db.transaction() as s:
        row = courses.create(s, FORM)
    page = CoursesPage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "t", prompter))
    qtbot.addWidget(page)
    monkeypatch.setattr(page, "current_course", lambda: row.id)
    refusals: list[str | None] = []

    def ask(cls: type, *_args: Any, saver: Any = None, **_kw: Any) -> Any:
        bad = replace(FORM, grade_excellent=6.0, grade_good=7.0)
        refusals.append(saver(bad))  # Lưu with bad bands: refused, the dialog stays
        good = replace(FORM, grade_excellent=8.0, grade_good=6.5, legal_basis=BASIS)
        refusals.append(saver(good))  # corrected: saved
        return good

    monkeypatch.setattr(CourseDialog, "ask", classmethod(ask))
    page.edit_course()
    assert refusals[0] is not None and "Xếp loại: điểm từ mức Giỏi (6)" in refusals[0]
    assert refusals[1] is None
    with sqlite_db.transaction(readonly=True) as s:
        course = s.get_one(Course, row.id)
        assert (course.grade_excellent, course.grade_good, course.legal_basis) == (8.0, 6.5, BASIS)
