"""Điểm danh's "Đọc bảng ký tên đã quét…": a sheet printed by the program, signed and
scanned, read in the worker, reviewed from the keyboard, and written in one transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.services import attendance, courses, enrolment, scheduling
from app.services.courses import CourseForm
from app.services.scheduling import SessionForm
from models import Attendance, AuditEntry
from tests.app import world
from tests.ui.prompts import AnsweringPrompter
from tests.ui.scan_helpers import foreign_page, print_and_sign
from ui.context import UiContext
from ui.dialogs.person_picker_dialog import PersonPickerDialog
from ui.dialogs.scan_review_dialog import ScanReviewDialog
from ui.itemmodels.scan_review_model import NAME, OVERWRITE, UNSURE_BG
from ui.pages.attendance_page import AttendancePage
from ui.workers import TaskRunner

# Printed in this order (by given name): rows 1 An, 2 Bình, 3 Hà, 4 Mai, 5 Tuấn; 6, 7 blank.
NAMES = ("Nguyễn Thị Hà", "Trần Văn Bình", "Lê Văn An", "Võ Thị Mai", "Phạm Minh Tuấn")
READING = 30_000  # ms: a page takes about a second to read on the test machine


@pytest.fixture
def course_db(sqlite_db: Database) -> Database:
    with sqlite_db.transaction() as s:
        people = [world.person(s, n) for n in NAMES]
        c = courses.create(
            s, CourseForm("TH-2026-031", "Tập huấn VNeID", date(2026, 3, 2), date(2026, 3, 6))
        )
        for d in (2, 3):
            scheduling.add_session(s, c.id, SessionForm(date(2026, 3, d), time(7, 30), time(11, 0)))
        enrolment.enrol(s, c.id, people)
    return sqlite_db


@pytest.fixture
def page(
    vi_app: QApplication,
    qtbot: QtBot,
    course_db: Database,
    prompter: AnsweringPrompter,
    runner: TaskRunner,
    qsettings,  # type: ignore[no-untyped-def]
) -> AttendancePage:
    p = AttendancePage(UiContext(course_db, runner, qsettings, "gv", prompter))
    qtbot.addWidget(p)
    p.resize(1100, 600)
    p.show()
    return p


def course_id(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return courses.by_code(s, "TH-2026-031").id


def first_session(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return attendance.grid(s, course_id(db)).sessions[0].id


def mark_by_hand(db: Database, name: str, status: str) -> None:
    cid, sid = course_id(db), first_session(db)
    with db.transaction() as s:
        row = next(r for r in attendance.grid(s, cid).rows if r.full_name == name)
        attendance.mark(s, cid, sid, row.enrolment_id, status)


def marks(db: Database) -> dict[str, tuple[str, str]]:
    """Session 1's marks: name -> (status, method)."""
    cid, sid = course_id(db), first_session(db)
    with db.transaction(readonly=True) as s:
        names = {r.enrolment_id: r.full_name for r in attendance.grid(s, cid).rows}
        rows = s.scalars(select(Attendance).where(Attendance.session_id == sid)).all()
        return {names[a.enrolment_id]: (str(a.status), str(a.method)) for a in rows}


def scan_audit(db: Database) -> list[str]:
    with db.transaction(readonly=True) as s:
        q = select(AuditEntry.note).where(AuditEntry.action == "attendance.scan")
        return [n or "" for n in s.scalars(q)]


def reviewing(
    monkeypatch: pytest.MonkeyPatch, drive: Callable[[ScanReviewDialog], None]
) -> list[ScanReviewDialog]:
    """The review dialog shown for real and driven by `drive` instead of waiting for a
    person; the dialogs opened are collected."""
    opened: list[ScanReviewDialog] = []

    def exec_(dialog: ScanReviewDialog) -> int:
        opened.append(dialog)
        dialog.show()
        drive(dialog)
        return dialog.result()

    monkeypatch.setattr(ScanReviewDialog, "exec", exec_)
    return opened


def messages(page: AttendancePage) -> list[str]:
    said: list[str] = []
    page.status.connect(said.append)
    return said


def test_review_from_the_keyboard_writes_what_was_decided(
    page: AttendancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = page.db
    mark_by_hand(db, "Võ Thị Mai", "present")  # her cell is empty on paper: a conflict
    mark_by_hand(db, "Phạm Minh Tuấn", "absent")  # he signed: a conflict left alone
    scans = print_and_sign(db, course_id(db), 1, tmp_path, signed={1, 3, 5},
                           unsure=frozenset({2}), walk_in_names=frozenset({6}))  # fmt: skip
    asked: list[tuple[str, str]] = []

    def choose(parent, title, folder, filters, options):  # type: ignore[no-untyped-def]
        asked.append((title, filters))
        assert options & QFileDialog.Option.DontUseNativeDialog  # Qt's: in Vietnamese
        return [str(p) for p in scans], filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", choose)
    seen: dict[str, object] = {}

    def drive(d: ScanReviewDialog) -> None:
        m, table = d.model, d.table
        seen["order"] = [m.rows[r].proposal.full_name for r in range(m.rowCount())]
        seen["unsure_bg"] = m.data(m.index(0, NAME), Qt.ItemDataRole.BackgroundRole)
        seen["walk_ins"] = [d.walk_ins.item(i).text() for i in range(d.walk_ins.count())]
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_F)  # Bình, uncertain: F makes it Có mặt
        assert table.currentIndex().row() == 0
        qtbot.keyClick(table, Qt.Key.Key_Down)
        assert m.rows[1].conflict and not m.rows[1].writes
        qtbot.keyClick(table, Qt.Key.Key_G)  # Mai: Ghi đè ticked, Vắng replaces Có mặt
        seen["tick"] = m.data(m.index(1, OVERWRITE), Qt.ItemDataRole.CheckStateRole)
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.keyClick(table, Qt.Key.Key_Space)  # Tuấn: the proposal, but no tick: left
        qtbot.keyClick(table, Qt.Key.Key_Return)  # An: the proposal (Có mặt), moves down
        assert d.isVisible()  # Enter on the grid is not Ghi
        assert table.currentIndex().row() == 4
        qtbot.keyClick(table, Qt.Key.Key_0)  # Hà: Vắng after all
        seen["summary"] = d.summary.text()
        d.ok_button.click()

    opened = reviewing(monkeypatch, drive)
    said = messages(page)
    touched: list[frozenset[str]] = []
    page.ctx.bus.changed.connect(lambda kinds, _origin: touched.append(kinds))
    assert page.scan_action.shortcut().toString() == "Ctrl+Shift+O"
    assert "PDF" in page.scan_action.toolTip()
    page.scan_action.trigger()
    qtbot.waitUntil(lambda: any(m.startswith("Đã ghi") for m in said), timeout=READING)

    assert asked == [("Đọc bảng ký tên đã quét", asked[0][1])] and "*.pdf" in asked[0][1]
    assert len(opened) == 1
    assert seen["order"] == ["Trần Văn Bình", "Võ Thị Mai", "Phạm Minh Tuấn", "Lê Văn An",
                             "Nguyễn Thị Hà"]  # fmt: skip
    assert seen["unsure_bg"] == UNSURE_BG
    assert seen["tick"] == Qt.CheckState.Checked
    assert len(seen["walk_ins"]) == 1 and "dòng 6: chưa ghép" in seen["walk_ins"][0]  # type: ignore[arg-type]
    assert seen["summary"] == (
        "Khi bấm Ghi: ghi 4 điểm danh, để lại 1 ô (trong đó 1 ô khác điểm danh đã ghi, "
        "chưa tích “Ghi đè”); thêm 0/1 người đến lớp."
    )
    assert "Đã ghi 4 điểm danh; để lại 1 ô." in said
    assert marks(db) == {
        "Trần Văn Bình": ("present", "scan"),
        "Võ Thị Mai": ("absent", "scan"),
        "Phạm Minh Tuấn": ("absent", "manual"),  # entered by hand, not overwritten
        "Lê Văn An": ("present", "scan"),
        "Nguyễn Thị Hà": ("absent", "scan"),
    }
    audit = scan_audit(db)
    assert audit == [f"4 điểm danh đọc từ {scans[0]}, trang 1"]
    assert any("attendance" in kinds for kinds in touched)  # other pages are told
    grid = page.model
    assert grid is not None  # the page shows what was written
    row = next(r for r in grid.grid.rows if r.full_name == "Lê Văn An")
    assert row.marks[first_session(db)].status == "present"


def test_names_written_on_blank_rows_are_added_as_walk_ins(
    page: AttendancePage,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    prompter: AnsweringPrompter,
) -> None:
    db = page.db
    with db.transaction() as s:
        khoa = world.person(s, "Đỗ Văn Khoa")  # on file, not in the course
    scans = print_and_sign(db, course_id(db), 1, tmp_path, signed={1, 2, 3, 4, 5},
                           walk_in_names=frozenset({6, 7}), blank_rows=3)  # fmt: skip
    prompter.answer("Phạm Thị Lan", "0912 345 678")  # "Thêm người mới…" asks as the page does
    monkeypatch.setattr(
        PersonPickerDialog, "ask", classmethod(lambda cls, *a, **k: [(khoa, "Đỗ Văn Khoa")])
    )
    shown: list[list[str]] = []

    def drive(d: ScanReviewDialog) -> None:
        items = d.walk_ins
        assert items.count() == 2  # row 8 was left blank: not listed
        items.setCurrentRow(0)
        d.new_button.click()
        items.setCurrentRow(1)
        d.match_button.click()
        shown.append([items.item(i).text() for i in range(items.count())])
        d.ok_button.click()

    reviewing(monkeypatch, drive)
    said = messages(page)
    page.review_scans(scans)
    qtbot.waitUntil(lambda: any(m.startswith("Đã ghi") for m in said), timeout=READING)
    name = scans[0].name
    assert shown == [
        [
            f"{name}, trang 1, dòng 6: Phạm Thị Lan (người mới); ô Ký tên trống",
            f"{name}, trang 1, dòng 7: Đỗ Văn Khoa (đã có trong dữ liệu); ô Ký tên trống",
        ]
    ]  # fmt: skip  (the names were written, not signed: the user sees it)
    assert "Đã ghi 5 điểm danh; để lại 0 ô; thêm 2 người đến lớp." in said
    got = marks(db)
    assert got["Phạm Thị Lan"] == ("present", "scan")
    assert got["Đỗ Văn Khoa"] == ("present", "scan")
    with db.transaction(readonly=True) as s:
        roster = {r.full_name: r for r in enrolment.roster(s, course_id(db))}
    assert (
        roster["Phạm Thị Lan"].source == "walk-in" and roster["Phạm Thị Lan"].phone == "0912345678"
    )
    assert roster["Đỗ Văn Khoa"].source == "walk-in" and roster["Đỗ Văn Khoa"].person_id == khoa
    assert sorted(scan_audit(db)) == sorted([
        f"5 điểm danh đọc từ {scans[0]}, trang 1",
        f"Phạm Thị Lan: người đến lớp, tên viết tay ở {name}, trang 1, dòng 6",
        f"Đỗ Văn Khoa: người đến lớp, tên viết tay ở {name}, trang 1, dòng 7",
    ])  # fmt: skip


def test_cancel_writes_nothing(
    page: AttendancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = page.db
    scans = print_and_sign(db, course_id(db), 1, tmp_path, signed={1, 2, 3})

    def drive(d: ScanReviewDialog) -> None:
        d.table.setFocus()
        qtbot.keyClick(d.table, Qt.Key.Key_Space)
        qtbot.keyClick(d.table, Qt.Key.Key_1)
        d.cancel_button.click()

    opened = reviewing(monkeypatch, drive)
    said = messages(page)
    page.review_scans(scans)
    qtbot.waitUntil(lambda: bool(opened) and bool(said[1:]), timeout=READING)
    assert opened[0].result() == QDialog.DialogCode.Rejected
    assert said[-1] == "Đã đóng bảng xem lại: chưa ghi gì."
    assert marks(db) == {}
    assert scan_audit(db) == []


def test_a_page_not_ours_is_listed_with_its_reason(
    page: AttendancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = page.db
    scans = print_and_sign(db, course_id(db), 1, tmp_path, signed={1})
    other = foreign_page(tmp_path)
    listed: list[list[str]] = []

    def drive(d: ScanReviewDialog) -> None:
        listed.append([d.pages.item(i).text() for i in range(d.pages.count())])
        d.cancel_button.click()

    reviewing(monkeypatch, drive)
    page.review_scans([other, *scans])
    qtbot.waitUntil(lambda: bool(listed), timeout=READING)
    assert listed[0] == [
        "hoa-don.jpg, trang 1: bỏ qua, không đọc được mã QR của trang (không phải bảng ký tên "
        "TapHuan, ảnh mờ hoặc bị cắt góc)",
        f"{scans[0].name}, trang 1: TH-2026-031, buổi 1, trang 1/1",
    ]


def test_no_page_of_ours_says_why_and_writes_nothing(
    page: AttendancePage,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    prompter: AnsweringPrompter,
) -> None:
    opened = reviewing(monkeypatch, lambda d: None)
    page.review_scans([foreign_page(tmp_path)])
    qtbot.waitUntil(lambda: bool(prompter.warned), timeout=READING)
    assert prompter.warned[0].startswith("Không đọc được trang bảng ký tên nào. Chưa ghi gì.")
    assert "hoa-don.jpg, trang 1: không đọc được mã QR" in prompter.warned[0]
    assert opened == []
    assert marks(page.db) == {}


def test_cancelling_the_reading_opens_no_review(
    page: AttendancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db = page.db
    scans = print_and_sign(db, course_id(db), 1, tmp_path, signed={1, 2})
    opened = reviewing(monkeypatch, lambda d: d.ok_button.click())
    said = messages(page)
    hold = threading.Event()
    page.runner.start(lambda _t: hold.wait(10), lambda _r: None)  # the worker busy first
    page.review_scans(scans)
    page.scan_progress.findChild(QPushButton).click()  # Hủy before the reading starts
    hold.set()
    qtbot.waitUntil(lambda: "Đã hủy đọc bảng ký tên: chưa ghi gì." in said, timeout=READING)
    assert opened == []
    assert marks(db) == {}


def test_a_refused_write_keeps_the_review_open_and_writes_nothing(
    page: AttendancePage,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    prompter: AnsweringPrompter,
) -> None:
    db = page.db
    scans = print_and_sign(db, course_id(db), 1, tmp_path, signed={1, 2},
                           walk_in_names=frozenset({6}))  # fmt: skip
    prompter.answer("Phạm Thị Lan", "12345")  # not a phone number
    refused: list[tuple[bool, str]] = []

    def drive(d: ScanReviewDialog) -> None:
        d.walk_ins.setCurrentRow(0)
        d.new_button.click()
        d.ok_button.click()  # the marks and the new person in one transaction: all refused
        refused.append((d.isVisible(), d.error_label.text()))
        d.cancel_button.click()

    reviewing(monkeypatch, drive)
    said = messages(page)
    page.review_scans(scans)
    qtbot.waitUntil(lambda: bool(said[1:]), timeout=READING)
    assert refused and refused[0][0]
    assert "Số điện thoại “12345”" in refused[0][1]
    assert said[-1] == "Đã đóng bảng xem lại: chưa ghi gì."
    assert marks(db) == {}
    assert scan_audit(db) == []
