"""CLI for courses: add, session add, enrol, list, show, finish, export ics."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.documents.ics import IcsEvent, render_ics
from tests.app.clirun import run


@pytest.fixture
def dbfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "cli.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    with sqlite3.connect(path) as con:
        for i, name in enumerate(("Nguyễn Thị Hà", "Trần Văn Bình", "Lê Văn An"), start=1):
            con.execute(
                "INSERT INTO people (id, full_name, family_name, middle_name, given_name, sort_key, search_key,"
                " birth_year_only, is_trainer, version, created_at, updated_at)"
                " VALUES (?, ?, '', '', ?, ?, ?, 0, 0, 1, '2026-01-01', '2026-01-01')",
                (i, name, name.split()[-1], name.split()[-1], name.lower()),
            )
        con.execute(
            "INSERT INTO venues (id, name, capacity, version, created_at, updated_at)"
            " VALUES (1, 'Hội trường UBND xã Đại Điền', 80, 1, '2026-01-01', '2026-01-01')"
        )
    return path


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_course_from_the_command_line(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(dbfile)]
    code, out, _ = run(
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
        "--capacity",
        "2",
    )
    assert code == 0 and "Đã thêm khóa học TH-2026-014" in out
    for day in ("2026-03-02", "2026-03-03"):
        code, out, err = run(
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
            "--venue",
            "hoi truong ubnd xa dai dien",
        )
        assert code == 0, err
    code, out, _ = run(capsys, *db, "enrol", "--course", "TH-2026-014", "--person", "1", "2", "3")
    assert "Ghi danh 2 người, 1 người vào danh sách chờ" in out
    code, out, _ = run(capsys, *db, "course", "list", "--year", "2026")
    assert "TH-2026-014" in out and "2/2" in out
    code, out, _ = run(capsys, *db, "course", "show", "TH-2026-014")
    assert "02/03/2026 07:30–11:00  Hội trường UBND xã Đại Điền" in out
    ics = tmp_path / "lop.ics"
    code, out, _ = run(capsys, *db, "export", "ics", "--course", "TH-2026-014", str(ics))
    assert code == 0 and "Đã xuất 2 buổi học" in out
    text = ics.read_bytes().decode("utf-8")
    assert text.count("BEGIN:VEVENT") == 2 and "DTSTART:20260302T003000Z" in text
    code, _, err = run(capsys, *db, "course", "finish", "TH-2026-014")
    assert code == 3 and "2 buổi chưa điểm danh" in err and "--yes" in err
    code, out, _ = run(capsys, *db, "course", "finish", "TH-2026-014", "--yes")
    assert code == 0 and "0 hoàn thành, 2 chưa hoàn thành" in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (
            [
                "course",
                "add",
                "--code",
                "TH-1",
                "--title",
                "A",
                "--start",
                "2026-03-06",
                "--end",
                "2026-03-02",
            ],
            "Ngày kết thúc 02/03/2026 trước ngày bắt đầu 06/03/2026",
        ),
        (
            [
                "session",
                "add",
                "--course",
                "KHONG-CO",
                "--date",
                "2026-03-02",
                "--start",
                "07:30",
                "--end",
                "11:00",
            ],
            "Không có khóa học “KHONG-CO”",
        ),
    ],
)
def test_bad_input_exits_3_and_writes_nothing(
    dbfile: Path, capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    code, _, err = run(capsys, "--db", str(dbfile), *argv)
    assert code == 3 and fragment in err
    assert count(dbfile, "courses") == 0 and count(dbfile, "sessions") == 0


def test_a_holiday_session_is_refused_then_kept_with_a_reason(
    dbfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(dbfile)]
    run(
        capsys,
        *db,
        "course",
        "add",
        "--code",
        "TH-2026-020",
        "--title",
        "Lớp",
        "--start",
        "2026-04-27",
        "--end",
        "2026-05-08",
    )
    args = [
        "session",
        "add",
        "--course",
        "TH-2026-020",
        "--date",
        "2026-04-30",
        "--start",
        "07:30",
        "--end",
        "11:00",
    ]
    code, _, err = run(capsys, *db, *args)
    assert code == 3 and "là ngày nghỉ lễ" in err
    assert count(dbfile, "sessions") == 0
    code, _, _ = run(capsys, *db, *args, "--override", "Lớp học bù theo chỉ đạo của tỉnh")
    assert code == 0 and count(dbfile, "sessions") == 1


def test_ics_lines_are_folded_and_escaped() -> None:
    from datetime import datetime

    event = IcsEvent(
        "buoi-1@taphuan",
        datetime(2026, 3, 2, 7, 30),
        datetime(2026, 3, 2, 11, 0),
        "TH-2026-014: Tập huấn kỹ năng số; định danh điện tử, dịch vụ công trực tuyến mức độ 3 và 4 cho Tổ",
        "Hội trường, UBND xã Đại Điền",
    )
    data = render_ics([event], "Lịch", now=datetime(2026, 1, 1, 7, 0))
    lines = data.decode("utf-8").split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = data.decode("utf-8").replace("\r\n ", "")
    assert (
        "SUMMARY:TH-2026-014: Tập huấn kỹ năng số\\; định danh điện tử\\, dịch vụ công" in unfolded
    )
    assert "LOCATION:Hội trường\\, UBND xã Đại Điền" in unfolded
    assert "DTSTAMP:20260101T000000Z" in unfolded


def test_a_certificate_validity_from_the_command_line(
    dbfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(dbfile)]
    add = ["course", "add", "--title", "Tập huấn VNeID", "--start", "2026-03-02"]
    add += ["--end", "2026-03-06"]
    code, _, err = run(capsys, *db, *add, "--code", "TH-2026-020", "--validity-months", "0")
    assert code == 2 and "--validity-months" in err
    assert count(dbfile, "courses") == 0
    code, _, err = run(capsys, *db, *add, "--code", "TH-2026-021", "--validity-months", "240")
    assert code == 3
    assert "Thời hạn giấy chứng nhận phải từ 1 đến 120 tháng" in err
    assert count(dbfile, "courses") == 0
    code, _, _ = run(capsys, *db, *add, "--code", "TH-2026-022", "--validity-months", "24")
    assert code == 0
    with sqlite3.connect(dbfile) as con:
        assert con.execute("SELECT code, validity_months FROM courses").fetchall() == [
            ("TH-2026-022", 24)
        ]
