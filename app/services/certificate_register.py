"""Sổ cấp giấy chứng nhận: the register of a year, in order of issue, as PDF or a sheet.
A trainer's register holds the courses they teach, and says so under its title."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.documents.register import RegisterLine
from app.errors import UserError
from app.files import write_atomic
from app.services import access, audit, certificate_rights, settings
from app.services.certificates import listing
from app.signing.spot import Spot
from models import Certificate, Person

GENDER = {"male": "Nam", "female": "Nữ"}
FROM_SALUTATION = {"Ông": "Nam", "Bà": "Nữ"}


def _gender(s: Session, cert: Certificate) -> str:
    """As printed ("Ông"/"Bà"); for a certificate older than that, the person's record."""
    said = cert.snapshot.get("salutation")
    if said is not None:
        return FROM_SALUTATION.get(said, "")
    gender = s.scalar(select(Person.gender).where(Person.id == cert.person_id))
    return GENDER.get(gender.value if gender else "", "")


def _course(snapshot: dict) -> str:  # type: ignore[type-arg]
    heading = f"{snapshot['course_code']} – {snapshot['course_title']}"
    return heading + (f", {snapshot['period']}" if snapshot.get("period") else "")


def register_lines(
    s: Session, year: int | None = None, course_id: int | None = None
) -> list[RegisterLine]:
    """The register's lines in the order of their numbers in it, each as its certificate
    printed it (listing checks who may see which)."""
    lines = []
    found = listing(s, course_id=course_id, year=year)
    certs = {
        c.id: c
        for c in s.scalars(select(Certificate).where(Certificate.id.in_([r.id for r in found])))
    }
    found.sort(key=lambda r: (certs[r.id].register_no is None, certs[r.id].register_no or 0, r.id))
    for r in found:
        cert = certs[r.id]
        note = {
            "revoked": f"Đã thu hồi: {r.revoked_reason}",
            "replaced": f"Cấp lại bằng số {r.replaced_by}",
        }.get(r.status, "")
        if r.replaces:
            note = (note + "; " if note else "") + f"thay số {r.replaces}"
        snap = cert.snapshot
        lines.append(
            RegisterLine(
                serial=r.serial,
                register_no=str(cert.register_no or ""),
                full_name=r.full_name,
                birth=snap.get("birth_date") or "",
                gender=_gender(s, cert),
                unit=snap.get("unit") or "",
                course=_course(snap),
                result=snap.get("grade") or "Hoàn thành",
                issued_on=r.issued_on,
                note=note,
            )
        )
    return lines


def _day(value: str) -> date | str:
    """A birth date as a date (a real date cell); a year alone stays as written."""
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        return value


def write_register(
    s: Session,
    out: Path,
    year: int,
    course_id: int | None = None,
    sign: Callable[[bytes, Spot | None], bytes] | None = None,
) -> int:
    """Sổ cấp giấy chứng nhận of a year as PDF (by the suffix) or .xlsx/.csv, written
    whole or not at all; how many lines. sign (PDF only) turns the PDF into the signed one
    before it is written: a failure writes no file."""
    if sign is not None and out.suffix.lower() != ".pdf":
        raise UserError("Chỉ ký số được sổ cấp dạng PDF (không ký .xlsx hay .csv).")
    own = certificate_rights.scope(s, course_id) is not None and course_id is None
    from app.services import printing

    lines = register_lines(s, year=year, course_id=course_id)
    whose = ""
    if own:  # a trainer's part of the register, not to be taken for the whole of it
        actor = access.current(s)
        whose = f" – các khóa do {actor.full_name or actor.username} dạy"
    period = f"Năm {year}{whose}"
    audit.disclosed(s, "print.register", f"năm {year}{whose}: {len(lines)} dòng vào {out.name}",
                    "certificates")  # fmt: skip
    if out.suffix.lower() == ".pdf":
        from app.documents.register import render_register

        if not out.parent.is_dir():
            raise UserError(f"Không có thư mục {out.parent}.")
        heading, signer = printing.heading(s), printing.signer_title(s)
        buf = io.BytesIO()
        name = settings.get(s, "signer_name")
        spots: list[Spot] = []
        render_register(heading, period, lines, signer, buf, date.today(), name, spots)
        data = sign(buf.getvalue(), spots[-1] if spots else None) if sign else buf.getvalue()
        try:
            write_atomic(out, data)
        except OSError as exc:
            raise UserError(
                f"Không ghi được {out.name}: tệp đang mở hoặc thư mục chỉ cho đọc."
            ) from exc
        return len(lines)
    from app.documents.table_export import Column, Group, Sheet, write_table, write_tables

    columns = [
        Column("STT", "number", 6),
        Column("Số hiệu", "code", 22),
        Column("Số vào sổ", "number", 10),
        Column("Họ và tên", width=28),
        Column("Ngày sinh", "date", 12),
        Column("Giới tính", width=9),
        Column("Đơn vị", width=50),
        Column("Kết quả", width=12),
        Column("Ngày cấp", "date", 12),
        Column("Ghi chú", width=30),
        Column("Ký nhận", width=14),
    ]

    def rows():  # type: ignore[no-untyped-def]
        course = None
        for i, x in enumerate(lines, start=1):
            if x.course != course:
                course = x.course
                yield Group(x.course)
            number = int(x.register_no) if x.register_no else None
            yield [i, x.serial, number, x.full_name, _day(x.birth), x.gender, x.unit,
                   x.result, x.issued_on, x.note, ""]  # fmt: skip

    if out.suffix.lower() == ".xlsx":  # title rows above the header, as on paper
        heading = printing.heading(s)
        caption = (
            "SỔ CẤP GIẤY CHỨNG NHẬN",
            f"{heading.body} – {period}" if heading.body else period,
        )
        write_tables(out, [Sheet(f"Sổ cấp GCN {year}", columns, rows(), caption)], caption[0])
        return len(lines)
    write_table(out, f"Sổ cấp GCN {year}", columns, rows())  # a sheet name: 31 characters
    return len(lines)
