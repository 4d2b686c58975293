"""Empty lists say what to do next, with the real shortcut of the real action; Điểm danh
says when sessions counted as held have no attendance, and an ongoing course's result
reads "Đang học"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta

from PySide6.QtWidgets import QApplication, QLabel, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import attendance, courses, enrolment, scheduling
from app.services.courses import CourseForm
from app.services.scheduling import SessionForm
from tests.app import world
from ui.context import UiContext
from ui.itemmodels.attendance_grid_model import AttendanceGridModel
from ui.main_window import MainWindow
from ui.pages.attendance_page import AttendancePage
from ui.pages.courses_page import CoursesPage
from ui.settings import ui_settings
from ui.workers import TaskRunner


def empty_text(view: QWidget) -> str | None:
    labels = [w for w in view.findChildren(QLabel, "emptyState") if w.isVisible()]
    return labels[0].text() if labels else None


def shortcut(window: MainWindow, slug: str, text: str) -> str:
    page = window.pages[slug]
    page = page.ensure() if hasattr(page, "ensure") else page
    action = next(a for a in page.actions() + page.toolbar.actions() if a.text() == text)
    return action.shortcut().toString()


def test_every_empty_list_says_what_to_do_next(
    make_window: Callable[[], MainWindow], qtbot: QtBot
) -> None:
    window = make_window()
    window.resize(1280, 800)
    window.show()
    window.show_page("hoc-vien")
    people = window.pages["hoc-vien"]
    qtbot.waitUntil(lambda: empty_text(people.table) is not None)
    assert shortcut(window, "hoc-vien", "Thêm") == "Ctrl+N"
    assert shortcut(window, "hoc-vien", "Nhập Excel…") == "Ctrl+I"
    assert empty_text(people.table) == (
        "Chưa có học viên nào. Bấm Thêm (Ctrl+N) để nhập từng người, hoặc Nhập Excel… "
        "(Ctrl+I) để nhập cả danh sách."
    )
    people.search_edit.setText("khong ai")
    people.apply_filter()
    qtbot.waitUntil(lambda: "Không có ai khớp" in (empty_text(people.table) or ""))

    window.show_page("chung-nhan")
    certificates = window.pages["chung-nhan"].ensure()
    assert shortcut(window, "chung-nhan", "Cấp giấy chứng nhận…") == "Ctrl+N"
    qtbot.waitUntil(lambda: empty_text(certificates.table) is not None)
    assert empty_text(certificates.table) == (
        "Chưa cấp giấy chứng nhận nào. Chọn khóa học đã kết thúc rồi bấm Cấp giấy chứng "
        "nhận (Ctrl+N)."
    )
    certificates.search.setText("khong ai")  # a search that finds nothing says so
    qtbot.waitUntil(
        lambda: (empty_text(certificates.table) or "").startswith(
            "Không có giấy chứng nhận nào khớp với ô tìm kiếm"
        )
    )

    window.show_page("khoa-hoc")
    page = window.pages["khoa-hoc"].ensure()
    assert shortcut(window, "khoa-hoc", "Thêm khóa học") == "Ctrl+N"
    qtbot.waitUntil(lambda: empty_text(page.table) is not None)
    assert empty_text(page.table) == (
        "Chưa có khóa học nào. Bấm Thêm khóa học (Ctrl+N) để lên kế hoạch khóa đầu tiên."
    )

    window.show_page("to-cnscd")
    teams = window.teams_page
    qtbot.waitUntil(lambda: empty_text(teams.tree) is not None)
    assert "Bấm Thêm tổ…" in empty_text(teams.tree)

    window.show_page("diem-danh")
    marks = window.pages["diem-danh"].ensure()
    assert window.page_actions["khoa-hoc"].shortcut().toString() == "Ctrl+3"
    qtbot.waitUntil(lambda: empty_text(marks.table) is not None)
    assert empty_text(marks.table) == (
        "Chưa có khóa học nào để điểm danh. Thêm khóa học ở trang Khóa học (Ctrl+3)."
    )


def test_attendance_warns_of_held_sessions_without_marks_and_says_dang_hoc(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database
) -> None:
    today = date.today()
    with sqlite_db.transaction() as s:
        people = [world.person(s, n) for n in ("Nguyễn Thị Hà", "Trần Văn Bình")]
        c = courses.create(
            s,
            CourseForm(
                "TH-2026-040",
                "Tập huấn VNeID",
                today - timedelta(days=9),
                today + timedelta(days=9),
            ),
        )
        for d in (-9, -2, 5):  # two sessions past, one to come
            scheduling.add_session(
                s, c.id, SessionForm(today + timedelta(days=d), time(7, 30), time(11, 0))
            )
        enrolment.enrol(s, c.id, people)
        g = attendance.grid(s, c.id)
        ha = next(r for r in g.rows if r.full_name == "Nguyễn Thị Hà")
        attendance.mark(s, c.id, g.sessions[0].id, ha.enrolment_id, "present")
    page = AttendancePage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "gv"))
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    qtbot.waitUntil(lambda: page.model is not None)
    second = today - timedelta(days=2)
    assert page.unmarked.isVisible()
    assert page.unmarked.text().startswith(f"Chưa điểm danh buổi 2 ({second:%d/%m/%Y}): ")
    assert "buổi 1" not in page.unmarked.text()  # marked
    assert "buổi 3" not in page.unmarked.text()  # still to come
    model: AttendanceGridModel = page.model
    result = model.columnCount() - 1
    assert model.extra(result) == "result"
    # Hà came once of three, Bình never: with a session to come, neither has failed yet.
    assert {model.index(r, result).data() for r in range(2)} == {"Đang học"}
    assert empty_text(page.table) is None


def test_course_tabs_say_what_to_do_for_the_chosen_course(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database
) -> None:
    today = date.today()
    with sqlite_db.transaction() as s:
        full = courses.create(
            s, CourseForm("TH-2026-041", "Chữ ký số", today, today + timedelta(days=9))
        )
        scheduling.add_session(s, full.id, SessionForm(today, time(7, 30), time(11, 0)))
        w = world.build(s)  # the roster shows "Ấp Thạnh Hòa, Xã Tân Phong"-like units whole
        ha = world.person(s, "Nguyễn Thị Hà", unit_id=w.hamlet)
        enrolment.enrol(s, full.id, [ha])
        bare = courses.create(
            s, CourseForm("TH-2026-042", "Dịch vụ công", today, today + timedelta(days=9))
        )
    page = CoursesPage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "t"))
    qtbot.addWidget(page)
    page.resize(1280, 700)
    page.show()
    sessions, roster = page.sessions_panel.table, page.roster_panel.table
    page.select_course(full.id)
    qtbot.waitUntil(lambda: sessions.rowCount() == 1 and roster.rowCount() == 1)
    assert empty_text(sessions) is None and empty_text(roster) is None
    unit = roster.item(0, 3).text()
    assert "Ấp" in unit
    assert roster.columnWidth(3) >= roster.fontMetrics().horizontalAdvance(unit)
    page.select_course(bare.id)
    qtbot.waitUntil(lambda: empty_text(sessions) is not None)
    assert empty_text(sessions) == (
        "Khóa này chưa có buổi học. Bấm Thêm buổi… hoặc Thêm chuỗi buổi… ở trên."
    )
    page.findChild(QTabWidget).setCurrentWidget(page.roster_panel)
    qtbot.waitUntil(lambda: empty_text(roster) is not None)
    assert empty_text(roster) == (
        "Chưa ai ghi danh vào khóa này. Bấm Ghi danh… để chọn người, hoặc Cả tổ…"
    )
    # The title column of the sessions takes the room, whole titles in the others.
    header = sessions.horizontalHeader()
    assert header.sectionSize(4) >= 200


def test_an_empty_log_says_what_fills_it(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database
) -> None:
    from ui.pages.audit_page import AuditPage

    page = AuditPage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "t"))
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    page.reload()
    qtbot.waitUntil(lambda: page.table.rowCount() == 0 and empty_text(page.table) is not None)
    assert empty_text(page.table).startswith("Nhật ký chưa có mục nào.")
