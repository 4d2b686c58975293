"""Every PDF the program makes embeds every font it names, and names none it does not use.

One test builds each document from a small database through the services that print it
(sign-in sheet, attendance summary, transcript, badges, certificate, register, report), so a
new document only needs a line here. ReportLab names Helvetica, unembedded, on every page of
a canvas whose initial font is left at its default: a PDF/A checker refuses that, and a
printer without Helvetica substitutes another face."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from app.db import Database
from app.documents.attendance_sheet import render_attendance_summary, render_sign_in_sheet
from app.documents.badges import render_badges
from app.documents.certificate import render_certificates
from app.documents.transcript import render_transcript
from app.report_data import ReportFilter
from app.services import (
    certificate_print,
    certificate_register,
    certificates,
    printing,
    report_file,
    settings,
)
from models import AttendanceStatus, Enrolment, EnrolmentStatus
from tests.app import world

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
SHOW = (b"Tj", b"TJ", b"'", b'"')
BASE_14 = {
    f"{family}{style}"
    for family, styles in (
        ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Courier", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
    )
    for style in styles
} | {"Symbol", "ZapfDingbats"}


def _resources(res: Any) -> Iterator[tuple[str, DictionaryObject]]:
    """(resource name, font dictionary) for the fonts of these resources and of the forms
    they hold, recursively (a certificate draws its fixed part as a form)."""
    res = res.get_object() if res is not None else None
    if not res:
        return
    for name, font in (res.get("/Font") or {}).items():
        yield name, font.get_object()
    for form in _forms(res):
        yield from _resources(form.get("/Resources"))


def _forms(res: Any) -> list[Any]:
    res = res.get_object() if res is not None else None
    found = [x.get_object() for x in ((res or {}).get("/XObject") or {}).values()]
    return [x for x in found if x.get("/Subtype") == "/Form"]


def _shown_in(stream: Any, reader: PdfReader, res: Any) -> set[str]:
    """The fonts that draw text in a content stream (and the forms it holds): a font set
    with Tf and never followed by a text-showing operator is not used."""
    shown: set[str] = set()
    current = None
    for operands, operator in ContentStream(stream, reader).operations:
        if operator == b"Tf":
            current = str(operands[0]).lstrip("/")
        elif operator in SHOW and current is not None:
            shown.add(current)
    for form in _forms(res):
        shown |= _shown_in(form, reader, form.get("/Resources"))
    return shown


def _descriptor_of(font: DictionaryObject) -> DictionaryObject | None:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    d = font.get("/FontDescriptor")
    return d.get_object() if d is not None else None


def font_faults(pdf: bytes) -> list[str]:
    """What is wrong with the fonts of a PDF: a base-14 font, a font not embedded, a font
    named in the resources that no page draws text with."""
    reader = PdfReader(io.BytesIO(pdf))
    faults: list[str] = []
    named: dict[str, str] = {}
    shown: set[str] = set()
    for number, page in enumerate(reader.pages, start=1):
        res = page.get("/Resources")
        for name, font in _resources(res):
            base = str(font.get("/BaseFont", "?")).lstrip("/")
            named[name.lstrip("/")] = base
            if base.split("+")[-1] in BASE_14:
                faults.append(f"page {number}: base-14 font {base}")
            descriptor = _descriptor_of(font)
            if descriptor is None or not any(k in descriptor for k in FONT_FILES):
                faults.append(f"page {number}: {base} not embedded")
        content = page.get_contents()
        if content is not None:
            shown |= _shown_in(content, reader, res)
    faults += [f"{base} named but never drawn with" for name, base in named.items()
               if name not in shown]  # fmt: skip
    return sorted(set(faults))


def configure(s) -> None:  # type: ignore[no-untyped-def]
    for key, value in {
        "issuer_parent": "UBND TỈNH VĨNH LONG",
        "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "place": "Vĩnh Long",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Tâm",
        "serial_pattern": "{seq:04d}/{year}/GCN-SKHCN",
    }.items():
        settings.set_value(s, key, value)


def _render(render: Callable[[Any, io.BytesIO], Any], data: Any) -> bytes:
    out = io.BytesIO()
    render(data, out)
    return out.getvalue()


def documents(db: Database, folder: Path) -> dict[str, bytes]:
    """Each document the program prints, built from one small database."""
    with db.transaction() as s:
        configure(s)
        w = world.build(s)
        for name in ("Nguyễn Thị Hoàng Phương Thảo", "Lê Văn An"):
            pid = world.person(s, name, birth_date=date(1986, 5, 2), phone="0903111222")
            eid = world.enrol(s, w, pid, [AttendanceStatus.PRESENT] * 3, pre=5, post=8.5)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        certificates.issue(s, w.course, None, on=date(2026, 11, 28))
    docs: dict[str, bytes] = {}
    with db.transaction() as s:
        docs["sign_in_sheet"] = _render(
            render_sign_in_sheet, printing.sign_in_sheet(s, w.course, 1)
        )
        docs["sign_in_sheet_qr"] = _render(
            render_sign_in_sheet, printing.sign_in_sheet(s, w.course, 1, show_qr=True)
        )
        docs["summary"] = _render(render_attendance_summary, printing.summary(s, w.course))
        docs["transcript"] = _render(render_transcript, printing.transcript(s, pid))
        docs["badges"] = _render(render_badges, printing.badges(s, w.course))
        items = certificates.reprint(s, certificate_print.for_course(s, w.course))
        docs["certificate"] = _render(render_certificates, [d for d, _ in items])
        register = folder / "so-cap.pdf"
        certificate_register.write_register(s, register, 2026)
        docs["register"] = register.read_bytes()
        report = io.BytesIO()
        report_file.render_pdf(s, ReportFilter(date(2024, 1, 1), date(2026, 12, 31)), report)
        docs["report"] = report.getvalue()
    return docs


def test_every_document_embeds_every_font_it_names_and_uses_them(
    sqlite_db: Database, tmp_path: Path
) -> None:
    docs = documents(sqlite_db, tmp_path)
    assert sorted(docs) == sorted(
        ["sign_in_sheet", "sign_in_sheet_qr", "summary", "transcript", "badges",
         "certificate", "register", "report"]
    )  # fmt: skip
    assert all(pdf.startswith(b"%PDF-") for pdf in docs.values())
    assert {name: font_faults(pdf) for name, pdf in docs.items()} == {name: [] for name in docs}


def test_the_check_sees_an_unembedded_font() -> None:
    """The check itself: a canvas left with ReportLab's default initial font fails it."""
    from reportlab.pdfgen import canvas

    from app.documents import fonts

    fonts.register()
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    c.setFont(fonts.SERIF, 12)
    c.drawString(72, 720, "Sở Khoa học và Công nghệ")
    c.showPage()
    c.save()
    assert font_faults(out.getvalue()) == [
        "Helvetica named but never drawn with",
        "page 1: Helvetica not embedded",
        "page 1: base-14 font Helvetica",
    ]
