"""Issue 16: every date a command line option takes is accepted as dd/mm/yyyy as well as
YYYY-MM-DD; a bad date is a usage error (exit 2) naming the option and both forms, and
nothing is written. The options are found by walking the parser, so a new date option
that forgets the rule fails here."""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.cli import build_parser
from tests.app.clirun import run

FORMS = "dd/mm/yyyy hoặc YYYY-MM-DD"


def _walk(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.Action]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, (*path, name))
        else:
            yield path, action


def _takes_a_date(action: argparse.Action) -> bool:
    if not callable(action.type):
        return False
    try:
        return isinstance(action.type("2026-03-02"), date)
    except (argparse.ArgumentTypeError, ValueError, TypeError):
        return False


DATE_OPTIONS = [
    (path, action.option_strings[-1])
    for path, action in _walk(build_parser())
    if action.option_strings and _takes_a_date(action)
]

NAMES = [" ".join((*path, option)) for path, option in DATE_OPTIONS]


def test_the_walk_finds_the_date_options() -> None:
    assert {(" ".join(p), o) for p, o in DATE_OPTIONS} >= {
        ("course add", "--start"),
        ("course add", "--end"),
        ("session add", "--date"),
        ("report", "--from"),
        ("report", "--to"),
    }


@pytest.mark.parametrize(("path", "option"), DATE_OPTIONS, ids=NAMES)
def test_every_date_option_takes_both_forms(path: tuple[str, ...], option: str) -> None:
    parser = build_parser()
    actions = {(p, a.option_strings[-1]): a for p, a in _walk(parser) if a.option_strings}
    kind = actions[(path, option)].type
    assert callable(kind)
    for text in ("02/03/2026", "2/3/2026", " 02/03/2026 ", "2026-03-02"):
        assert kind(text) == date(2026, 3, 2), text
    assert kind("29/02/2024") == date(2024, 2, 29)


@pytest.mark.parametrize(("path", "option"), DATE_OPTIONS, ids=NAMES)
@pytest.mark.parametrize("bad", ["31/02/2026", "2026-02-31", "02.03.2026", "03/2026", "hôm nay"])
def test_a_bad_date_names_the_option_and_both_forms(
    path: tuple[str, ...], option: str, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *path, option, bad)
    assert code == 2 and out == ""
    assert f"tham số {option}: cần một ngày có thật, dạng {FORMS} (không phải “{bad}”)" in err


@pytest.mark.parametrize(("path", "option"), DATE_OPTIONS, ids=NAMES)
def test_a_date_out_of_the_years_is_refused(
    path: tuple[str, ...], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, *path, option, "02/03/1800")
    assert code == 2 and f"tham số {option}: 02/03/1800 nằm ngoài khoảng năm 1900–2100" in err
    code, _out, err = run(capsys, *path, option, "01/01/0001")  # said as typed, not "01/01/1"
    assert code == 2 and f"tham số {option}: 01/01/0001 nằm ngoài khoảng năm 1900–2100" in err


def test_courses_sessions_and_reports_by_dd_mm_yyyy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ngay.db"
    db = ["--db", str(path)]
    assert run(capsys, *db, "init")[0] == 0
    code, _out, err = run(capsys, *db, "course", "add", "--code", "TH-2026-040", "--title",
                          "Tập huấn VNeID", "--start", "02/03/2026", "--end", "6/3/2026")  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, *db, "session", "add", "--course", "TH-2026-040", "--date",
                         "04/03/2026", "--start", "07:30", "--end", "11:00")  # fmt: skip
    assert code == 0 and "Đã thêm buổi 04/03/2026 07:30–11:00" in out, err
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT start_date, end_date FROM courses").fetchall() == [
            ("2026-03-02", "2026-03-06")
        ]
    report = tmp_path / "bao-cao.xlsx"
    code, out, err = run(capsys, *db, "report", "--from", "01/01/2026", "--to", "31/12/2026",
                         "--out", str(report))  # fmt: skip
    assert code == 0 and "Đã lập báo cáo từ 01/01/2026 đến 31/12/2026" in out, err
    assert report.is_file()
