"""The periodic report as a file: PDF or .xlsx, for a period and an area."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.services import access, printing, reports, settings
from app.services.reports import ReportFilter
from app.signing.spot import Spot
from app.vn import dates
from models import Unit, UnitLevel, UnitScheme

SUFFIXES = (".pdf", ".xlsx")


def check_period(start: date, end: date) -> None:
    dates.check_year(start, "Ngày bắt đầu kỳ báo cáo")
    dates.check_year(end, "Ngày kết thúc kỳ báo cáo")
    if start > end:
        raise UserError(
            f"Ngày bắt đầu ({start:%d/%m/%Y}) ở sau ngày kết thúc ({end:%d/%m/%Y}) của kỳ báo cáo."
        )


def unit_by_code(s: Session, code: str) -> Unit:
    """A unit by its official code ("29194"); a 2025 unit wins over an old one that had
    the same code (a commune kept its code when others merged into it)."""
    found = s.scalars(
        select(Unit)
        .where(Unit.code == code.strip(), Unit.level != UnitLevel.HAMLET)
        .order_by(Unit.scheme != UnitScheme.Y2025, Unit.id)
    ).first()
    if found is None:
        raise UserError(f"Không có đơn vị hành chính mã “{code.strip()}”.")
    return found


def area(s: Session, f: ReportFilter) -> str:
    if f.unit_id is None:
        return "Toàn tỉnh"
    unit = s.get_one(Unit, f.unit_id)
    label = reports.unit_name(unit.kind, unit.name)
    if unit.scheme == UnitScheme.PRE2025:
        label += " (đơn vị trước sắp xếp năm 2025)"
    elif f.roll_up:
        label += " (gồm cả các đơn vị cũ đã sắp xếp vào)"
    return label


def document(s: Session, f: ReportFilter, printed_on: date | None = None):  # type: ignore[no-untyped-def]
    access.require(s, "reports")
    from app.documents.report import ReportDocument

    check_period(f.start, f.end)
    return ReportDocument(
        heading=printing.heading(s),
        signer=settings.get(s, "signer_title"),  # the agency is named in the heading
        signer_name=settings.get(s, "signer_name"),
        area=area(s, f),
        dashboard=reports.dashboard(s, f, course_limit=None),
        printed_on=printed_on,
        number=settings.get(s, "report_number"),
        recipients=settings.get(s, "report_recipients"),
        year=(printed_on or date.today()).year,
    )


def render_pdf(s: Session, f: ReportFilter, out: BinaryIO, printed_on: date | None = None) -> int:
    """The report as PDF into out (for the preview); returns the page count."""
    from app.documents.report import render_report

    return render_report(document(s, f, printed_on), out)


def write_report(
    s: Session,
    f: ReportFilter,
    path: Path,
    printed_on: date | None = None,
    sign: Callable[[bytes, Spot | None], bytes] | None = None,
) -> str:
    """Write the report to path (.pdf or .xlsx, through a temporary file); says what it
    wrote. sign (PDF only) turns the PDF into the signed one first, its visible signature in
    the signer's room: a failure writes nothing."""
    from app.documents.report import render_report, write_workbook

    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UserError(
            f"Báo cáo ghi ra tệp .pdf hoặc .xlsx (không phải “{path.suffix or path.name}”)."
        )
    if not path.parent.is_dir():
        raise UserError(f"Không có thư mục {path.parent}.")
    if sign is not None and suffix != ".pdf":
        raise UserError("Chỉ ký số được báo cáo dạng PDF (không ký .xlsx).")
    doc = document(s, f, printed_on)
    if suffix == ".xlsx":
        counts = write_workbook(doc, path)
        return f"{len(counts)} trang tính"
    buf = io.BytesIO()
    spots: list[Spot] = []
    pages = render_report(doc, buf, spots)
    data = sign(buf.getvalue(), spots[-1] if spots else None) if sign else buf.getvalue()
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except PermissionError as exc:
        raise UserError(
            f"Không ghi được {path.name}: tệp đang mở ở chương trình khác hoặc thư mục chỉ cho đọc."
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return f"{pages} trang"
