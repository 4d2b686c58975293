"""Sổ cấp giấy chứng nhận: the register of a year, in order of issue, as PDF or a sheet.
A trainer's register holds the courses they teach, and says so under its title."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app.documents.register import RegisterLine
from app.errors import UserError
from app.files import write_atomic
from app.services import access, audit, certificate_rights
from app.services.certificates import listing
from models import Certificate


def register_lines(
    s: Session, year: int | None = None, course_id: int | None = None
) -> list[RegisterLine]:
    """The register's lines, in order of issue (listing checks who may see which)."""
    lines = []
    for r in listing(s, course_id=course_id, year=year):
        cert = s.get_one(Certificate, r.id)
        note = {
            "revoked": f"Đã thu hồi: {r.revoked_reason}",
            "replaced": f"Cấp lại bằng số {r.replaced_by}",
        }.get(r.status, "")
        if r.replaces:
            note = (note + "; " if note else "") + f"thay số {r.replaces}"
        lines.append(
            RegisterLine(
                r.serial,
                r.full_name,
                cert.snapshot.get("birth_date") or "",
                f"{cert.snapshot['course_title']} ({r.course_code})",
                r.issued_on,
                note,
            )
        )
    return lines


def write_register(s: Session, out: Path, year: int, course_id: int | None = None) -> int:
    """Sổ cấp giấy chứng nhận of a year as PDF (by the suffix) or .xlsx/.csv, written
    whole or not at all; how many lines."""
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
        render_register(heading, period, lines, signer, buf, date.today())
        try:
            write_atomic(out, buf.getvalue())
        except OSError as exc:
            raise UserError(
                f"Không ghi được {out.name}: tệp đang mở hoặc thư mục chỉ cho đọc."
            ) from exc
        return len(lines)
    from app.documents.table_export import Column, Sheet, write_table, write_tables

    columns = [
        Column("Số hiệu", "code", 20),
        Column("Họ và tên", width=28),
        Column("Ngày sinh", "code", 12),
        Column("Khóa học", width=50),
        Column("Ngày cấp", "date", 12),
        Column("Ghi chú", width=30),
        Column("Người nhận ký", width=18),
    ]
    rows = ([x.serial, x.full_name, x.birth, x.course, x.issued_on, x.note, ""] for x in lines)
    if own and out.suffix.lower() == ".xlsx":  # the sheet says whose part it is, above it
        caption = (f"Sổ cấp giấy chứng nhận – {period}",)
        write_tables(out, [Sheet(f"Sổ cấp GCN {year}", columns, rows, caption)], caption[0])
        return len(lines)
    write_table(out, f"Sổ cấp GCN {year}", columns, rows)  # a sheet name: 31 characters
    return len(lines)
