"""The certificate commands' usage and their combined file: no output named is a usage
error (exit 2, Vietnamese, nothing written); argparse's own errors are Vietnamese; the
combined file is titled with the course's code as stored, so spaces typed around it do
not change a byte."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.db import Database
from tests.app import two_trainers
from tests.app.clirun import run
from tests.app.test_certificate_files import printed
from tests.app.test_cli_trainer_certificates import state
from tests.app.two_trainers import PASSWORD

ENGLISH = ("expected", "argument", "invalid choice", "unrecognized", "required", "usage:",
           "error:", "not allowed", "ignored")  # fmt: skip


@pytest.fixture
def where(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("TAPHUAN_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    two_trainers.build(sqlite_db)
    return ["--db", str(sqlite_db.path)]


def test_certificates_without_an_output_are_a_usage_error(
    sqlite_db: Database, where: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert sqlite_db.path is not None
    before = state(sqlite_db.path)
    for argv in (["issue", "--course", "TH-2024-001"], ["print", "--course", "TH-2024-001"],
                 ["reprint", "--course", "TH-2024-001"]):  # fmt: skip
        for user in ("lan", "quantri"):
            code, out, err = run(capsys, *where, "--user", user, "certificates", *argv)
            assert (code, out) == (2, ""), (argv, err)
            assert err.startswith(f"cách dùng: taphuan certificates {argv[0]} ")
            assert err.endswith(
                f"taphuan certificates {argv[0]}: lỗi: cần --out TỆP.pdf (tệp gộp để in) hoặc "
                "--out-dir THƯ_MỤC (mỗi người một tệp)\n"
            )
    with sqlite3.connect(sqlite_db.path) as con:  # not even a sign-in was made
        assert con.execute("SELECT count(*) FROM audit_entries WHERE action LIKE 'user.login%'"
                           ).fetchone() == (0,)  # fmt: skip
    assert state(sqlite_db.path) == before


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["certificates", "print", "--course", "TH-2024-001", "--serial", "--out", "x.pdf"],
         "taphuan certificates print: lỗi: tham số --serial: cần ít nhất một giá trị\n"),
        (["export", "ics", "lich.ics"],
         "taphuan export ics: lỗi: cần một trong các tham số --course --trainer\n"),
        (["export", "ics", "--course", "A", "--trainer", "3", "lich.ics"],
         "taphuan export ics: lỗi: tham số --trainer: không dùng cùng với --course\n"),
        (["--demo=co", "check"], "taphuan: lỗi: tham số --demo: không nhận giá trị 'co'\n"),
        (["check", "--thua"], "taphuan: lỗi: tham số không nhận ra: --thua\n"),
        (["users", "role", "lan", "--role", "boss"],
         "taphuan users role: lỗi: tham số --role: lựa chọn không hợp lệ: 'boss' (chọn một "
         "trong 'admin', 'staff', 'trainer')\n"),
        (["certificates"], "taphuan certificates: lỗi: thiếu tham số bắt buộc: VIỆC\n"),
    ],
)  # fmt: skip
def test_argparse_speaks_vietnamese(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--db", str(tmp_path / "khong-co.db"), *argv)
    assert (code, out) == (2, "") and err.endswith(said), err
    assert not any(word in err for word in ENGLISH), err
    assert not (tmp_path / "khong-co.db").exists()


def test_spaces_around_the_course_code_change_no_byte_of_the_combined_file(
    where: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    admin = [*where, "--user", "quantri"]
    issued = tmp_path / "cap.pdf"
    code, out, err = run(capsys, *admin, "certificates", "issue", "--course", " TH-2024-001 ",
                         "--out", str(issued))  # fmt: skip
    assert code == 0, err
    (serial,) = [s for s, _ in printed(issued)]
    for typed, user in (("TH-2024-001", "quantri"), ("  TH-2024-001", "lan"),
                        ("TH-2024-001\t", "canbo")):  # fmt: skip
        again = tmp_path / f"in-{user}.pdf"
        code, _, err = run(capsys, *where, "--user", user, "certificates", "print", "--course",
                           typed, "--serial", serial, "--out", str(again))  # fmt: skip
        assert code == 0, err
        assert again.read_bytes() == issued.read_bytes(), typed
    assert _title(issued) == "Giấy chứng nhận TH-2024-001"  # the code as stored


def _title(pdf: Path) -> str:
    metadata = PdfReader(pdf).metadata
    return str(metadata.title if metadata else "")


def test_a_trainers_register_workbook_says_whose_courses_it_holds(
    where: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from datetime import date

    from openpyxl import load_workbook

    year = str(date.today().year)
    for user in ("lan", "canbo"):
        out = tmp_path / f"so-cap-{user}.xlsx"
        code, _, err = run(capsys, *where, "--user", user, "certificates", "register",
                           "--year", year, "--out", str(out))  # fmt: skip
        assert code == 0, err
        sheet = load_workbook(out).active
        assert sheet is not None
        title, period = str(sheet.cell(1, 1).value), str(sheet.cell(2, 1).value)
        assert title == "SỔ CẤP GIẤY CHỨNG NHẬN" and sheet.cell(4, 2).value == "Số hiệu"
        if user == "lan":
            assert period.endswith(f"Năm {year} – các khóa do Phạm Thị Lan dạy")
        else:  # the department's whole register: the year alone
            assert period.endswith(f"Năm {year}") and "các khóa do" not in period
