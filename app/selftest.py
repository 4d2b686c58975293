"""`taphuan --self-test`: does this installation work? Also in the frozen build, where it
proves the bundle carries what it needs (migrations, fonts, the administrative units,
ReportLab, matplotlib, PDFium).

In a temporary folder: create a database through the bundled migrations, seed the
official units, add a little data (a course, three people who completed it), issue a
certificate, render it, a sign-in sheet and a periodic report to PDF, and read the PDFs
back for their Vietnamese text; draw Tổng quan's charts with matplotlib (the report's
own charts are drawn with ReportLab, so they no longer prove matplotlib is bundled). Last, the user's data folder (where the database, its
backups and the log go) can be made and written, leaving nothing behind. Exit 0, or say
what failed and exit 1.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED = 0, 1


def pdf_text(pdf: bytes) -> str:
    """The text of every page, through PDFium (a runtime dependency; pypdf is for tests)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        parts = []
        for page in doc:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        doc.close()
    return " ".join(unicodedata.normalize("NFC", " ".join(parts)).split())


def _expect(pdf: bytes, *words: str) -> str:
    text = pdf_text(pdf)
    missing = [w for w in words if w not in text]
    if missing:
        raise AssertionError(f"thiếu chữ {missing!r} trong PDF")
    return f"{len(pdf) // 1024} KiB"


def run(say: Callable[[str], Any] = print) -> int:
    failures = 0
    context: dict[str, Any] = {}

    def step(label: str, fn: Callable[[], str | None], needs: bool = True) -> bool:
        nonlocal failures
        if not needs:
            say(f"BỎ QUA  {label} (vì bước trước lỗi)")
            return False
        started = time.perf_counter()
        try:
            detail = fn() or ""
        except Exception as exc:  # the self-test reports everything, then exits 1
            failures += 1
            say(f"LỖI  {label}: {exc}")
            say(traceback.format_exc(limit=3))
            return False
        ms = (time.perf_counter() - started) * 1000
        say(f"ĐẠT  {label} ({ms:.0f} ms){': ' + detail if detail else ''}")
        return True

    # A folder Windows cannot delete yet (a file still open) must not hide the outcome.
    with tempfile.TemporaryDirectory(prefix="taphuan-tu-kiem-tra-",
                                     ignore_cleanup_errors=True) as tmp:  # fmt: skip
        try:
            created = step("Tạo cơ sở dữ liệu qua các bản nâng cấp đóng gói",
                           lambda: _create(context, Path(tmp)))  # fmt: skip
            units = step("Nạp danh mục đơn vị hành chính", lambda: _units(context), created)
            data = step("Thêm khóa học, học viên, cấp giấy chứng nhận", lambda: _data(context),
                        units)  # fmt: skip
            step("In giấy chứng nhận (PDF, tiếng Việt)", lambda: _certificate(context), data)
            step("Ký số giấy chứng nhận (PAdES) và kiểm tra lại chữ ký",
                 lambda: _signed_certificate(context, Path(tmp)), data)  # fmt: skip
            step("In danh sách ký tên (PDF)", lambda: _sign_in_sheet(context), data)
            step("Đọc lại bảng ký tên đã ký (OpenCV, zxing-cpp)",
                 lambda: _scanned_sheet(context), data)  # fmt: skip
            step("Báo cáo định kỳ có biểu đồ (PDF)", lambda: _report(context), created)
            step("Biểu đồ Tổng quan (matplotlib)", lambda: _charts(context), created)
            step("Thư mục dữ liệu tạo và ghi được", _data_folder)
        finally:
            # Closed before its folder is deleted, whatever stopped the steps: Windows
            # refuses to delete an open file (WinError 32), and that error would take
            # the place of the real one.
            if "db" in context:
                context.pop("db").close()
    return _end(say, failures)


def _end(say: Callable[[str], Any], failures: int) -> int:
    if failures:
        say(f"Tự kiểm tra: {failures} bước lỗi.")
        return EXIT_FAILED
    say("Tự kiểm tra: mọi bước đều đạt.")
    return EXIT_OK


def _data_folder() -> str:
    """The data folder can be made (if missing) and written; the folders made for the
    check and its test file are removed again."""
    from app import config
    from app.errors import os_reason
    from app.files import folder_refusal

    folder = config.data_dir()
    made = []  # the folders this check creates, deepest first
    missing = folder
    while not missing.exists() and not missing.is_symlink() and missing != missing.parent:
        made.append(missing)
        missing = missing.parent
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AssertionError(
                f"Không tạo được thư mục dữ liệu {folder}: {os_reason(exc)}. TapHuan lưu cơ sở "
                "dữ liệu, bản sao lưu và nhật ký ở đó: hãy xóa hoặc đổi tên thứ đang chiếm chỗ "
                "đó, hoặc xin quyền tạo thư mục."
            ) from exc
        refusal = folder_refusal(folder)
        if refusal is not None:
            raise AssertionError(
                f"Không ghi được vào thư mục dữ liệu {folder}: {os_reason(refusal)}. TapHuan lưu "
                "cơ sở dữ liệu, bản sao lưu và nhật ký ở đó: hãy xin quyền ghi ở thư mục này."
            ) from refusal
    finally:
        for path in made:
            with contextlib.suppress(OSError):
                path.rmdir()
    return str(folder)


def _create(context: dict[str, Any], folder: Path) -> str:
    from app.actor import unsigned
    from app.db import SCHEMA_HEAD, Database

    db = Database(str(folder / "tu-kiem-tra.db"))
    context["db"] = db  # closed by run() however this ends
    db.actor = unsigned("tự kiểm tra")
    db.upgrade()
    revision = db.current_revision()
    if revision != SCHEMA_HEAD:
        raise AssertionError(f"phiên bản lược đồ {revision}, cần {SCHEMA_HEAD}")
    return f"lược đồ {revision}"


def _units(context: dict[str, Any]) -> str:
    from app.services import units

    with context["db"].transaction() as s:
        result = units.seed_official(s)
    return f"{result.provinces} tỉnh/thành, {result.communes} xã/phường"


def _data(context: dict[str, Any]) -> str:
    from app.services import certificates, person_edit, settings
    from app.services.person_edit import PersonForm
    from models import Course, Enrolment, EnrolmentStatus, Session

    today = date.today()
    with context["db"].transaction() as s:
        for key, value in (("issuer_parent", "UBND TỈNH VĨNH LONG"),
                           ("issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), ("place", "Vĩnh Long"),
                           ("signer_name", "Nguyễn Văn Tâm")):  # fmt: skip
            settings.set_value(s, key, value)
        course = Course(code="KT-0001", title="Kỹ năng số cho Tổ công nghệ số cộng đồng",
                        organiser="Sở Khoa học và Công nghệ", start_date=today - timedelta(days=2),
                        end_date=today)  # fmt: skip
        s.add(course)
        s.flush()
        start = datetime.combine(today - timedelta(days=2), datetime.min.time()).replace(hour=7)
        s.add(Session(course_id=course.id, starts_at=start, ends_at=start + timedelta(hours=3)))
        for name in ("Nguyễn Thị Thanh Hà", "Trần Văn Bình", "Lê Thị Ngọc Ánh"):
            person = person_edit.create(s, PersonForm(full_name=name))
            s.add(Enrolment(course_id=course.id, person_id=person.id,
                            status=EnrolmentStatus.COMPLETED, post_score=9))  # fmt: skip
        s.flush()
        issued = certificates.issue(s, course.id, None)
        context["course_id"], context["certificate_ids"] = course.id, [r.id for r in issued]
    return f"{len(issued)} giấy chứng nhận"


def _certificate(context: dict[str, Any]) -> str:
    from app.documents.certificate import render_certificates
    from app.services import certificates

    with context["db"].transaction(readonly=True) as s:
        items = certificates.reprint(s, context["certificate_ids"])
    out = io.BytesIO()
    render_certificates([d for d, _ in items], out, "Tự kiểm tra")
    return _expect(
        out.getvalue(), "GIẤY CHỨNG NHẬN", "NGUYỄN THỊ THANH HÀ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    )


def _throwaway_p12(folder: Path, password: str) -> Path:
    """A self-signed signing certificate made here and now, for this test only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tự kiểm tra TapHuan")])
    now = datetime.now().astimezone()
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    path = folder / "tu-kiem-tra.p12"
    encryption = serialization.BestAvailableEncryption(password.encode("utf-8"))
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"tk", key, cert, None, encryption))
    return path


def _signed_certificate(context: dict[str, Any], folder: Path) -> str:
    """pyHanko, cryptography and the signature's font in this installation: a certificate
    signed with a throwaway key, then its signature checked intact over the whole file."""
    from app.documents import certificate
    from app.services import certificates
    from app.signing import check, keys, pdf

    with context["db"].transaction(readonly=True) as s:
        ((data, _),) = certificates.reprint(s, context["certificate_ids"][:1])
    p12 = _throwaway_p12(folder, "tự-kiểm-tra")
    source = keys.KeySource(p12=str(p12))
    with keys.open_key(source, "tự-kiểm-tra", datetime.now().astimezone()) as key:
        page = certificate.render_one(data, signing=True)
        look = pdf.Look("SỞ KHOA HỌC VÀ CÔNG NGHỆ")
        signed = pdf.sign_pdf(page, key, certificate.signature_spot(data), look)
    found = check.check_pdf(signed.data)
    (sig,) = found.signatures
    if not (sig.intact and sig.whole_file):
        raise AssertionError(f"chữ ký số không kiểm tra lại được: {found.verdict}")
    _expect(signed.data, "GIẤY CHỨNG NHẬN", data.serial)
    return f"{len(signed.data) // 1024} KiB, {sig.signer.subject if sig.signer else ''}"


def _sign_in_sheet(context: dict[str, Any]) -> str:
    from app.documents.attendance_sheet import render_sign_in_sheet
    from app.services import printing

    with context["db"].transaction() as s:
        data = printing.sign_in_sheet(s, context["course_id"], 1, show_qr=True)
    out = io.BytesIO()
    render_sign_in_sheet(data, out)
    return _expect(out.getvalue(), "Lê Thị Ngọc Ánh", "KT-0001")


def _scanned_sheet(context: dict[str, Any]) -> str:
    """A sign-in sheet printed to be read back, its first row signed with a pen stroke
    drawn on its 150-dpi image, read back: the signature found, the other rows empty."""
    from pathlib import Path

    import cv2
    import numpy as np
    import pypdfium2 as pdfium

    from app.scan import ink
    from app.scan.pages import PageImage
    from app.scan.read import read_page
    from app.services import sheet_scan, sign_sheets

    with context["db"].transaction() as s:
        sheet = sign_sheets.print_sheet(s, context["course_id"], 1)
        geometry = sheet_scan.geometry(s, sheet.code)
    assert geometry is not None
    scale = 150 / 72
    gray = pdfium.PdfDocument(sheet.pdf)[0].render(scale=scale, grayscale=True).to_numpy().copy()
    first = min((r for r in geometry.rows if not r.walk_in), key=lambda r: r.row_no)
    x0, x1 = (x * scale for x in geometry.sign_x)
    top, bottom = ((geometry.page_h - y) * scale for y in (first.y_top, first.y_bottom))
    xs = np.linspace(x0 + (x1 - x0) * 0.2, x0 + (x1 - x0) * 0.8, 40)
    ys = (top + bottom) / 2 + (bottom - top) * 0.25 * np.sin(np.linspace(0, 12, 40))
    cv2.polylines(gray, [np.int32(np.column_stack([xs, ys]))], False, 20, 3, cv2.LINE_AA)
    read = read_page(PageImage(Path("tu-kiem-tra.png"), 1, gray), lambda _code: geometry)
    if read.problem:
        raise AssertionError(read.problem)
    states = {c.row_no: c.state for c in read.cells if c.row_no <= first.row_no + 2}
    signed = [r for r, st in states.items() if st == ink.SIGNED]
    if signed != [first.row_no] or any(
        st != ink.EMPTY for r, st in states.items() if r != first.row_no
    ):
        raise AssertionError(f"đọc sai: {states}")
    return f"mã bảng {sheet.code}, dòng {first.row_no} có chữ ký, các dòng khác trống"


def _charts(context: dict[str, Any]) -> str:
    """Every chart of Tổng quan drawn to PNG with matplotlib and its bundled fonts."""
    from app.documents import charts
    from app.services.reports import ReportFilter, dashboard

    today = date.today()
    with context["db"].transaction(readonly=True) as s:
        d = dashboard(s, ReportFilter(date(today.year, 1, 1), today))
    sizes = []
    for chart in charts.CHARTS:
        data = charts.png(chart, d, 4, 3, dpi=60)
        if not data.startswith(b"\x89PNG"):
            raise RuntimeError(f"biểu đồ “{chart.title}” không ra ảnh PNG")
        sizes.append(len(data))
    return f"{len(sizes)} biểu đồ"


def _report(context: dict[str, Any]) -> str:
    from app.services import report_file
    from app.services.reports import ReportFilter

    today = date.today()
    out = io.BytesIO()
    with context["db"].transaction(readonly=True) as s:
        report_file.render_pdf(s, ReportFilter(date(today.year, 1, 1), today), out, today)
    return _expect(out.getvalue(), "BÁO CÁO", "SỐ LIỆU TỔNG HỢP", "Số giấy chứng nhận đã cấp")
