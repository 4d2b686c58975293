"""Printing again only what is in force: a revoked or replaced certificate's paper no longer
counts, whichever path asks for it (the window's In lại and Lưu từng người, the command
line's reprint and print). On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.services import certificates
from app.services.certificates import CertificateRefused
from models import AuditEntry
from tests.app import test_certificates
from tests.app.test_certificates import configure

done = test_certificates.done  # the fixture: three people who completed a course


def printed(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action == "print.certificates")
            )
            or 0
        )


def test_revoked_and_replaced_certificates_are_never_printed_again(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, _enr = done
    with db.transaction() as s:
        configure(s)
        issued = certificates.issue(s, w.course, None)
        revoked, replaced, kept = issued
        certificates.revoke(s, revoked.serial, "Ghi sai ngày sinh")
        newer = certificates.reissue(s, replaced.serial)
    before = printed(db)
    for ids, words in (
        ([revoked.id], f"Giấy chứng nhận số {revoked.serial} đã bị thu hồi"),
        ([replaced.id], f"số {replaced.serial} đã được cấp lại bằng số {newer.serial}"),
        ([kept.id, revoked.id], f"số {revoked.serial} đã bị thu hồi"),  # one of a selection
    ):
        with pytest.raises(CertificateRefused) as err, db.transaction() as s:
            certificates.reprint(s, ids)
        assert words in str(err.value)
        assert "không in lại giấy không còn hiệu lực" in str(err.value)
    assert printed(db) == before  # nothing was printed, so nothing disclosed
    with db.transaction() as s:  # what is in force still prints
        items = certificates.reprint(s, [kept.id, newer.id])
    assert [d.serial for d, _ in items] == [kept.serial, newer.serial]
    assert printed(db) == before + 1


def test_a_revoked_certificate_issued_again_says_so_in_two_steps(done) -> None:  # type: ignore[no-untyped-def]
    """Revoked, then a new one issued to the same person: the old paper was revoked, and
    separately a new one issued — not "revoked by" the new number."""
    db, w, _people, _enr = done
    with db.transaction() as s:
        configure(s)
        first = certificates.issue(s, w.course, None)[0]
        certificates.revoke(s, first.serial, "Ghi sai ngày sinh")
        again = certificates.reissue(s, first.serial)
    with pytest.raises(CertificateRefused) as err, db.transaction() as s:
        certificates.reprint(s, [first.id])
    said = str(err.value)
    assert f"số {first.serial} đã bị thu hồi; đã cấp lại bằng số {again.serial}" in said
    assert "thu hồi bằng số" not in said


def test_the_course_list_counts_only_certificates_in_force(done) -> None:  # type: ignore[no-untyped-def]
    """Khóa học's Chứng nhận column: a revoked paper and one replaced by a reissue do not
    count; the reissue does (issue 15)."""
    from app.services import courses

    db, w, _people, _enr = done
    with db.transaction() as s:
        configure(s)
        revoked, replaced, _kept = certificates.issue(s, w.course, None)
        certificates.revoke(s, revoked.serial, "Ghi sai ngày sinh")
        certificates.reissue(s, replaced.serial)
    with db.transaction(readonly=True) as s:
        (row,) = courses.rows(s, [w.course])
    assert row.certificates == 2  # the one kept and the reissue
