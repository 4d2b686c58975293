"""Issue 13 §5: output into a pipe whose reader stops (`taphuan people list | head -1`)
ends quietly, with the command's own exit code and nothing on stderr, as a Unix tool
does; a write command whose output is not read still does its work."""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from app.db import Database
from tests.app import world
from tests.app.crash import ROOT, command, env
from tests.app.hostile import build_base, counts

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu", "Đức", "Kim", "Quang", "Xuân")
GIVEN = ("An", "Bình", "Cúc", "Dũng", "Hà", "Lan", "Nam", "Phúc", "Sơn", "Trang", "Tâm",
         "Vy", "Yến", "Hải", "Hùng")  # fmt: skip
MANY = 1500  # about 150 KB listed: more than a pipe holds, so writing meets the closed end


@pytest.fixture(scope="module")
def dbfile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_base(tmp_path_factory.mktemp("pipe")).db
    db = Database(str(path))
    names = itertools.product(FAMILY, MIDDLE, GIVEN)
    with db.transaction() as s:
        for family, middle, given in itertools.islice(names, MANY):
            world.person(s, f"{family} {middle} {given}")
    db.close()
    return path


def _closed_after(
    argv: list[str], lines: int, merged: bool = False
) -> tuple[int, str, list[bytes]]:
    """Run taphuan with stdout into a pipe; read `lines` lines, then close the pipe.
    merged: stderr into the same pipe (`2>&1 | head -1`)."""
    proc = subprocess.Popen(command(*argv), env=env(), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT if merged else subprocess.PIPE)  # fmt: skip
    assert proc.stdout is not None
    read = [proc.stdout.readline() for _ in range(lines)]
    proc.stdout.close()
    err = "" if proc.stderr is None else proc.stderr.read().decode("utf-8")
    return proc.wait(60), err, read


LISTINGS = [
    (["people", "list", "--limit", "5000"], 1),  # read one line, then close: `| head -1`
    (["people", "list", "--limit", "5000"], 0),  # closed before anything was read
    (["check"], 0),
    (["settings", "show"], 0),
    (["certificates", "list"], 0),
    (["certificates", "list"], 1),
    (["course", "list"], 0),
    (["course", "show", "TH-2024-001"], 1),
    (["users", "list"], 0),
    (["verify", "{serial}"], 0),
    (["--help"], 1),
]


@pytest.mark.parametrize(("argv", "lines"), LISTINGS, ids=lambda a: f"{a}")
def test_a_reader_that_stops_reading_ends_the_command_quietly(
    argv: list[str], lines: int, dbfile: Path
) -> None:
    argv = [a.replace("{serial}", _serial(dbfile)) for a in argv]
    code, err, read = _closed_after([str(dbfile), *argv], lines)
    assert code == 0, err
    assert all(line for line in read)
    if argv[:2] == ["people", "list"]:  # its count goes to stderr by design
        people = f"{counts(dbfile)['people']:,}".replace(",", ".")
        assert err == f"({people}/{people} người)\n", err
    else:
        assert err == "", err


def test_a_write_whose_output_is_not_read_still_commits(dbfile: Path, tmp_path: Path) -> None:
    path = tmp_path / "taphuan.db"
    with closing(sqlite3.connect(dbfile)) as s, closing(sqlite3.connect(path)) as d:
        s.backup(d)
    before = counts(path)["courses"]
    code, err, _ = _closed_after(
        [str(path), "course", "add", "--code", "TH-2026-900", "--title", "Khóa mới",
         "--start", "2026-03-02", "--end", "2026-03-06"], 0,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert counts(path)["courses"] == before + 1


def _serial(path: Path) -> str:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as con:
        return str(con.execute("SELECT serial FROM certificates").fetchone()[0])


# Issue 16: `taphuan … 2>&1 | head -1`: the messages on stderr go into the closed pipe too.
MERGED = [
    *(([*argv], 1, 0) for argv in dict.fromkeys(tuple(argv) for argv, _lines in LISTINGS)),
    (["people", "list", "--limit", "5000"], 0, 0),  # closed before anything was read
    (["course", "show", "KHONG-CO"], 0, 3),  # a refusal: its own exit code, quietly
    (["certificates", "revoke", "KHONG-CO", "--reason", "Sai tên"], 0, 3),
]


@pytest.mark.parametrize(
    ("argv", "lines", "exit_code"), MERGED, ids=[f"{' '.join(a)} ({n})" for a, n, _ in MERGED]
)
def test_messages_into_a_closed_pipe_end_the_command_quietly(
    argv: list[str], lines: int, exit_code: int, dbfile: Path, tmp_path: Path
) -> None:
    argv = [a.replace("{serial}", _serial(dbfile)) for a in argv]
    code, _, read = _closed_after([str(dbfile), *argv], lines, merged=True)
    assert code == exit_code
    assert all(line for line in read)
    assert not (tmp_path / "data" / "logs").exists()  # no internal error was logged


def test_a_write_whose_progress_is_not_read_still_commits(tmp_path: Path) -> None:
    """`taphuan demo 2>&1 | head -1`: the progress lines nobody reads do not stop it."""
    path = tmp_path / "mau.db"
    code, _, read = _closed_after([str(path), "demo"], 1, merged=True)
    assert code == 0 and read[0].strip()
    assert counts(path)["people"] > 1000
