"""Issuing certificates: serials, register numbers, verification codes, the snapshot
and its SHA-256, the audit entries, all in the caller's transaction; and reissuing."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import commands
from app.services import (
    access,
    audit,
    certificate_digest,
    certificate_rights,
    certificate_serials,
    certificate_wording,
    settings,
)
from app.services.certificate_records import (
    CertificateRefused,
    Eligible,
    IssuedRow,
    by_serial,
    chunks,
    eligible,
    expiry,
)
from app.services.certificate_snapshot import common_of, person_snapshot
from app.services.courses import get_course
from models import Certificate, Course, Enrolment, EnrolmentStatus, Person
from models.base import utcnow

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 10
Progress = Callable[[int, int], None]
AFTER_REVOKED_CHOICE = "Cấp giấy mới thay giấy đã bị thu hồi"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def revoked_note(rows: list[Eligible], where: commands.Where) -> str:
    """Who issuing skips because their certificate was revoked, and what to do instead
    (the command named for the database `where` is)."""
    if not rows:
        return ""
    reissue = commands.command(where, "certificates reissue SỐ_HIỆU")
    who = ", ".join(f"{x.full_name} (số {x.revoked})" for x in rows)
    return (
        f"Không cấp giấy mới cho {len(rows)} người có giấy chứng nhận đã bị thu hồi: {who}. "
        f"Muốn cấp giấy mới thay giấy đã thu hồi thì dùng “{reissue}” "
        "hoặc chọn rõ trong hộp Cấp giấy chứng nhận."
    )


def _lock_course(s: Session, course_id: int) -> None:
    """Issuing for a course is one at a time: a second program waits here until the first
    commits, then sees what it issued (PostgreSQL; SQLite's writers already queue)."""
    s.execute(select(Course.id).where(Course.id == course_id).with_for_update())


def issue(
    s: Session,
    course_id: int,
    enrolment_ids: list[int] | None,
    on: date | None = None,
    progress: Progress | None = None,
    replaces: Certificate | None = None,
    after_revoked: bool = False,
) -> list[IssuedRow]:
    """Issue certificates in one transaction: serials, snapshot, its SHA-256, audit.

    enrolment_ids None: everyone completed who holds no certificate, neither in force nor
    revoked (revoked_note says who was left out). A person whose certificate was revoked
    gets a new one only by an explicit choice (after_revoked) or a reissue (replaces);
    either way the new certificate replaces the revoked one. The database holds at most
    one certificate in force per enrolment, whatever else runs at the same time.

    No PDF is rendered here: the register keeps the SHA-256 of the canonical snapshot
    (certificate_digest), from which reprint renders the same bytes whenever asked.
    """
    certificate_rights.require_issue(s, course_id)
    _lock_course(s, course_id)
    missing = settings.missing_to_issue(s)
    if missing:
        raise CertificateRefused(
            "Chưa cấp được giấy chứng nhận: hãy đặt " + "; ".join(missing) + "."
        )
    course = get_course(s, course_id)
    on = on or date.today()
    candidates = {x.enrolment_id: x for x in eligible(s, course_id)}
    skipped: list[Eligible] = []
    if enrolment_ids is None:
        skipped = [x for x in candidates.values() if x.certified is None and x.revoked]
        enrolment_ids = [
            eid for eid, x in candidates.items() if x.certified is None and x.revoked is None
        ]
    if not enrolment_ids:
        raise CertificateRefused(
            f"Không có ai trong {course.code} đủ điều kiện mà chưa được cấp giấy chứng nhận."
            + (" " + revoked_note(skipped, s) if skipped else "")
        )
    # A pattern stored before the rules were strict is checked again: refused, not run.
    pattern = settings.check_pattern(settings.get(s, "serial_pattern"))
    olds = [_refused_or_replaced(s, course, candidates, eid, replaces, after_revoked)
            for eid in enrolment_ids]  # fmt: skip
    if any(old is not None for old in olds):
        for old in olds:  # no longer in force from now: the index allows the new ones
            if old is not None:
                old.replaced_at = utcnow()
        s.flush()
    count = len(enrolment_ids)
    first = certificate_serials.take(s, pattern, on.year, count)
    serials = [pattern.format(seq=first + i, year=on.year) for i in range(count)]
    for chunk in chunks(serials):
        taken = s.scalar(select(Certificate.serial).where(Certificate.serial.in_(chunk)))
        if taken is not None:
            # Only a pattern changed to one an older pattern's serials look like gets here.
            raise CertificateRefused(
                f"Số hiệu {taken} đã được dùng cho một giấy chứng nhận khác. Hãy đổi mẫu số "
                "hiệu, ví dụ “{seq:04d}/{year}/GCN-SKHCN” "
                f"({commands.command(s, 'settings set serial_pattern …')}). Chưa cấp gì."
            )
    codes = _new_codes(s, count)
    register_first = certificate_serials.take_register(s, count)
    # What the snapshot and the unit line read of each, as plain rows (a row stands for
    # both the enrolment and the person: it has their attributes by the same names).
    found: dict[int, tuple[Any, Any]] = {}
    for chunk in chunks(enrolment_ids):
        for row in s.execute(
            select(
                Enrolment.id.label("enrolment_id"), Enrolment.post_score, Person.id,
                Person.full_name, Person.birth_date, Person.birth_year_only, Person.gender,
                Person.unit_id, Person.workplace,
            )
            .join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.id.in_(chunk))
        ):  # fmt: skip
            found[row.enrolment_id] = (row, row)
    units = certificate_wording.unit_lines(s, [p for _e, p in found.values()], on)
    common = common_of(s, course, on)
    who = audit.who(s)  # the account signed in, if any
    rows: list[dict] = []  # type: ignore[type-arg]
    for n, eid in enumerate(enrolment_ids):
        e, p = found[eid]
        snapshot = person_snapshot(common, course, e, p, units[p.id], serials[n], codes[n],
                                   register_first + n)  # fmt: skip
        old = olds[n]
        rows.append({
            "serial": serials[n], "verification_code": codes[n], "enrolment_id": eid,
            "person_id": p.id, "course_id": course.id, "issued_on": on, "issued_by": who,
            "snapshot": snapshot, "pdf_sha256": certificate_digest.snapshot_sha256(snapshot),
            "replaces_id": old.id if old is not None else None,
            "register_no": register_first + n,
            "expires_on": date.fromisoformat(snapshot["expires_on"]) if snapshot["expires_on"] else None,
        })  # fmt: skip
        if progress:
            progress(n + 1, count)
    try:  # one INSERT for the batch (no ORM objects: nothing here edits them afterwards)
        ids = list(s.scalars(
            insert(Certificate).returning(Certificate.id, sort_by_parameter_order=True), rows
        ))  # fmt: skip
    except IntegrityError as exc:  # the partial unique index: someone was quicker
        who_else = found[enrolment_ids[0]][1].full_name if count == 1 else "Có người"
        raise CertificateRefused(
            f"{who_else} vừa được cấp giấy chứng nhận cho khóa {course.code} ở một máy "
            "khác cùng lúc; lần này không cấp gì. Hãy xem lại danh sách rồi cấp tiếp."
        ) from exc
    today = date.today()
    issued: list[IssuedRow] = []
    for cid, row, old in zip(ids, rows, olds, strict=True):
        if old is not None:
            audit.record(s, "certificate.reissue", old, after={"replaced_by": row["serial"]})
        audit.record(s, "certificate.issue", entity=Certificate.__tablename__, entity_id=cid,
                     after={"serial": row["serial"], "person_id": row["person_id"],
                            "course": course.code, "sha256": row["pdf_sha256"]})  # fmt: skip
        issued.append(IssuedRow(
            cid, row["serial"], row["verification_code"], row["snapshot"]["full_name"],
            row["snapshot"]["course_code"], on, expiry(row["expires_on"], today),
            row["expires_on"], old.serial if old is not None else None, None, None,
        ))  # fmt: skip
    return issued


def _refused_or_replaced(
    s: Session,
    course: Course,
    candidates: dict[int, Eligible],
    eid: int,
    replaces: Certificate | None,
    after_revoked: bool,
) -> Certificate | None:
    """Why this enrolment gets no certificate (CertificateRefused), or the certificate the
    new one replaces (None: a first one)."""
    x = candidates.get(eid)
    if x is None:
        e = s.get(Enrolment, eid)
        who = s.get_one(Person, e.person_id).full_name if e else f"lượt ghi danh {eid}"
        raise CertificateRefused(
            f"{who} chưa hoàn thành khóa {course.code}; không cấp giấy chứng nhận."
        )
    if x.certified is not None and replaces is None:
        raise CertificateRefused(
            f"{x.full_name} đã được cấp giấy chứng nhận số {x.certified} cho khóa này; "
            "muốn sửa thì dùng cấp lại (reissue)."
        )
    if x.certified is not None and replaces is not None and x.certified != replaces.serial:
        raise CertificateRefused(  # e.g. a duplicate revoked by the 0008 upgrade
            f"{x.full_name} đang có giấy chứng nhận số {x.certified} còn hiệu lực cho khóa "
            f"này; không cấp lại giấy số {replaces.serial}. Muốn sửa thì cấp lại số "
            f"{x.certified}."
        )
    if replaces is None and x.revoked is not None:
        if not after_revoked:
            raise CertificateRefused(
                f"Giấy chứng nhận số {x.revoked} của {x.full_name} đã bị thu hồi; không cấp "
                "giấy mới trừ khi chọn rõ: dùng cấp lại "
                f"({commands.command(s, f'certificates reissue {x.revoked}')}) hoặc đánh dấu “{AFTER_REVOKED_CHOICE}” trong hộp Cấp giấy "
                "chứng nhận."
            )
        certificate_rights.require_issue(s, course.id, replacing=True)
        return by_serial(s, x.revoked)
    return replaces


def _new_codes(s: Session, count: int) -> list[str]:
    """count verification codes, none already used nor used twice."""
    codes: list[str] = []
    while len(codes) < count:
        fresh = list(dict.fromkeys(_fresh_codes(count - len(codes))))
        fresh = [c for c in fresh if c not in codes]
        used: set[str] = set()
        for chunk in chunks(fresh):
            used.update(s.scalars(
                select(Certificate.verification_code).where(Certificate.verification_code.in_(chunk))
            ))  # fmt: skip
        codes += [c for c in fresh if c not in used]
    return codes


def _fresh_codes(count: int) -> list[str]:
    """count random codes as new_code draws them, from one call for random bytes: each
    byte's low 5 bits pick a letter of the 32, evenly (256 is a multiple of 32)."""
    raw = secrets.token_bytes(count * CODE_LENGTH)
    letters = "".join(CODE_ALPHABET[b & 31] for b in raw)
    return [letters[i : i + CODE_LENGTH] for i in range(0, len(letters), CODE_LENGTH)]


def reissue(s: Session, serial: str, on: date | None = None) -> IssuedRow:
    """A new certificate (new serial, today's data) replacing the old one, which says so."""
    access.require(s, "revoke")
    old = by_serial(s, serial)
    _lock_course(s, old.course_id)
    s.refresh(old)  # as it is now that nobody else issues for this course
    if s.scalar(select(Certificate.serial).where(Certificate.replaces_id == old.id)) is not None:
        raise CertificateRefused(f"Giấy chứng nhận số {old.serial} đã được cấp lại.")
    e = s.get_one(Enrolment, old.enrolment_id)
    if e.status != EnrolmentStatus.COMPLETED:
        raise CertificateRefused(
            "Người này không còn ở trạng thái hoàn thành khóa học; không cấp lại được."
        )
    (new,) = issue(s, old.course_id, [old.enrolment_id], on, replaces=old)
    return new
