"""Pages never go stale: a write on one page shows on every page that displays it, without
F5. Driven through the main window as a user would, pages built by visiting them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialog
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import settings
from app.services.courses import CourseForm
from models import Enrolment, EnrolmentStatus
from tests.app import world
from tests.ui.prompts import AnsweringPrompter, saving
from ui.dialogs.course_dialog import CourseDialog
from ui.dialogs.issue_dialog import IssueDialog
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from ui.main_window import MainWindow
from ui.workers import TaskRunner

NEW = CourseForm("TH-2026-031", "Tập huấn thanh toán không dùng tiền mặt", date(2026, 12, 7),
                 date(2026, 12, 11))  # fmt: skip


@pytest.fixture
def course_done(sqlite_db: Database) -> Database:
    """One finished course whose three trainees completed it; settings filled in."""
    with sqlite_db.transaction() as s:
        w = world.build(s)
        for name in ("Nguyễn Thị Thanh Hà", "Lê Văn An", "Trần Thị Bích Ngọc"):
            eid = world.enrol(s, w, world.person(s, name, birth_date=date(1986, 5, 2)), [], post=9)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        for key, value in {
            "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "signer_name": "Nguyễn Văn Tâm",
            "serial_pattern": "{seq:04d}/GCN-SKHCN",
        }.items():
            settings.set_value(s, key, value)
    return sqlite_db


@pytest.fixture
def window(
    vi_app: QApplication,
    qtbot: QtBot,
    course_done: Database,
    qsettings: QSettings,
    prompter: AnsweringPrompter,
) -> Iterator[MainWindow]:
    runner = TaskRunner()
    w = MainWindow(course_done, runner, qsettings, prompter=prompter)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: "khóa học" in w.statusBar().currentMessage())
    yield w
    runner.wait()
    assert prompter.shown == []  # nothing refused on the way


def visit(window: MainWindow, slug: str):  # type: ignore[no-untyped-def]
    window.show_page(slug)
    return window.lazy[slug].ensure()


def codes(combo: QComboBox) -> list[str]:
    return [combo.itemText(i).split(" – ")[0] for i in range(combo.count())]


def test_a_course_added_on_khoa_hoc_is_in_the_other_pickers_at_once(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    attendance, certificates = visit(window, "diem-danh"), visit(window, "chung-nhan")
    assert "TH-2026-031" not in codes(attendance.course_combo)
    courses = visit(window, "khoa-hoc")
    monkeypatch.setattr(CourseDialog, "ask", saving(NEW))
    courses.add_course()
    window.show_page("diem-danh")  # no F5
    assert codes(attendance.course_combo)[0] == "TH-2026-031"  # the newest start first
    assert codes(attendance.course_combo)[1] == "TH-2024-001"
    window.show_page("chung-nhan")
    assert codes(certificates.course_combo)[1:] == ["TH-2026-031", "TH-2024-001"]


def test_a_visible_picker_follows_without_being_shown_again(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page on screen catches up at once (here the course list of Điểm danh, while the
    course is added from Khóa học's code, as another window of the program would)."""
    attendance = visit(window, "diem-danh")
    courses = window.lazy["khoa-hoc"].ensure()
    monkeypatch.setattr(CourseDialog, "ask", saving(NEW))
    courses.add_course()
    assert "TH-2026-031" in codes(attendance.course_combo)
    assert attendance.course_combo.course_id() is not None  # the chosen course stayed


def test_issuing_certificates_updates_the_khoa_hoc_column(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    courses = visit(window, "khoa-hoc")
    column = courses.model.columnCount() - 1
    assert courses.model.headerData(column, Qt.Orientation.Horizontal) == "Chứng nhận"
    assert courses.model.data(courses.model.index(0, column)) == ""
    page = visit(window, "chung-nhan")
    page.course_combo.setCurrentIndex(1)  # TH-2024-001
    monkeypatch.setattr(IssueDialog, "exec", lambda _d: QDialog.DialogCode.Accepted)
    previews: list[PdfPreviewDialog] = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda d: previews.append(d) or 0)
    page.issue_action.trigger()
    qtbot.waitUntil(lambda: bool(previews), timeout=10000)
    window.show_page("khoa-hoc")  # no F5
    assert courses.model.data(courses.model.index(0, column)) == "3"
