"""The Nhật ký page and the audit-trail reader: filters by person, account, date and
action; the export, itself recorded; administrators only."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.services import audit_log, outcomes, person_edit, users
from app.services.access import Forbidden
from app.services.audit_log import AuditFilter
from app.services.users import UserForm
from models import AuditEntry
from tests.app import world
from ui.context import UiContext
from ui.pages.audit_page import AuditPage
from ui.workers import TaskRunner


@pytest.fixture
def trail(sqlite_db: Database) -> Database:
    """Two people; Hà renamed by the staff account, then her scores entered."""
    with sqlite_db.transaction() as s:
        admin = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1")
        s.info["actor"] = admin
        users.create(s, UserForm("canbo", "Trần Thị Thu Trang", "staff"), "mat-khau-2")
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà")
        world.person(s, "Lê Văn An")
        enrolment = world.enrol(s, w, ha, [])
    with sqlite_db.transaction() as s:
        sqlite_db.actor = users.login(s, "canbo", "mat-khau-2").actor
    with sqlite_db.transaction() as s:
        record = person_edit.get(s, ha)
        form = record.form.__class__(**{**record.form.__dict__, "full_name": "Nguyễn Thị Thu Hà"})
        person_edit.update(s, ha, form, record.version)
        outcomes.set_scores(s, enrolment, 4, 9)
    with sqlite_db.transaction() as s:
        sqlite_db.actor = users.login(s, "quantri", "mat-khau-1").actor
    return sqlite_db


def test_the_trail_filtered_by_person_account_and_action(trail: Database) -> None:
    with trail.transaction(readonly=True) as s:
        ha = audit_log.find_people(s, "thu ha")
        _, rows = audit_log.listing(s, AuditFilter(person_ids=ha))
        assert [(r.user, r.action) for r in rows] == [
            ("canbo", "scores.set"),
            ("canbo", "person.update"),
            ("quantri", "person.create"),  # the signed-in account, not the "by" passed
        ]
        assert rows[1].change == "Họ tên: Nguyễn Thị Hà → Nguyễn Thị Thu Hà"
        assert rows[0].change == "Điểm đầu vào: (trống) → 4; Điểm cuối khóa: (trống) → 9"
        _, logins = audit_log.listing(s, AuditFilter(action="user."))
        assert {r.action for r in logins} == {"user.create", "user.login"}
        _, by_staff = audit_log.listing(s, AuditFilter(user="canbo"))
        assert len(by_staff) == 3  # sign-in, rename, scores
        _, none = audit_log.listing(s, AuditFilter(end=date(2020, 1, 1)))
        assert none == []
    with trail.transaction() as s:  # staff may not read the trail
        s.info["actor"] = users.login(s, "canbo", "mat-khau-2").actor
        with pytest.raises(Forbidden, match="không được xem nhật ký thao tác"):
            audit_log.listing(s, AuditFilter())


def test_the_page_filters_and_exports(
    vi_app: QApplication, qtbot: QtBot, trail: Database, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, runner: TaskRunner, qsettings: QSettings,
) -> None:  # fmt: skip
    page = AuditPage(UiContext(trail, runner, qsettings, "quantri"))
    qtbot.addWidget(page)
    assert page.table.rowCount() == len(page.rows) > 5
    assert page.table.item(0, 1).text() == "quantri"  # the newest first: the last sign-in
    page.person.setText("thu ha")
    page.load()
    assert [page.table.item(r, 2).text() for r in range(page.table.rowCount())] == [
        "Nhập điểm", "Sửa học viên", "Thêm học viên",
    ]  # fmt: skip
    assert page.count.text() == "3 mục"
    page.person.clear()
    page.action_combo.setCurrentIndex(page.action_combo.findData("person."))
    page.load()
    assert page.table.rowCount() == 3  # two people added, one renamed
    target = tmp_path / "nk.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.export()
    qtbot.waitUntil(target.exists, timeout=5000)
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Thời điểm", "Tài khoản", "Thao tác") and len(rows) == 4
    runner.wait()
    with trail.transaction(readonly=True) as s:
        exported = s.scalars(select(AuditEntry).where(AuditEntry.action == "export.audit")).one()
    assert (exported.user, exported.note) == ("quantri", "3 dòng vào nk.xlsx")


def test_the_changes_read_in_vietnamese(sqlite_db: Database, tmp_path: Path) -> None:
    """Statuses, roles, kinds, field names and dates as people say them, never the stored
    English values or ISO dates (issue 13, 23)."""
    from datetime import time

    from app.services import attendance, certificates, enrolment, scheduling, settings
    from app.services.scheduling import SessionForm
    from models import AttendanceStatus

    with sqlite_db.transaction() as s:
        s.info["actor"] = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1",
                                                   "mat-khau-1")  # fmt: skip
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà", gender="female")
        e = world.enrol(s, w, ha, [AttendanceStatus.PRESENT] * 2, pre=5, post=8.5)
        attendance.mark(s, w.course, w.sessions[2], e, "present")
        extra = scheduling.add_session(s, w.course, SessionForm(date(2024, 3, 7), time(7, 30),
                                                                time(11, 0)), "Buổi bù")  # fmt: skip
        attendance.mark(s, w.course, extra.id, e, "late")
        for key, value in {
            "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "signer_name": "Nguyễn Văn Tâm",
            "serial_pattern": "{seq:04d}/GCN",
            "trainers_issue": "có",
        }.items():
            settings.set_value(s, key, value)  # fmt: skip
        enrolment.finish(s, w.course, confirm=True)
        certificates.issue(s, w.course, None, on=date(2024, 3, 8))
        users.create(s, UserForm("canbo", "Trần Thị Thu Trang", "staff"), "mat-khau-2")
    with sqlite_db.transaction(readonly=True) as s:
        s.info["actor"] = users.local_admin(s)
        _, rows = audit_log.listing(s, AuditFilter())
    said = {r.action: r.change for r in rows}
    assert said["attendance.mark"] == (
        "Trạng thái: (trống) → Có mặt; Ghi chú: (trống) (không đổi); buổi "
        f"{w.sessions[2]}, ghi danh {e}"
    )
    assert said["session.create"].startswith(
        "Khóa học: TH-2024-001; Lúc: 07/03/2024 07:30; Buổi bù"
    )
    assert said["enrolment.result"] == "Trạng thái: Đã ghi danh → Hoàn thành"
    assert said["course.finish"] == "Trạng thái: Nháp → Đã kết thúc"
    issue = said["certificate.issue"]
    assert issue.startswith("Mã người: ")
    assert "; Khóa học: TH-2024-001; Số hiệu: 0001/GCN; Mã băm SHA-256: " in issue
    assert "Giảng viên được cấp giấy chứng nhận: (trống) → có" in [
        r.change for r in rows if r.action == "settings.set"
    ]
    assert said["user.create"] == (
        "Họ tên: Nguyễn Văn Tâm; Vai trò: Quản trị; Đang hoạt động: có; Tên đăng nhập: quantri; "
        "Mã người: (trống)"
    )
    assert "Giới tính: Nữ" in said["person.create"]
    english = ("registered", "completed", "draft", "finished", "present", "staff", "female",
               "course:", "at:", "sha256", "True", "False", "2024-03")  # fmt: skip
    for row in rows:
        assert not [word for word in english if word in row.change], row.change

    out = tmp_path / "nhat-ky.xlsx"  # the export says what each entry is about the same way
    with sqlite_db.transaction() as s:
        s.info["actor"] = users.local_admin(s)
        audit_log.export(s, AuditFilter(), out)
    sheet = openpyxl.load_workbook(out, read_only=True).active
    lines = list(sheet.iter_rows(values_only=True))
    column = lines[0].index("Đối tượng")
    things = {line[column] for line in lines[1:]}
    assert {"Giấy chứng nhận", "Điểm danh", "Ghi danh", "Khóa học", "Tài khoản"} <= things
    assert not things & {"certificates", "attendance", "enrolments", "courses", "users"}


@pytest.mark.skipif(not hasattr(__import__("time"), "tzset"), reason="time.tzset is POSIX")
def test_entries_are_read_in_the_pcs_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    from datetime import datetime

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:  # stamped 17:30 UTC is half past midnight the next day in Vĩnh Long
        assert audit_log.local_time(datetime(2026, 11, 28, 17, 30)) == datetime(2026, 11, 29, 0, 30)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_page_warns_of_a_trail_tampered_with(
    vi_app: QApplication, qtbot: QtBot, trail: Database, runner: TaskRunner, qsettings: QSettings,
    tmp_path: Path,
) -> None:  # fmt: skip
    page = AuditPage(UiContext(trail, runner, qsettings, "quantri"))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.chain_report is not None, timeout=5000)
    assert page.chain.text().startswith("Chuỗi mã băm của nhật ký: nguyên vẹn (")

    with closing(sqlite3.connect(trail.path)) as con:  # someone with the file in hand
        con.execute("DROP TRIGGER audit_entries_no_update")
        con.execute(
            """UPDATE audit_entries SET after = '{"full_name": "Lê Văn Ân"}' WHERE seq = 4"""
        )
        con.commit()
    page.reload()
    qtbot.waitUntil(lambda: "can thiệp" in page.chain.text(), timeout=5000)
    text = page.chain.text()
    assert text.startswith("⚠ Nhật ký thao tác bị can thiệp: mục số 4 (")
    assert ", quantri, Thêm học viên) đã bị sửa sau khi ghi. Hãy báo người quản trị" in text
    assert page.chain.isVisibleTo(page)
    marked = [
        page.table.item(r, 3).text()
        for r in range(page.table.rowCount())
        if page.table.item(r, 0).background().color().name() == "#f6c6c0"
    ]
    assert marked == ["Học viên #2"]  # Lê Văn An's row, the one changed
    page.resize(1100, 420)
    assert page.grab().save(str(tmp_path / "nhat-ky-bi-can-thiep.png"))
