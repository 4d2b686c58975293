"""The Khóa học and Lịch pages, and the painted calendar."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import courses, scheduling
from app.services.courses import CourseForm
from app.services.scheduling import SessionForm, SessionRow
from models import Venue
from tests.app import world
from tests.ui.prompts import AnsweringPrompter, saving
from ui.context import UiContext
from ui.dialogs.course_dialog import CourseDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.pages.calendar_page import CalendarPage
from ui.pages.courses_page import CoursesPage
from ui.settings import ui_settings
from ui.widgets.calendar_view import CalendarView
from ui.workers import TaskRunner


@pytest.fixture
def planned(sqlite_db: Database) -> Database:
    with sqlite_db.transaction() as s:
        s.add(Venue(name="Hội trường UBND xã Đại Điền", capacity=80))
        s.flush()
        world.person(s, "Phạm Quốc Khánh", is_trainer=True)
        c = courses.create(
            s,
            CourseForm("TH-2026-014", "Tập huấn VNeID", date(2026, 11, 2), date(2026, 11, 27)),
        )
        scheduling.add_session(s, c.id, SessionForm(date(2026, 11, 3), time(7, 30), time(11, 0), 1))
    return sqlite_db


def test_course_dialog_checks_dates(vi_app: QApplication, qtbot: QtBot) -> None:
    dlg = CourseDialog(
        CourseForm("TH-2026-001", "", date(2026, 3, 2), date(2026, 3, 2)), [(1, "VNeID")], []
    )
    qtbot.addWidget(dlg)
    dlg.title_edit.setText("Tập huấn")
    dlg.end_edit.setText("01/03/2026")
    dlg._accept()
    assert dlg.result_form is None
    assert "Ngày kết thúc 01/03/2026 trước ngày bắt đầu 02/03/2026" in dlg.error_label.text()
    dlg.end_edit.setText("06/03/2026")
    dlg.topics.set_checked([1])
    assert dlg.validity_spin.text() == "không thời hạn"
    dlg._accept()
    assert dlg.result_form is not None and dlg.result_form.topic_ids == (1,)
    assert dlg.result_form.validity_months is None
    dlg.validity_spin.setValue(24)
    dlg._accept()
    assert dlg.result_form.validity_months == 24


def test_series_dialog_returns_a_pattern(vi_app: QApplication, qtbot: QtBot) -> None:
    dlg = SessionDialog(
        SessionForm(date(2026, 4, 23), time(13, 30), time(16, 30)), [], [], [], series=True
    )
    qtbot.addWidget(dlg)
    dlg.weekday_checks[4].setChecked(True)  # Friday, with Thursday from the date
    dlg.count_spin.setValue(4)
    dlg._accept()
    assert dlg.result_pattern is not None
    assert dlg.result_pattern.weekdays == frozenset({3, 4}) and dlg.result_pattern.count == 4


def test_courses_page_add_course_and_clashing_session(
    vi_app: QApplication,
    qtbot: QtBot,
    planned: Database,
    monkeypatch: pytest.MonkeyPatch,
    prompter: AnsweringPrompter,
) -> None:
    page = CoursesPage(UiContext(planned, TaskRunner(), ui_settings(), "t", prompter))
    qtbot.addWidget(page)
    assert page.model.rowCount() == 1 and page.sessions.rowCount() == 1
    new = CourseForm("TH-2026-015", "Tập huấn thanh toán số", date(2026, 11, 2), date(2026, 11, 27))
    monkeypatch.setattr(CourseDialog, "ask", saving(new))
    page.add_course()
    assert page.model.rowCount() == 2
    assert page.title_label.text().startswith("TH-2026-015")
    # The same hall at the same time: a clash; the user gives a reason and it is kept.
    clash = SessionForm(date(2026, 11, 3), time(8, 0), time(10, 0), 1)
    monkeypatch.setattr(SessionDialog, "ask", saving(clash))
    prompter.answer("Hai lớp học ghép")
    page.sessions_panel.add_session()
    (kind, title, label), *_ = prompter.asked
    assert (kind, title) == ("text", "Trùng lịch")
    assert "đã được khóa TH-2026-014 đặt lúc 07:30–11:00 ngày 03/11/2026" in label
    assert page.sessions.rowCount() == 1
    assert page.sessions.item(0, 5).text().startswith("Hai lớp học ghép")


def test_courses_page_refuses_delete_with_a_vietnamese_message(
    vi_app: QApplication, qtbot: QtBot, planned: Database, prompter: AnsweringPrompter
) -> None:
    page = CoursesPage(UiContext(planned, TaskRunner(), ui_settings(), "t", prompter))
    qtbot.addWidget(page)
    prompter.answer(True)
    page.delete_course()
    assert page.model.rowCount() == 0  # no attendance yet: it may go


def _row(sid: int, course: int, start: datetime, end: datetime) -> SessionRow:
    return SessionRow(
        sid,
        course,
        f"TH-2026-{course:03d}",
        "Khóa",
        None,
        start,
        end,
        None,
        "Hội trường",
        "in_person",
        None,
        (),
        "",
        "",
        None,
        1,
    )


def test_month_view_paints_and_hits(vi_app: QApplication, qtbot: QtBot) -> None:
    view = CalendarView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.anchor, view.today = date(2026, 11, 15), date(2026, 11, 28)
    view.set_items(
        [
            _row(i, i % 5, datetime(2026, 11, 3, 7, 30), datetime(2026, 11, 3, 11, 0))
            for i in range(1, 31)
        ]
    )
    image = view.grab()
    assert not image.isNull()
    assert view.title() == "Tháng 11/2026"
    assert len(view._hits) < 30  # a busy day shows what fits and "+N buổi nữa"
    rect, sid = view._hits[0]
    with qtbot.waitSignal(view.session_activated) as signal:
        qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert signal.args == [sid]


def test_week_view_drag_moves_to_the_snapped_time(vi_app: QApplication, qtbot: QtBot) -> None:
    view = CalendarView()
    qtbot.addWidget(view)
    view.mode = "week"
    view.resize(900, 700)
    view.anchor = date(2026, 11, 2)
    view.set_items([_row(7, 1, datetime(2026, 11, 3, 7, 30), datetime(2026, 11, 3, 11, 0))])
    view.grab()
    ((rect, _sid),) = view._hits
    _gutter, _top, col, hour = view._week_geometry()
    start = rect.center().toPoint()
    end = start + QPoint(int(col), int(hour * 2))  # one day later, two hours later
    with qtbot.waitSignal(view.session_moved) as signal:
        qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view, end)
        qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=end)
    assert signal.args == [7, datetime(2026, 11, 4, 9, 30)]


def test_calendar_page_moves_a_session_with_the_clash_check(
    vi_app: QApplication, qtbot: QtBot, planned: Database
) -> None:
    page = CalendarPage(UiContext(planned, TaskRunner(), ui_settings(), "t"))
    qtbot.addWidget(page)
    page.view.anchor = date(2026, 11, 3)
    page.set_mode("week")
    assert len(page.view.items) == 1
    sid = page.view.items[0].id
    page.move_session(sid, datetime(2026, 11, 5, 13, 30))
    with planned.transaction(readonly=True) as s:
        assert scheduling.session_row(s, sid).starts_at == datetime(2026, 11, 5, 13, 30)
    assert page.view.items[0].starts_at == datetime(2026, 11, 5, 13, 30)


def test_enrol_the_people_selected_on_the_people_page(
    vi_app: QApplication, qtbot: QtBot, planned: Database, prompter: AnsweringPrompter
) -> None:
    from app.services import enrolment
    from ui.pages.people_page import PeoplePage

    with planned.transaction() as s:
        for name in ("Nguyễn Thị Hà", "Trần Văn Bình"):
            world.person(s, name)
    page = PeoplePage(UiContext(planned, TaskRunner(), ui_settings(), "t", prompter))
    qtbot.addWidget(page)
    page.search_edit.setText("van binh")
    page.apply_filter()
    page.table.selectAll()
    prompter.answer("TH-2026-014 – Tập huấn VNeID (02/11/2026)")
    messages: list[str] = []
    page.status.connect(messages.append)
    page.enrol_action.trigger()
    assert messages == ["Ghi danh 1 người."]
    with planned.transaction(readonly=True) as s:
        course = courses.by_code(s, "TH-2026-014")
        assert [r.full_name for r in enrolment.roster(s, course.id)] == ["Trần Văn Bình"]


def test_calendar_exports_a_trainers_sessions(
    vi_app: QApplication, qtbot: QtBot, planned: Database, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    with planned.transaction() as s:
        x = scheduling.course_sessions(s, courses.by_code(s, "TH-2026-014").id)[0]
        form, version, _ = scheduling.form_of(s, x.id)
        scheduling.update_session(
            s, x.id, SessionForm(**{**form.__dict__, "trainer_ids": (1,)}), version
        )
    page = CalendarPage(UiContext(planned, TaskRunner(), ui_settings(), "t"))
    qtbot.addWidget(page)
    page.trainer_combo.setCurrentIndex(page.trainer_combo.findData(1))
    target = tmp_path / "lich.ics"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export_trainer_ics()
    text = target.read_text(encoding="utf-8")
    assert text.count("BEGIN:VEVENT") == 1 and "Lịch giảng: Phạm Quốc Khánh" in text


def test_people_filter_dialog_builds_the_filter(vi_app: QApplication, qtbot: QtBot) -> None:
    from ui.dialogs.people_filter_dialog import PeopleFilterDialog

    dlg = PeopleFilterDialog([(5, "Xã Đại Điền")], [(3, "Ứng dụng VNeID và định danh điện tử")])
    qtbot.addWidget(dlg)
    dlg.unit_combo.setCurrentIndex(1)
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("hamlet_head"))
    dlg.topic_combo.setCurrentIndex(1)
    f = dlg.collect()
    assert (f.unit_id, f.member_kind, f.not_topic_id) == (5, "hamlet_head", 3)


def test_course_actions_with_nothing_selected_say_to_choose_one(
    vi_app: QApplication, qtbot: QtBot, planned: Database, prompter: AnsweringPrompter
) -> None:
    page = CoursesPage(UiContext(planned, TaskRunner(), ui_settings(), "t", prompter))
    qtbot.addWidget(page)
    page.table.clearSelection()
    page.table.setCurrentIndex(page.model.index(-1, -1))
    assert page.current_course() is None
    page.edit_course()
    page.duplicate_course()
    page.change_status("running")
    page.delete_course()
    assert [(title, text) for _kind, title, text in prompter.shown] == [
        (title, "Hãy chọn một khóa học trong bảng.")
        for title in ("Sửa khóa học", "Nhân bản khóa học", "Chuyển trạng thái", "Xóa khóa học")
    ]
    assert page.model.rowCount() == 1
