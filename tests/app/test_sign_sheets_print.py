"""A sign-in sheet printed to be read back (issue 19): the sheet and every row of every
page recorded in the printing's transaction, blank rows without a person; nothing kept
when the printing fails; the CLI's PDF written only once that is committed."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import func, select

from app.cli import attendance as cli_attendance
from app.db import Database
from app.errors import InvalidValue
from app.services import sign_sheets
from models import AuditEntry, Person, SignSheet, SignSheetRow
from tests.app import scan_world, world
from tests.app.clirun import run
from tests.app.test_cli_attendance import course  # noqa: F401 - the fixture is shared
from tests.app.test_cli_courses import dbfile  # noqa: F401 - the fixture is shared
from tests.scans import make_scans


def test_every_row_of_every_page_is_recorded_with_the_sheet(db: Database) -> None:
    with db.transaction() as s:
        w = world.build(s)
        for i in range(26):  # two pages
            world.enrol(s, w, world.person(s, f"Nguyễn Văn {chr(ord('A') + i)}"), [])
    with db.transaction() as s:
        sheet = sign_sheets.print_sheet(s, w.course, 2, blank_rows=4)
    assert sheet.pages == 2 == len(PdfReader(io.BytesIO(sheet.pdf)).pages)
    with db.transaction(readonly=True) as s:
        stored = s.scalars(select(SignSheet)).one()
        rows = s.scalars(select(SignSheetRow).order_by(SignSheetRow.row_no)).all()
        people = s.execute(
            select(Person.full_name).order_by(Person.sort_key, Person.id)
        ).scalars().all()  # fmt: skip
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "print.sign_in_sheet"))
        assert len(audit.all()) == 1
    assert (stored.code, stored.session_id, stored.pages) == (sheet.code, w.sessions[1], 2)
    assert [r.row_no for r in rows] == list(range(1, 31))  # 26 people and 4 blank rows
    assert {r.page for r in rows} == {1, 2}
    assert [r.enrolment_id is None for r in rows] == [False] * 26 + [True] * 4
    assert all(r.y_bottom < r.y_top for r in rows)
    # Each page's QR names the sheet and the page; its rows are those recorded on it.
    for page in (1, 2):
        image = make_scans.render(sheet.pdf, page, 150).min(axis=2)
        texts = {b.text for b in zxingcpp.read_barcodes(image)}
        assert f"TH:{sheet.code}:{page}" in texts
    # The rows are in the printed order of the people (the sheet's STT).
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet.pdf)).pages)
    assert [text.index(n) for n in people] == sorted(text.index(n) for n in people)


def test_a_failed_printing_keeps_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    p = scan_world.printed(db, people=3)
    real = sign_sheets.render_sign_in_sheet

    def render_then_fail(*args: object, **kwargs: object) -> int:
        real(*args, **kwargs)  # the layout filled, the rows about to be stored
        raise OSError("disk full")

    monkeypatch.setattr(sign_sheets, "render_sign_in_sheet", render_then_fail)
    with pytest.raises(OSError), db.transaction() as s:
        sign_sheets.print_sheet(s, p.world.course, 2, show_qr=True)
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(SignSheet)) == 1  # the first only
        assert s.scalar(select(func.count()).select_from(SignSheetRow)) == 3 + 3
        printings = select(func.count()).where(AuditEntry.action == "print.sign_in_sheet")
        assert s.scalar(printings) == 1


def test_the_cli_writes_the_pdf_after_the_commit(
    course: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "ky-ten.pdf"
    seen: list[int] = []
    real = cli_attendance.write_atomic

    def write(path: Path, data: bytes) -> None:
        with sqlite3.connect(course) as other:  # another connection: committed rows only
            seen.append(other.execute("SELECT count(*) FROM sign_sheet_rows").fetchone()[0])
        real(path, data)

    monkeypatch.setattr(cli_attendance, "write_atomic", write)
    argv = ["--db", str(course), "attendance-sheet", "--course", "TH-2026-014", "--out", str(out)]
    code, text, err = run(capsys, *argv)
    assert code == 0, err
    assert seen == [2 + 5]  # two people and five blank rows, committed before the file
    assert out.exists() and "Đã in 1 trang" in text

    # A printing whose transaction fails after the PDF is made writes no file.
    real_print = sign_sheets.print_sheet

    def fail(*args: object, **kwargs: object) -> None:
        real_print(*args, **kwargs)  # type: ignore[arg-type]
        raise InvalidValue("Buổi 9 không có.")

    out.unlink()
    monkeypatch.setattr(sign_sheets, "print_sheet", fail)
    code, _text, err = run(capsys, *argv)
    assert code == 3 and "Buổi 9 không có." in err
    assert not out.exists()
    with sqlite3.connect(course) as con:
        assert con.execute("SELECT count(*) FROM sign_sheets").fetchone()[0] == 1
