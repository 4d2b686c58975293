"""Privacy: erasure on request keeps the anonymous counts; exports never run formulas
and file names are safe on Windows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import InvalidValue, UserError
from app.services import certificates, person_edit, reports, users
from app.services.access import Forbidden
from app.services.reports import ReportFilter
from app.services.users import UserForm
from models import (
    Attendance,
    AttendanceStatus,
    AuditEntry,
    Certificate,
    Enrolment,
    EnrolmentStatus,
    Person,
)
from tests.app import world
from tests.app.test_certificates import configure

P = AttendanceStatus.PRESENT
YEAR = ReportFilter(date(2024, 1, 1), date(2024, 12, 31))


def test_erasure_replaces_the_person_and_keeps_the_statistics(db: Database) -> None:
    with db.transaction() as s:
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà", citizen_id="083186000123", phone="0903111222",
                          birth_date=date(1986, 5, 2), unit_id=w.hamlet, workplace="UBND xã")  # fmt: skip
        e = world.enrol(s, w, ha, [P, P, P], pre=4, post=9)
        s.get_one(Enrolment, e).status = EnrolmentStatus.COMPLETED
        configure(s)
        certificates.issue(s, w.course, None, on=date(2024, 3, 10))
    with db.transaction(readonly=True) as s:
        before = reports.summary(s, YEAR).total
        serial = s.scalars(select(Certificate.serial)).one()

    with db.transaction() as s:
        admin = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1")
        s.info["actor"] = admin
        users.create(s, UserForm("canbo", "Trần Thị Thu Trang", "staff"), "mat-khau-2")
    with db.transaction() as s:
        s.info["actor"] = users.login(s, "canbo", "mat-khau-2").actor
        with pytest.raises(Forbidden, match="không được xóa dữ liệu cá nhân theo yêu cầu"):
            person_edit.erase(s, ha, "đơn đề nghị")
    db.actor = admin
    with db.transaction() as s, pytest.raises(InvalidValue, match="Hãy ghi lý do"):
        person_edit.erase(s, ha, "  ")
    with db.transaction(readonly=True) as s:  # refused twice: nothing erased or recorded
        assert s.get_one(Person, ha).citizen_id == "083186000123"
        assert not s.scalars(select(AuditEntry).where(AuditEntry.action == "person.erase")).all()
    with db.transaction() as s:
        person_edit.erase(s, ha, "Đơn đề nghị ngày 20/11/2026")
    with db.transaction() as s, pytest.raises(UserError, match="đã được xóa trước đây"):
        person_edit.erase(s, ha, "lần nữa")

    with db.transaction(readonly=True) as s:
        p = s.get_one(Person, ha)
        assert (p.full_name, p.citizen_id, p.phone, p.birth_date, p.workplace, p.gender) == (
            "Người đã xóa dữ liệu", None, None, None, None, None,
        )  # fmt: skip
        assert p.unit_id == w.hamlet and p.archived_at is not None
        # The anonymous counts behind the report are unchanged.
        assert reports.summary(s, YEAR).total == before
        assert s.scalar(select(func.count()).select_from(Attendance)) == 3
        # The certificate register keeps what was issued (see README: "Dữ liệu cá nhân").
        cert = s.scalars(select(Certificate)).one()
        assert (cert.serial, cert.snapshot["full_name"]) == (serial, "Nguyễn Thị Hà")
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "person.erase")).one()
        assert (entry.user, entry.note, entry.before, entry.after) == (
            "quantri", "Đơn đề nghị ngày 20/11/2026", None, None,
        )  # fmt: skip


def test_file_names_are_safe_on_windows() -> None:
    from app.files import safe_name

    assert safe_name("Tổ công nghệ số: ấp 1/2") == "Tổ công nghệ số- ấp 1-2"
    assert safe_name("CON") == "CON_" and safe_name("com1.xlsx") == "com1_.xlsx"
    assert safe_name("  báo cáo. ") == "báo cáo"
    assert safe_name("a\x00b\tc") == "abc"
    assert safe_name("..\\..\\windows\\system32") == "..-..-windows-system32"
    assert safe_name("") == "tep" and len(safe_name("x" * 400)) <= 150


def test_exported_cells_never_run(tmp_path: Path) -> None:
    import openpyxl

    from app.documents.table_export import Column, write_table

    values = ["=1+1", "+84903", "-5", "@SUM(A1)", "\tx", "\x00y", "bình thường"]
    out = tmp_path / "ds.xlsx"
    write_table(out, "Danh sách", [Column("Giá trị")], [[v] for v in values])
    cells = [c.value for c in openpyxl.load_workbook(out).active["A"][1:]]
    assert all(isinstance(c, str) for c in cells)
    assert cells[:5] == values[:5] and cells[5] == "y" and cells[6] == "bình thường"
    csv = tmp_path / "ds.csv"
    write_table(csv, "Danh sách", [Column("Giá trị")], [[v] for v in values])
    lines = csv.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert lines == ["'=1+1", "'+84903", "'-5", "'@SUM(A1)", "'\tx", "y", "bình thường"]
