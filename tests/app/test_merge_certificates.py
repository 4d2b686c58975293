"""Merging two records of one person who both hold a certificate in force for one course:
refused in Vietnamese, naming both serials and the way out (revoke one), nothing written;
after a revocation the merge goes through. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.services import certificates, merges
from app.services.merges import MergeRefused
from models import (
    AuditEntry,
    Certificate,
    CertificateStatus,
    Enrolment,
    EnrolmentStatus,
    Person,
    PersonMerge,
)
from tests.app import world
from tests.app.test_certificates import configure


@pytest.fixture
def twice_certified(db: Database):  # type: ignore[no-untyped-def]
    """A walk-in typed in twice; both records completed the course and got a certificate."""
    with db.transaction() as s:
        w = world.build(s)
        configure(s)
        kept = world.person(s, "Nguyễn Thị Hà", birth_date=date(1986, 5, 2))
        dropped = world.person(s, "Nguyễn Thị Hà", phone="0903111222")
        for pid in (kept, dropped):
            eid = world.enrol(s, w, pid, [], post=9)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        first, second = certificates.issue(s, w.course, None)
    return db, w, kept, dropped, first, second


def snapshot(db: Database) -> tuple:  # type: ignore[type-arg]
    with db.transaction(readonly=True) as s:
        return (
            sorted(
                (p.id, p.archived_at is None, p.merged_into_id) for p in s.scalars(select(Person))
            ),
            sorted(
                (c.serial, c.enrolment_id, c.person_id, c.status.value, c.replaced_at is None)
                for c in s.scalars(select(Certificate))
            ),
            s.scalar(select(func.count()).select_from(PersonMerge)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def test_two_certificates_in_force_for_one_course_stop_the_merge(twice_certified) -> None:  # type: ignore[no-untyped-def]
    db, _w, kept, dropped, _first, _second = twice_certified
    with db.transaction(readonly=True) as s:
        serial_of = {
            c.person_id: c.serial for c in s.scalars(select(Certificate).order_by(Certificate.id))
        }
    before = snapshot(db)
    with pytest.raises(MergeRefused) as err, db.transaction() as s:
        merges.merge(s, kept, dropped)
    message = str(err.value)
    assert message.startswith(
        "Không gộp được: cả hai hồ sơ đều có giấy chứng nhận còn hiệu lực cho cùng một khóa"
    )
    assert (
        f"khóa TH-2024-001: số {serial_of[kept]} (hồ sơ “Nguyễn Thị Hà”, mã {kept}) và số "
        f"{serial_of[dropped]} (hồ sơ “Nguyễn Thị Hà”, mã {dropped})"
    ) in message
    assert "hãy thu hồi giấy cấp thừa trước" in message and "certificates revoke" in message
    assert snapshot(db) == before  # nothing written

    with db.transaction() as s:  # the clerk revokes the extra paper, then merges
        certificates.revoke(s, serial_of[dropped], "Cấp trùng cho hồ sơ nhập hai lần")
    with db.transaction() as s:
        merges.merge(s, kept, dropped)
    with db.transaction(readonly=True) as s:
        (enrolment,) = s.scalars(select(Enrolment).where(Enrolment.person_id == kept))
        certs = {
            c.serial: c.status
            for c in s.scalars(select(Certificate).where(Certificate.enrolment_id == enrolment.id))
        }
        assert certs == {
            serial_of[kept]: CertificateStatus.VALID,
            serial_of[dropped]: CertificateStatus.REVOKED,
        }
        assert s.get_one(Person, dropped).merged_into_id == kept


def test_both_completed_but_one_certificate_merges(twice_certified) -> None:  # type: ignore[no-untyped-def]
    db, _w, kept, dropped, _first, _second = twice_certified
    with db.transaction(readonly=True) as s:
        of_kept = s.scalars(select(Certificate).where(Certificate.person_id == kept)).one()
    with db.transaction() as s:
        certificates.revoke(s, of_kept.serial, "Ghi sai ngày sinh")
        result = merges.merge(s, kept, dropped)
    assert result.kept_id == kept
    with db.transaction() as s:  # and undone, both certificates back where they were
        merges.undo_last(s)
    with db.transaction(readonly=True) as s:
        assert {c.person_id for c in s.scalars(select(Certificate))} == {kept, dropped}
