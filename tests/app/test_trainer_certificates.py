"""Trainers and certificates in the services: a trainer lists, previews, prints and
registers the certificates of the courses they teach and nothing of others; cannot
revoke or reissue; issues only when the administrator allows it, for their own finished
course, audited under their account."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.services import (
    certificate_preview,
    certificate_print,
    certificate_register,
    certificate_rights,
    certificates,
)
from app.services import settings as settings_service
from app.services.access import Forbidden
from app.services.certificates import CertificateRefused
from models import AuditEntry, Certificate, Course, CourseStatus, Enrolment, SerialCounter
from tests.app import two_trainers
from tests.app.test_certificates import text_of
from tests.app.two_trainers import A_NAMES, A_PENDING, B_NAMES, TwoTrainers

SETTING_LABEL = "Giảng viên được cấp giấy chứng nhận cho khóa mình dạy"


@pytest.fixture
def two(db: Database) -> tuple[Database, TwoTrainers]:
    return db, two_trainers.build(db)


def written(db: Database) -> tuple[int, int, int, list[str]]:
    """Certificates, the serial counter, audit entries, and every certificate's status."""
    with db.transaction(readonly=True) as s:
        return (
            int(s.scalar(select(func.count()).select_from(Certificate)) or 0),
            int(s.scalar(select(func.max(SerialCounter.last))) or 0),
            int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0),
            [str(x.value) for x in s.scalars(select(Certificate.status).order_by(Certificate.id))],
        )


def test_a_trainer_sees_prints_and_registers_only_their_courses(
    two: tuple[Database, TwoTrainers], tmp_path: Path
) -> None:
    db, t = two
    db.actor = t.accounts["lan"]
    with db.transaction(readonly=True) as s:
        rows = certificates.listing(s)
        assert [r.serial for r in rows] == t.serials_a
        assert {r.full_name for r in rows} == set(A_NAMES)
        assert certificates.listing(s, search="khoa") == []  # B's trainee, by name
        assert certificate_rights.rights(s) == certificate_rights.CertificateRights(
            issue=False, revoke=False, own_courses_only=True
        )
        with pytest.raises(
            Forbidden, match=r"Phạm Thị Lan \(Giảng viên\) chỉ được .* ở khóa mình dạy"
        ):
            certificates.listing(s, course_id=t.course_b)
        b_enrolment = s.scalar(select(Enrolment.id).where(Enrolment.course_id == t.course_b))
        with pytest.raises(Forbidden, match="ở khóa mình dạy"):
            certificate_preview.preview(s, enrolment_id=b_enrolment)
        assert certificate_preview.preview(s, enrolment_id=t.pending).full_name == A_PENDING
        b_ids = list(s.scalars(select(Certificate.id).where(Certificate.course_id == t.course_b)))
    with db.transaction() as s, pytest.raises(Forbidden, match="ở khóa mình dạy"):
        certificates.reprint(s, b_ids)
    for serials in ([t.serials_b[0]], [t.serials_a[0], t.serials_b[0]]):
        with db.transaction() as s, pytest.raises(Forbidden, match="ở khóa mình dạy"):
            certificates.in_force_ids(s, None, serials)
    with (
        db.transaction() as s,
        pytest.raises(CertificateRefused, match="không có giấy chứng nhận số"),
    ):
        certificate_print.for_course(s, t.course_a, [t.serials_b[0]])
    with db.transaction() as s:
        ids = certificate_print.for_course(s, t.course_a)
        items = certificates.reprint(s, ids)
    assert [d.serial for d, _ in items] == t.serials_a

    out = tmp_path / "so-cap.pdf"
    with db.transaction() as s:
        assert certificate_register.write_register(s, out, date.today().year) == len(A_NAMES)
    text = text_of(out.read_bytes())
    assert "các khóa do Phạm Thị Lan dạy" in text
    assert all(serial in text for serial in t.serials_a)
    assert not any(name in text for name in B_NAMES)

    db.actor = t.accounts["canbo"]  # staff: the whole register, without the trainer's line
    with db.transaction() as s:
        assert certificate_register.write_register(s, out, date.today().year) == len(A_NAMES) + len(
            B_NAMES
        )
    assert "các khóa do" not in text_of(out.read_bytes())


def test_a_trainer_cannot_revoke_or_reissue(two: tuple[Database, TwoTrainers]) -> None:
    db, t = two
    before = written(db)
    db.actor = t.accounts["lan"]
    with db.transaction() as s, pytest.raises(Forbidden, match="không được thu hồi hay cấp lại"):
        certificates.revoke(s, t.serials_a[0], "Sai ngày sinh")
    with db.transaction() as s, pytest.raises(Forbidden, match="không được thu hồi hay cấp lại"):
        certificates.reissue(s, t.serials_a[0])
    assert written(db) == before


def test_issuing_by_a_trainer_waits_for_the_setting_and_is_audited_as_them(
    two: tuple[Database, TwoTrainers],
) -> None:
    db, t = two
    before = written(db)
    db.actor = t.accounts["lan"]
    with db.transaction() as s, pytest.raises(Forbidden) as err:
        certificates.issue(s, t.course_a, [t.pending])
    assert err.value.message == (
        "Tài khoản Phạm Thị Lan (Giảng viên) không được cấp giấy chứng nhận: việc cấp do cán "
        f"bộ của Sở làm. Người quản trị có thể bật “{SETTING_LABEL}” ở trang Cài đặt."
    )
    assert written(db) == before
    with db.transaction() as s, pytest.raises(Forbidden, match="không được thay đổi thiết lập"):
        settings_service.set_value(s, "trainers_issue", "có")

    db.actor = t.accounts["quantri"]
    with db.transaction() as s:
        settings_service.set_value(s, "trainers_issue", "có")
        assert ("trainers_issue", SETTING_LABEL, "có") in settings_service.display(s)
    before = written(db)

    db.actor = t.accounts["tuan"]  # B, for A's course
    with db.transaction() as s, pytest.raises(Forbidden) as err:
        certificates.issue(s, t.course_a, [t.pending])
    assert err.value.message == (
        "Tài khoản Võ Minh Tuấn (Giảng viên) chỉ được cấp giấy chứng nhận cho khóa mình dạy "
        "(TH-2024-001 không phải khóa mình dạy)."
    )
    assert written(db) == before

    db.actor = t.accounts["lan"]
    with db.transaction(readonly=True) as s:
        assert certificate_rights.rights(s).issue
    with db.transaction() as s:
        (row,) = certificates.issue(s, t.course_a, None)
    assert row.full_name == A_PENDING
    with db.transaction(readonly=True) as s:
        cert = s.get_one(Certificate, row.id)
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "certificate.issue")
            .order_by(AuditEntry.id.desc())
        ).first()  # fmt: skip
    assert cert.issued_by == "lan"
    assert (entry.user, entry.entity_id) == ("lan", row.id)

    with db.transaction() as s:  # a course not yet finished: not the trainer's to certify
        s.get_one(Course, t.course_a).status = CourseStatus.RUNNING
    before = written(db)
    with db.transaction() as s, pytest.raises(Forbidden, match="TH-2024-001 chưa kết thúc"):
        certificates.issue(s, t.course_a, None)
    assert written(db) == before


def test_a_trainer_does_not_issue_anew_after_a_revocation(
    two: tuple[Database, TwoTrainers],
) -> None:
    db, t = two
    with db.transaction() as s:
        settings_service.set_value(s, "trainers_issue", "on")
        certificates.revoke(s, t.serials_a[0], "Sai ngày sinh")
        revoked = s.scalar(
            select(Certificate.enrolment_id).where(Certificate.serial == t.serials_a[0])
        )
    before = written(db)
    db.actor = t.accounts["lan"]
    with db.transaction() as s, pytest.raises(Forbidden, match="không cấp được giấy mới thay giấy"):
        certificates.issue(s, t.course_a, [revoked], after_revoked=True)
    assert written(db) == before
    db.actor = t.accounts["canbo"]  # the department's staff may, by the explicit choice
    with db.transaction() as s:
        (row,) = certificates.issue(s, t.course_a, [revoked], after_revoked=True)
    assert row.replaces == t.serials_a[0]


def test_the_setting_reads_yes_and_no() -> None:
    assert [settings_service.normalise("trainers_issue", v) for v in ("Có", "bật", "1", "on")] == [
        "on"
    ] * 4
    assert {settings_service.normalise("trainers_issue", v) for v in ("không", "off", "0")} == {
        "off"
    }
    from app.errors import InvalidValue

    with pytest.raises(InvalidValue, match="ghi “có” hoặc “không”"):
        settings_service.normalise("trainers_issue", "có lẽ")
