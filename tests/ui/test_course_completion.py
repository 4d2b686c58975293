"""Issue 16: "Không có bài kiểm tra" in the course form saves no pass score, and finishing
a course on the Khóa học page says why people did not complete."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.services.courses import CourseForm
from models import AttendanceStatus, Certificate, Course, CourseStatus, Enrolment, EnrolmentStatus
from tests.app import world
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.dialogs.course_dialog import CourseDialog
from ui.pages.courses_page import CoursesPage
from ui.settings import ui_settings
from ui.workers import TaskRunner

PRESENT = AttendanceStatus.PRESENT
ABSENT = AttendanceStatus.ABSENT


def test_no_test_in_the_course_form_saves_no_pass_score(
    vi_app: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    initial = CourseForm("TH-2026-031", "Tập huấn VNeID", date(2026, 3, 2), date(2026, 3, 4))
    dlg = CourseDialog(initial, [], [])
    qtbot.addWidget(dlg)
    assert not dlg.no_test_check.isChecked() and dlg.pass_spin.isEnabled()
    dlg.no_test_check.setChecked(True)
    assert not dlg.pass_spin.isEnabled()
    dlg.show()
    dlg.grab().save(str(tmp_path / "khoa-hoc-khong-kiem-tra.png"))
    dlg._accept()
    assert dlg.result_form is not None and dlg.result_form.pass_score is None
    # A course saved without a test opens with the box ticked: editing keeps it so.
    again = CourseDialog(dlg.result_form, [], [])
    qtbot.addWidget(again)
    assert again.no_test_check.isChecked() and not again.pass_spin.isEnabled()
    again.no_test_check.setChecked(False)
    again.pass_spin.setValue(6.5)
    again._accept()
    assert again.result_form is not None and again.result_form.pass_score == 6.5


def test_finishing_on_the_courses_page_says_why_nobody_completed(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, prompter: AnsweringPrompter
) -> None:
    with sqlite_db.transaction() as s:
        w = world.build(s)
        s.get_one(Course, w.course).pass_score = 5.0
        for name in ("Nguyễn Thị Hà", "Trần Văn Bình", "Lê Văn An"):
            world.enrol(s, w, world.person(s, name), [PRESENT, PRESENT, PRESENT])
    page = CoursesPage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "t", prompter))
    qtbot.addWidget(page)
    page.select_course(w.course)
    page.change_status("finished")
    said = [text for kind, title, text in prompter.shown if title == "Kết thúc khóa học"]
    assert len(said) == 1, prompter.shown
    assert "0 hoàn thành, 3 chưa hoàn thành" in said[0]
    assert "Chưa hoàn thành vì: 3 người chưa có điểm cuối khóa." in said[0]


def _results(db: Database, course_id: int) -> tuple[str, dict[int, str], list[str]]:
    with db.transaction(readonly=True) as s:
        found = s.execute(select(Enrolment.id, Enrolment.status)
                          .where(Enrolment.course_id == course_id))  # fmt: skip
        certs = s.scalars(select(Certificate.status).order_by(Certificate.id))
        return (
            s.get_one(Course, course_id).status.value,
            {e_id: status.value for e_id, status in found},
            [c.value for c in certs],
        )


def test_finishing_on_the_courses_page_refuses_to_leave_a_certificate_in_force(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, prompter: AnsweringPrompter
) -> None:
    """Hà, certified, later marked absent at two sessions of three: finishing again is
    refused with her serial and what to do, and changes nothing."""
    with sqlite_db.transaction() as s:
        w = world.build(s)
        course = s.get_one(Course, w.course)
        ha = world.enrol(s, w, world.person(s, "Nguyễn Thị Hà"), [PRESENT, ABSENT, ABSENT])
        binh = world.enrol(s, w, world.person(s, "Trần Văn Bình"), [PRESENT, PRESENT, PRESENT])
        for e_id in (ha, binh):
            s.get_one(Enrolment, e_id).status = EnrolmentStatus.COMPLETED
            world.certificate(s, e_id, date(2024, 3, 8), f"00{e_id}/2024/GCN")
        course.status = CourseStatus.FINISHED
    before = _results(sqlite_db, w.course)
    page = CoursesPage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "t", prompter))
    qtbot.addWidget(page)
    page.select_course(w.course)
    page.change_status("finished")
    assert len(prompter.warned) == 1, prompter.shown
    said = prompter.warned[0]
    assert f"giấy chứng nhận số 00{ha}/2024/GCN của Nguyễn Thị Hà (dự dưới 80% số buổi)" in said
    assert "Trần Văn Bình" not in said
    assert f"certificates revoke 00{ha}/2024/GCN --reason …" in said
    assert "hoặc sửa lại điểm danh/điểm" in said
    assert _results(sqlite_db, w.course) == before
