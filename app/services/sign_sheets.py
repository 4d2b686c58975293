"""Sign-in sheets printed to be read back: each printing gets a code (in every page's
QR) and keeps where its rows were printed, in the same transaction as the printing's
audit entry; the PDF goes to its file only after the commit (the caller's part)."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, replace

from reportlab.lib.pagesizes import A4
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.documents.attendance_sheet import render_sign_in_sheet
from app.documents.sheet_marks import SheetLayout
from app.services import attendance, audit, printing
from models import SignSheet, SignSheetRow

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U
CODE_LENGTH = 8


@dataclass(frozen=True)
class PrintedSheet:
    pdf: bytes
    code: str
    pages: int


def _new_code(s: Session) -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if s.scalar(select(SignSheet.id).where(SignSheet.code == code)) is None:
            return code


def print_sheet(
    s: Session,
    course_id: int,
    session_number: int,
    blank_rows: int = 5,
    show_qr: bool = False,
    show_phones: bool = False,
) -> PrintedSheet:
    """The session's sign-in sheet, with corner marks and page QRs, recorded so that its
    signed pages can be read back."""
    data = printing.sign_in_sheet(s, course_id, session_number, blank_rows, show_qr, show_phones)
    enrolments = [e.id for e, _p in printing.people_of(s, course_id)]
    code = _new_code(s)
    layout = SheetLayout(*A4)
    out = io.BytesIO()
    pages = render_sign_in_sheet(replace(data, sheet_code=code), out, layout)
    column = attendance.session_by_number(s, course_id, session_number)
    sheet = SignSheet(
        code=code,
        course_id=course_id,
        session_id=column.id,
        printed_by=audit.who(s),
        pages=pages,
        page_w=layout.page_w,
        page_h=layout.page_h,
        sign_x0=layout.sign_x[0],
        sign_x1=layout.sign_x[1],
        name_x0=layout.name_x[0],
        name_x1=layout.name_x[1],
    )
    s.add(sheet)
    s.flush()
    rows = [
        {
            "sheet_id": sheet.id,
            "row_no": r.row_no,
            "page": r.page,
            "y_top": r.y_top,
            "y_bottom": r.y_bottom,
            "enrolment_id": enrolments[r.row_no - 1] if r.row_no <= len(enrolments) else None,
            "blank": r.row_no > len(enrolments),
        }
        for r in layout.rows
    ]
    if rows:
        s.execute(insert(SignSheetRow), rows)
    return PrintedSheet(out.getvalue(), code, pages)
