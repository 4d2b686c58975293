"""One certificate in force per enrolment, held by the database; a revoked certificate is
not silently replaced by `issue`; verification is strict and a serial alone names nobody.
On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import commands
from app.db import Database
from app.services import access, certificates, settings
from app.services.certificates import CertificateRefused
from app.services.verification import verify
from models import AuditEntry, Certificate, CertificateStatus, Enrolment, EnrolmentStatus
from tests.app import test_certificates, world
from tests.app.clirun import run
from tests.app.test_certificates import configure

done = test_certificates.done  # the fixture: three people who completed a course
STAFF = access.Actor("canbo", "staff", "Trần Thị Thu Trang")
TRAINER = access.Actor("giangvien", "trainer", "Phạm Văn Giảng")


def count(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return int(s.scalar(select(func.count()).select_from(Certificate)) or 0)


def test_a_second_certificate_in_force_is_refused_by_the_database(done) -> None:  # type: ignore[no-untyped-def]
    db, w, people, enr = done
    with db.transaction() as s:
        configure(s)
        first = certificates.issue(s, w.course, [enr["an"]])[0]

    def second(serial: str) -> Certificate:
        with db.transaction(readonly=True) as s:
            original = s.get_one(Certificate, first.id)
        return Certificate(
            serial=serial, verification_code=serial.replace("/", "X"), enrolment_id=enr["an"],
            person_id=people["an"], course_id=w.course, issued_on=date(2026, 11, 28),
            issued_by="ai đó", snapshot=original.snapshot,
        )  # fmt: skip

    with pytest.raises(IntegrityError), db.transaction() as s:  # what two issues at once did
        s.add(second("0009/GCN-SKHCN"))
    assert count(db) == 1
    # Once the first no longer counts (revoked), a new one may be in force.
    with db.transaction() as s:
        certificates.revoke(s, first.serial, "Ghi sai ngày sinh")
        s.add(second("0010/GCN-SKHCN"))
    assert count(db) == 2
    # The revoked one cannot be reissued beside the one in force (what 0008 left behind).
    with pytest.raises(CertificateRefused) as err, db.transaction() as s:
        certificates.reissue(s, first.serial)
    assert "đang có giấy chứng nhận số 0010/GCN-SKHCN còn hiệu lực" in str(err.value)
    assert count(db) == 2


def test_issue_skips_a_revoked_certificate_and_says_reissue_is_the_way(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s)
        issued = certificates.issue(s, w.course, None)
        certificates.revoke(s, issued[0].serial, "Ghi sai ngày sinh")  # Lê Văn An's
    with pytest.raises(CertificateRefused) as err, db.transaction() as s:
        certificates.issue(s, w.course, None)
    assert "Không có ai trong TH-2024-001 đủ điều kiện mà chưa được cấp" in str(err.value)
    assert "đã bị thu hồi: Lê Văn An (số 0001/GCN-SKHCN)" in str(err.value)
    assert f"“{commands.command(db, 'certificates reissue SỐ_HIỆU')}”" in str(err.value)
    with pytest.raises(CertificateRefused) as err, db.transaction() as s:  # named, not chosen
        certificates.issue(s, w.course, [enr["an"]])
    assert "Giấy chứng nhận số 0001/GCN-SKHCN của Lê Văn An đã bị thu hồi" in str(err.value)
    assert count(db) == 3
    with db.transaction(readonly=True) as s:
        row = next(x for x in certificates.eligible(s, w.course) if x.enrolment_id == enr["an"])
        assert (row.certified, row.revoked) == (None, "0001/GCN-SKHCN")

    with db.transaction() as s:  # the explicit choice: a new certificate replacing it
        (new,) = certificates.issue(s, w.course, [enr["an"]], after_revoked=True)
    assert (new.serial, new.replaces, new.status) == ("0004/GCN-SKHCN", "0001/GCN-SKHCN", "valid")
    with db.transaction(readonly=True) as s:
        old = s.scalars(select(Certificate).where(Certificate.serial == "0001/GCN-SKHCN")).one()
        assert old.status == CertificateStatus.REVOKED and old.replaced_at is not None
        assert certificates.issued_row(s, old).replaced_by == "0004/GCN-SKHCN"
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == old.id))
        assert "certificate.reissue" in list(actions)


def test_the_command_line_issue_names_who_it_skipped(
    sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite_db.transaction() as s:
        w = world.build(s)
        for name in ("Lê Văn An", "Nguyễn Thị Hà"):
            eid = world.enrol(s, w, world.person(s, name), [], post=9)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        configure(s)
    db = ["--db", str(sqlite_db.path)]
    issue = ["certificates", "issue", "--course", "TH-2024-001", "--out", str(tmp_path / "c.pdf")]
    assert run(capsys, *db, *issue)[0] == 0
    assert (
        run(capsys, *db, "certificates", "revoke", "0001/GCN-SKHCN", "--reason", "Sai tên")[0] == 0
    )
    code, _, err = run(capsys, *db, *issue)
    assert code == 3 and "Lê Văn An (số 0001/GCN-SKHCN)" in err and count(sqlite_db) == 2
    with sqlite_db.transaction() as s:  # someone else completes the course meanwhile
        eid = world.enrol(s, w, world.person(s, "Trần Văn Bình"), [], post=9)
        s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
    code, out, _ = run(capsys, *db, *issue)
    assert code == 0 and "Đã cấp 1 giấy chứng nhận (0003/GCN-SKHCN – 0003/GCN-SKHCN)" in out
    assert "Không cấp giấy mới cho 1 người có giấy chứng nhận đã bị thu hồi: Lê Văn An" in out
    code, out, _ = run(capsys, *db, "certificates", "reissue", "0001/GCN-SKHCN")
    assert code == 0 and "số 0004/GCN-SKHCN thay số 0001/GCN-SKHCN" in out


# -- verification ------------------------------------------------------------------------


@pytest.fixture
def issued(done):  # type: ignore[no-untyped-def]
    """Two certificates printed with the department's verification address."""
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s, verify_url="https://sokhcn.vinhlong.gov.vn/tra-cuu")
        rows = certificates.issue(s, w.course, [enr["ha"], enr["an"]])
    return db, rows


def test_a_qr_is_valid_only_when_its_serial_and_code_are_one_certificate(issued) -> None:  # type: ignore[no-untyped-def]
    db, (ha, an) = issued
    with db.transaction(readonly=True) as s:
        good = verify(s, f"TAPHUAN|{ha.serial}|{ha.verification_code}")
        forged = verify(s, f"TAPHUAN|{ha.serial}|{an.verification_code}")  # Hà's number, An's code
        short = verify(s, f"TAPHUAN|{an.verification_code}")
    assert good.valid and "Nguyễn Thị Thanh Hà" in good.message
    assert (forged.found, forged.valid) == (False, False)
    assert "không thuộc cùng một giấy chứng nhận" in forged.message
    assert "Lê Văn An" not in forged.message and "Thanh Hà" not in forged.message
    assert not short.valid and "không đúng dạng" in short.message


def test_a_url_counts_only_at_the_departments_address(issued) -> None:  # type: ignore[no-untyped-def]
    db, (ha, _an) = issued
    with db.transaction(readonly=True) as s:
        printed = s.get_one(Certificate, ha.id).snapshot["qr_text"]
        assert printed == f"https://sokhcn.vinhlong.gov.vn/tra-cuu?ma={ha.verification_code}"
        assert verify(s, printed).valid
        foreign = verify(s, f"https://sokhcn-vinhlong.top/tra-cuu?ma={ha.verification_code}")
        assert not foreign.found and "không phải địa chỉ tra cứu của cơ quan cấp" in foreign.message
        assert "Thanh Hà" not in foreign.message
    with db.transaction() as s:  # the department moves its site: old papers still verify
        settings.set_value(s, "verify_url", "https://sokhcn.vinhlong.gov.vn/xac-minh")
    with db.transaction(readonly=True) as s:
        assert verify(s, printed).valid
        assert verify(s, f"https://sokhcn.vinhlong.gov.vn/xac-minh?ma={ha.verification_code}").valid
        assert not verify(s, f"https://sokhcn.vinhlong.gov.vn/khac?ma={ha.verification_code}").found


def test_a_serial_alone_tells_staff_the_status_and_nobody_the_holder(issued) -> None:  # type: ignore[no-untyped-def]
    db, (ha, _an) = issued
    for actor in (None, STAFF):  # the local administrator, then a staff account
        db.actor = actor
        with db.transaction(readonly=True) as s:
            result = verify(s, ha.serial)
        assert "Nguyễn Thị Thanh Hà" not in result.message and "1986" not in result.message
        assert result.valid and result.status == "valid" and result.row is None
        assert result.message.startswith(f"Giấy chứng nhận số {ha.serial}: CÒN HIỆU LỰC")
    db.actor = TRAINER
    with db.transaction(readonly=True) as s:
        by_serial = verify(s, ha.serial)
        by_code = verify(s, ha.verification_code)  # the code printed on the paper: everything
    assert not by_serial.found and not by_serial.valid and by_serial.status is None
    assert "chỉ dành cho cán bộ và quản trị" in by_serial.message
    assert "Nguyễn Thị Thanh Hà" not in by_serial.message
    assert (
        by_code.valid and "Người được cấp: Nguyễn Thị Thanh Hà, sinh 02/05/1986" in by_code.message
    )
