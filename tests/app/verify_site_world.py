"""Certificates in every status the verification site shows, for its tests (service, CLI,
folder, window, browser): valid, revoked, replaced (and the one replacing it), expired, and
one of a person known only by birth year. Their people carry what must never be
published: a citizen ID, a phone, an email, a full birth date, a hamlet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.db import Database
from app.services import certificates
from models import Course, Enrolment, EnrolmentStatus
from tests.app import world
from tests.app.test_certificates import configure

REASON = "Ghi sai ngày sinh trên giấy"
PEOPLE = {
    "valid": ("Nguyễn Thị Thanh Hà", date(1986, 5, 2), "083186000123", "0903111222"),
    "revoked": ("Lê Văn An", date(1990, 1, 1), "083090000456", "0913222333"),
    "replaced": ("Trần Thị Bích Ngọc", date(1992, 11, 23), "083192000789", "0987333444"),
    "expired": ("Phạm Văn Bình", date(1975, 8, 15), "083075000321", "0978444555"),
    "year_only": ("Võ Thị Hoa", date(1979, 1, 1), "083179000654", "0966555666"),
}


@dataclass
class SiteWorld:
    codes: dict[str, str]  # kind (as PEOPLE, and "reissued") -> verification code
    serials: dict[str, str]
    private: list[str]  # what must appear in no published file


def build(db: Database) -> SiteWorld:
    codes: dict[str, str] = {}
    serials: dict[str, str] = {}
    private = ["Ấp Thạnh Hòa", "Tân Phong"]  # the hamlet and commune of each person
    with db.transaction() as s:
        w = world.build(s)
        configure(s)
        s.get_one(Course, w.course).validity_months = 12
        enrolments = {}
        for kind, (name, born, citizen_id, phone) in PEOPLE.items():
            email = f"{kind.replace('_', '')}@example.vn"
            pid = world.person(
                s, name, birth_date=born, birth_year_only=kind == "year_only",
                citizen_id=citizen_id, phone=phone, email=email, unit_id=w.hamlet,
            )  # fmt: skip
            private += [citizen_id, phone, email, citizen_id[-4:] + phone[-3:]]
            if kind != "year_only":
                private += [f"{born:%d/%m/%Y}", born.isoformat()]
            eid = world.enrol(s, w, pid, [], post=9)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
            enrolments[kind] = eid
        expired = certificates.issue(s, w.course, [enrolments["expired"]], on=date(2024, 3, 8))
        rest = certificates.issue(s, w.course, [enrolments[k] for k in
                                                ("valid", "revoked", "replaced", "year_only")])  # fmt: skip
        for row in [*expired, *rest]:
            kind = next(k for k, eid in enrolments.items() if PEOPLE[k][0] == row.full_name)
            codes[kind], serials[kind] = row.verification_code, row.serial
        certificates.revoke(s, serials["revoked"], REASON)
        new = certificates.reissue(s, serials["replaced"])
        codes["reissued"], serials["reissued"] = new.verification_code, new.serial
    return SiteWorld(codes, serials, private)
