"""CLI for attendance, scores and printed documents."""

from __future__ import annotations

import io
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.app import sheets
from tests.app.clirun import run
from tests.app.test_cli_courses import dbfile  # noqa: F401 - the fixture is shared


@pytest.fixture
def course(dbfile: Path, capsys: pytest.CaptureFixture[str]) -> Path:  # noqa: F811
    db = ["--db", str(dbfile)]
    assert (
        run(
            capsys,
            *db,
            "course",
            "add",
            "--code",
            "TH-2026-014",
            "--title",
            "Tập huấn VNeID",
            "--start",
            "2026-03-02",
            "--end",
            "2026-03-06",
        )[0]
        == 0
    )
    for day in ("2026-03-02", "2026-03-03"):
        assert (
            run(
                capsys,
                *db,
                "session",
                "add",
                "--course",
                "TH-2026-014",
                "--date",
                day,
                "--start",
                "07:30",
                "--end",
                "11:00",
            )[0]
            == 0
        )
    assert run(capsys, *db, "enrol", "--course", "TH-2026-014", "--person", "1", "2")[0] == 0
    return dbfile


def marks(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as con:
        return con.execute(
            "SELECT p.full_name, a.status FROM attendance a JOIN enrolments e ON e.id = a.enrolment_id"
            " JOIN people p ON p.id = e.person_id ORDER BY a.session_id, p.id"
        ).fetchall()


def test_print_sheet_summary_badges_and_record(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(course)]
    out = tmp_path / "ky-ten.pdf"
    code, text, _ = run(
        capsys,
        *db,
        "attendance-sheet",
        "--course",
        "TH-2026-014",
        "--session",
        "2",
        "--qr",
        "--out",
        str(out),
    )
    assert code == 0 and "Đã in 1 trang" in text
    page = unicodedata.normalize(
        "NFC", PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    )
    assert "Buổi 2: 07:30–11:00, ngày 03/03/2026" in page and "Nguyễn Thị Hà" in page
    assert (
        run(
            capsys,
            *db,
            "attendance-sheet",
            "--course",
            "TH-2026-014",
            "--summary",
            "--out",
            str(tmp_path / "tk.pdf"),
        )[0]
        == 0
    )
    code, text, _ = run(
        capsys, *db, "badges", "--course", "TH-2026-014", "--out", str(tmp_path / "the.pdf")
    )
    assert code == 0 and "Đã in 2 thẻ, 1 trang" in text
    code, text, _ = run(
        capsys, *db, "transcript", "--person", "1", "--out", str(tmp_path / "hs.pdf")
    )
    assert code == 0 and "Nguyễn Thị Hà" in text
    code, _, err = run(
        capsys, *db, "badges", "--course", "TH-2026-014", "--out", str(tmp_path / "the.txt")
    )
    assert code == 3 and "phải có đuôi .pdf" in err


def test_mark_by_code_person_and_all(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(course)]
    with sqlite3.connect(course) as con:
        code_ha = con.execute("SELECT checkin_code FROM people WHERE id = 1").fetchone()[0]
        code_an = con.execute("SELECT checkin_code FROM people WHERE id = 3").fetchone()[0]
    assert code_ha is None  # people written straight into the table have no code yet
    assert (
        run(
            capsys,
            *db,
            "attendance-sheet",
            "--course",
            "TH-2026-014",
            "--qr",
            "--out",
            str(course.parent / "a.pdf"),
        )[0]
        == 0
    )
    with sqlite3.connect(course) as con:
        code_ha = con.execute("SELECT checkin_code FROM people WHERE id = 1").fetchone()[0]
    assert code_ha  # printing the QR sheet gave the enrolled people their codes
    code, text, _ = run(
        capsys,
        *db,
        "attendance",
        "mark",
        "--course",
        "TH-2026-014",
        "--session",
        "1",
        "--code",
        code_ha.lower(),
        "--status",
        "late",
    )
    assert code == 0 and "Đã ghi Nguyễn Thị Hà: đi muộn ở buổi 1" in text
    code, text, _ = run(
        capsys,
        *db,
        "attendance",
        "mark",
        "--course",
        "TH-2026-014",
        "--session",
        "1",
        "--all",
        "--status",
        "present",
    )
    assert "Đã ghi có mặt cho 1 người" in text
    assert marks(course) == [("Nguyễn Thị Hà", "late"), ("Trần Văn Bình", "present")]
    code, _, err = run(
        capsys,
        *db,
        "attendance",
        "mark",
        "--course",
        "TH-2026-014",
        "--session",
        "1",
        "--person",
        "3",
        "--status",
        "present",
    )
    assert (
        code == 3
        and "Lê Văn An chưa ghi danh vào TH-2026-014" in err
        and "enrol --course TH-2026-014 --person 3" in err
    )
    code, _, err = run(
        capsys,
        *db,
        "attendance",
        "mark",
        "--course",
        "TH-2026-014",
        "--session",
        "9",
        "--all",
        "--status",
        "present",
    )
    assert code == 3 and "có 2 buổi; không có buổi số 9" in err
    assert len(marks(course)) == 2
    del code_an


def test_scores_import_refuses_and_then_skips(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(course)]
    path = sheets.simple_workbook(
        tmp_path / "diem.xlsx",
        ["Họ và tên", "Điểm đầu vào", "Điểm cuối khóa"],
        [["Nguyễn Thị Hà", 5, 8], ["Trần Văn Bình", 6, 11]],
    )
    # No birth date or phone or CCCD in the file: names alone do not match.
    code, text, err = run(capsys, *db, "scores", "import", str(path), "--course", "TH-2026-014")
    assert code == 3 and "Không ghi gì: 2 dòng" in err
    assert "Dòng 3: Trần Văn Bình – Điểm cuối khóa 11 nằm ngoài thang điểm 0–10." in text
    with sqlite3.connect(course) as con:
        con.execute("UPDATE people SET phone = '0903111222' WHERE id = 1")
    path = sheets.simple_workbook(
        tmp_path / "diem2.xlsx",
        ["Họ và tên", "SĐT", "Điểm đầu vào", "Điểm cuối khóa"],
        [["Nguyễn Thị Hà", "903111222", 5, 8], ["Trần Văn Bình", None, 6, 11]],
    )
    code, text, _ = run(
        capsys, *db, "scores", "import", str(path), "--course", "TH-2026-014", "--skip-unmatched"
    )
    assert code == 0 and "Đã ghi 1 dòng" in text
    with sqlite3.connect(course) as con:
        assert con.execute(
            "SELECT pre_score, post_score FROM enrolments WHERE person_id = 1"
        ).fetchone() == (5, 8)


def test_sheet_prints_phones_only_with_the_option(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(course) as con:
        con.execute("UPDATE people SET phone = '0903111222' WHERE id = 1")
    db = ["--db", str(course)]
    texts = {}
    for extra in ((), ("--phones",)):
        out = tmp_path / f"ky-ten{len(extra)}.pdf"
        code, said, _ = run(
            capsys, *db, "attendance-sheet", "--course", "TH-2026-014", *extra, "--out", str(out)
        )
        assert code == 0 and "Đã in 1 trang" in said
        texts[extra] = unicodedata.normalize(
            "NFC", PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
        )
    assert "Nguyễn Thị Hà" in texts[()] and "0903111222" not in texts[()]
    assert "0903111222" in texts[("--phones",)] and "Số điện thoại" in texts[("--phones",)]
    # Dated with the session (02/03/2026), not with the day it is printed.
    assert "ngày 02 tháng 3 năm 2026" in texts[()]


def test_phones_with_the_summary_is_a_usage_error(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tong-hop.pdf"
    db = ["--db", str(course)]
    args = ("attendance-sheet", "--course", "TH-2026-014", "--out", str(out))
    code, _, err = run(capsys, *db, *args, "--summary", "--phones")
    assert code == 2 and "--phones chỉ dùng cho danh sách ký tên một buổi" in err
    code, _, err = run(capsys, *db, *args, "--phones=có")
    assert code == 2 and "lỗi" in err
    # --qr too: the summary has no QR column, and saying nothing would print one without.
    code, _, err = run(capsys, *db, *args, "--summary", "--qr")
    assert code == 2 and "--qr chỉ dùng cho danh sách ký tên một buổi" in err
    assert not out.exists()
