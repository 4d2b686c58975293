"""Tổng quan, driven as the head of department would: the window opens on it, each part
shows what the database holds, each line opens what it names, a write elsewhere refreshes
it, empty parts say what to do next; its targets are set on Cài đặt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.services import attendance, settings
from models import CourseStatus, EnrolmentStatus, Unit, UnitLevel
from tests.app import world
from tests.ui.prompts import AnsweringPrompter
from ui.changes import ATTENDANCE, SETTINGS
from ui.launcher import page_slug
from ui.main_window import MainWindow
from ui.pages.attendance_page import AttendancePage
from ui.pages.certificates_page import CertificatesPage
from ui.pages.courses_page import CoursesPage
from ui.pages.overview_page import OverviewPage
from ui.pages.settings_page import SettingsPage
from ui.widgets.link_list import LinkList


@dataclass
class Ids:
    running: int
    unmarked: int
    finished: int
    short: int


def _build(db: Database) -> Ids:
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    with db.transaction() as s:
        commune = s.scalar(select(Unit.id).where(Unit.level == UnitLevel.COMMUNE).limit(1))
        an, binh = world.person(s, "Nguyễn Văn An"), world.person(s, "Trần Thị Bình")
        world.team_member(s, world.team(s, commune), an)
        running = world.course(s, "TH-NAY-01", today - timedelta(days=20), today + timedelta(days=20),
                               CourseStatus.RUNNING)  # fmt: skip
        held = max(today - timedelta(days=10), date(today.year, 1, 1))  # this year's figures
        unmarked = world.session(s, running, datetime.combine(held, datetime.min.time()),
                                 hours=0.5)  # fmt: skip
        world.session(s, running, datetime.combine(today, datetime.min.time()).replace(hour=23))
        world.session(s, running, datetime.combine(monday + timedelta(days=8),
                                                   datetime.min.time()).replace(hour=13))  # fmt: skip
        world.enrolment(s, running, an)
        world.enrolment(s, running, binh)
        finished = world.course(s, "TH-XONG-02", today - timedelta(days=60),
                                today - timedelta(days=58), CourseStatus.FINISHED)  # fmt: skip
        world.enrolment(s, finished, an, EnrolmentStatus.COMPLETED)
        old = world.course(s, "TH-CU-05", today - timedelta(days=200),
                           today - timedelta(days=199), CourseStatus.FINISHED)  # fmt: skip
        world.enrolment(s, old, an, EnrolmentStatus.COMPLETED)
        short = world.course(s, "TH-SAP-03", today + timedelta(days=3), today + timedelta(days=4),
                             min_enrolment=5)  # fmt: skip
        world.enrolment(s, short, binh)
        settings.set_value(s, "target_people_trained", "40")
    return Ids(running, unmarked, finished, short)


def _overview(window: MainWindow, qtbot: QtBot) -> OverviewPage:
    page = window.lazy["tong-quan"].ensure()
    assert isinstance(page, OverviewPage)
    qtbot.waitUntil(lambda: page.data is not None and not window.runner.busy())
    return page


def _click(qtbot: QtBot, lst: LinkList, row: int) -> None:
    table = lst.table
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_window_opens_on_the_overview_first_in_the_navigation(
    make_window: Callable[[], MainWindow],
) -> None:
    window = make_window()
    assert window.current_page().slug == "tong-quan"
    assert window.nav.item(0).text().startswith("Tổng quan")
    assert window.page_actions["tong-quan"].shortcut().toString() == "Ctrl+0"
    assert window.page_actions["hoc-vien"].shortcut().toString() == "Ctrl+1"  # kept
    assert window.page_actions["khoa-hoc"].shortcut().toString() == "Ctrl+3"
    assert page_slug("tong-quan") == page_slug("Tổng quan") == "tong-quan"


def test_each_part_shows_the_database_and_opens_what_it_names(
    make_window: Callable[[], MainWindow], qtbot: QtBot, seeded_db: Database
) -> None:
    ids = _build(seeded_db)
    window = make_window()
    window.show()
    page = _overview(window, qtbot)
    this_week = page.this_week.texts()
    assert [row[2] for row in this_week] == ["TH-NAY-01 – Kỹ năng số TH-NAY-01"]
    assert this_week[0][1] == "23:00–02:30" and this_week[0][5] == "2"
    assert len(page.next_week.texts()) == 1
    unmarked = page.unmarked.texts()
    assert [row[2] for row in unmarked] == ["TH-NAY-01 – Kỹ năng số TH-NAY-01"]
    assert page.boxes["unmarked"].title() == "Buổi đã học chưa điểm danh – 1 buổi"
    assert page.short.texts() == [
        ["TH-SAP-03 – Kỹ năng số TH-SAP-03", f"{date.today() + timedelta(days=3):%d/%m/%Y}",
         "1 / 5"]]  # fmt: skip
    assert page.uncertified.texts()[0][2] == "1 người"
    assert len(page.uncertified.texts()) == 1  # TH-CU-05 ended before the 90 days: counted
    since = f"{date.today() - timedelta(days=90):%d/%m/%Y}"
    assert page.uncertified.more.text() == (
        f"Ngoài ra 1 khóa kết thúc trước {since} còn người chưa có giấy (trang Chứng nhận)."
    )
    assert page.people_bar.text.text() == "0 / 40 người (0,0% chỉ tiêu)"
    assert page.people_bar.bar.isVisibleTo(page)
    assert page.cert_bar.text.text() == "0 giấy" and not page.cert_bar.bar.isVisibleTo(page)
    assert page.no_targets.isVisibleTo(page)
    assert page.share_bars["commune"].text.text().startswith("0,0% (0 / 1 thành viên)")

    _click(qtbot, page.unmarked, 0)
    assert window.current_page().slug == "diem-danh"
    grid = window.lazy["diem-danh"].ensure()
    assert isinstance(grid, AttendancePage) and grid.course_combo.course_id() == ids.running
    assert grid.model is not None
    assert grid.model.session_at(grid.table.currentIndex().column()) == ids.unmarked

    window.show_page("tong-quan")
    _click(qtbot, page.short, 0)
    assert window.current_page().slug == "khoa-hoc"
    courses = window.lazy["khoa-hoc"].ensure()
    assert isinstance(courses, CoursesPage) and courses.current_course() == ids.short

    # A course the Khóa học filters hide is shown all the same.
    courses.status_combo.setCurrentIndex(courses.status_combo.findData("cancelled"))
    window.show_page("tong-quan")
    _click(qtbot, page.short, 0)
    assert courses.current_course() == ids.short

    window.show_page("tong-quan")
    _click(qtbot, page.uncertified, 0)
    assert window.current_page().slug == "chung-nhan"
    certificates = window.lazy["chung-nhan"].ensure()
    assert isinstance(certificates, CertificatesPage)
    assert certificates.course_combo.course_id() == ids.finished


def test_a_write_elsewhere_refreshes_the_overview(
    make_window: Callable[[], MainWindow], qtbot: QtBot, seeded_db: Database
) -> None:
    ids = _build(seeded_db)
    window = make_window()
    window.show()
    page = _overview(window, qtbot)
    assert len(page.unmarked.texts()) == 1
    # Attendance entered (by another page's op): the session leaves the list.
    window.ctx.op(None, lambda s: attendance.mark_all_present(s, ids.running, ids.unmarked),
                  {ATTENDANCE})  # fmt: skip
    qtbot.waitUntil(lambda: page.unmarked.texts() == [])
    assert page.unmarked.empty.isVisibleTo(page)
    qtbot.waitUntil(lambda: page.people_bar.text.text() == "2 / 40 người (5,0% chỉ tiêu)")
    window.ctx.op(None, lambda s: settings.set_value(s, "target_certificates", "1.000"),
                  {SETTINGS})  # fmt: skip
    qtbot.waitUntil(lambda: page.cert_bar.text.text() == "0 / 1.000 giấy (0,0% chỉ tiêu)")


def test_empty_parts_say_what_to_do_next(
    make_window: Callable[[], MainWindow], qtbot: QtBot
) -> None:
    window = make_window()
    window.show()
    page = _overview(window, qtbot)
    texts = [label.text() for label in page.findChildren(QLabel) if label.isVisibleTo(page)]
    said = "\n".join(texts)
    assert ("Chưa có buổi học nào trong tuần này — lập lịch ở trang Khóa học (Ctrl+3), "
            "thẻ Buổi học.") in texts  # fmt: skip
    assert "Chưa có buổi học nào trong tuần sau — lập lịch ở trang Khóa học (Ctrl+3)" in said
    assert "Mọi buổi đã học đều đã có điểm danh" in said
    assert "đều đủ số học viên tối thiểu" in said
    assert "cấp giấy ở trang Chứng nhận (Ctrl+6)" in said
    assert "thêm tổ và thành viên ở trang Tổ CNSCĐ (Ctrl+2)" in said
    assert page.people_bar.text.text() == "0 người"
    assert (f"Chưa đặt chỉ tiêu năm {date.today().year} cho các số liệu không có thanh tiến "
            "độ — người quản trị đặt ở trang Cài đặt (Ctrl+9).") in texts  # fmt: skip
    assert " 0 mục" not in said and not any(t.isVisibleTo(page) for t in
                                            (page.this_week.table, page.unmarked.table))  # fmt: skip
    titles = [box.title() for box in page.findChildren(QGroupBox)]
    assert f"Năm {date.today().year} so với chỉ tiêu" in titles


def test_targets_on_the_settings_page_saved_or_refused(
    qtbot: QtBot,
    seeded_db: Database,
    vi_app,
    qsettings,
    runner,  # type: ignore[no-untyped-def]
) -> None:
    from ui.context import UiContext

    prompter = AnsweringPrompter()
    ctx = UiContext(seeded_db, runner, qsettings, "admin", prompter)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    box = page.targets_box
    box.edits["target_people_trained"].setText("2.500")
    box.edits["target_share_hamlet"].setText("70")
    page.save()
    with seeded_db.transaction(readonly=True) as s:
        assert settings.get(s, "target_people_trained") == "2500"
        assert settings.get(s, "target_share_hamlet") == "70"
    assert box.edits["target_people_trained"].text() == "2500"

    box.edits["target_people_trained"].setText("3000")
    box.edits["target_share_commune"].setText("150")
    page.save()
    assert prompter.warned == [
        "Chỉ tiêu năm nay: tỷ lệ thành viên Tổ cấp xã được tập huấn (%): tỷ lệ phải từ 1 "
        "đến 100 %, không phải 150 %."
    ]
    with seeded_db.transaction(readonly=True) as s:  # nothing written, the good one neither
        assert settings.get(s, "target_people_trained") == "2500"
        assert settings.get(s, "target_share_commune") == ""
    assert box.edits["target_share_commune"].text() == "150"  # left as typed, to correct
