"""`taphuan attendance scan FILE… [--apply]` (issue 19): without --apply nothing is written;
with it, the cells read for sure; exit 3, a Vietnamese message and nothing written when
no page could be read or a file does not exist."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.db import Database
from app.services import sheet_scan
from tests.app.clirun import run
from tests.app.test_cli_attendance import course, marks  # noqa: F401 - the fixture is shared
from tests.app.test_cli_courses import dbfile  # noqa: F401 - the fixture is shared
from tests.scans import make_scans


def _signed(dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict]:  # noqa: F811
    sheet = tmp_path / "ky-ten.pdf"
    argv = ["--db", str(dbfile), "attendance-sheet", "--course", "TH-2026-014", "--out", str(sheet)]
    assert run(capsys, *argv)[0] == 0
    with sqlite3.connect(dbfile) as con:
        (code,) = con.execute("SELECT code FROM sign_sheets").fetchone()
    db = Database(str(dbfile))
    with db.transaction(readonly=True) as s:
        geometry = sheet_scan.geometry(s, code)
    db.close()
    assert geometry is not None
    pages = make_scans.scan_pages(2, sheet.read_bytes(), geometry, code)
    written = make_scans.write_case(make_scans.Case(2, b"", geometry, pages), tmp_path)
    ((name, _i),) = written
    return tmp_path / name, pages[0].truth


def test_scan_proposes_then_applies_the_sure_marks(
    course: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scan, truth = _signed(course, tmp_path, capsys)
    db = ["--db", str(course)]
    code, out, err = run(capsys, *db, "attendance", "scan", str(scan))
    assert code == 0, err
    signed = sum(truth.values())
    assert f"Đọc được 1 trang: {signed} ô có chữ ký, {len(truth) - signed} ô trống" in out
    assert "Chưa ghi gì. Thêm --apply" in out
    assert marks(course) == []
    code, out, err = run(capsys, *db, "attendance", "scan", str(scan), "--apply")
    assert code == 0, err
    assert f"Đã ghi {len(truth)} điểm danh" in out
    with sqlite3.connect(course) as con:
        people = [r[0] for r in con.execute(
            "SELECT p.full_name FROM enrolments e JOIN people p ON p.id = e.person_id"
            " ORDER BY p.sort_key, p.id"
        )]  # fmt: skip
    written = dict(marks(course))
    assert written == {people[row - 1]: "present" if truth[row] else "absent" for row in truth}


def test_scan_refuses_when_no_page_is_read_or_a_file_is_missing(
    course: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scan, _truth = _signed(course, tmp_path, capsys)
    db = ["--db", str(course)]
    not_ours = tmp_path / "ghi-chu.jpg"
    not_ours.write_text("không phải ảnh", encoding="utf-8")
    code, out, err = run(capsys, *db, "attendance", "scan", str(not_ours), "--apply")
    assert code == 3
    assert "Không đọc được trang bảng ký tên nào. Chưa ghi gì." in err
    assert "ghi-chu.jpg, trang 1: bỏ qua: không phải tệp ảnh đọc được" in out
    missing = tmp_path / "khong-co.pdf"
    code, _out, err = run(capsys, *db, "attendance", "scan", str(scan), str(missing), "--apply")
    assert code == 3 and f"Không có tệp “{missing}”. Chưa đọc, chưa ghi gì." in err
    assert marks(course) == []
    with sqlite3.connect(course) as con:
        scans = "SELECT count(*) FROM audit_entries WHERE action = 'attendance.scan'"
        assert con.execute(scans).fetchone()[0] == 0
