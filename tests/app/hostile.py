"""The hostile-argument table for the CLI: every subcommand against bad paths, bad files,
numbers that overflow, huge text, unknown ids, impossible dates, bad serial patterns,
empty strings and NUL bytes.

A case is (command, argv after `--db DB`, options); placeholders in the argv are filled
per case: {db} the case's database, {out} a writable folder for outputs, {dir} an existing
folder, {ro} a read-only folder, {long} a 300-character name, {xlsx} a good people sheet,
{scores} a good scores sheet, {garbage} random bytes named .xlsx, {brokenxml} an .xlsx
whose sheet XML is cut off, {zip} a zip that is no workbook, {csvbin} a .csv of binary
bytes, {empty} a 0-byte file, {backup} a good backup, {serial} the issued certificate's
serial, {team} the team's id, {p1} a person enrolled in the course, {p3} one not enrolled.

Used by tests/app/test_cli_hostile.py.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import traceback
import zipfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.cli import build_parser, main
from app.db import Database
from app.services import certificates, settings
from models import Base, Enrolment, EnrolmentStatus
from tests.app import sheets, world

COURSE = "TH-2024-001"
LONG = "x" * 300
WORDS = " ".join(f"tu{i}" for i in range(20_000))
HUGE = "99999999999999999999"  # past 64 bits


@dataclass(frozen=True)
class Case:
    command: tuple[str, ...]
    argv: tuple[str, ...]
    db: str | None = None  # a --db of its own (the case is about the database itself)
    allowed: frozenset[int] = field(default_factory=lambda: frozenset({0, 2, 3}))

    @property
    def id(self) -> str:
        text = " ".join((*self.command, *self.argv[len(self.command) :]))
        if self.db:
            text = f"--db {self.db} {text}"
        text = text.replace("\x00", "NUL").replace(WORDS, "WORDS20000")
        return text.replace("x" * 5000, "X5000").replace(LONG, "LONG300")


# -- leaf commands -----------------------------------------------------------------


def leaf_commands(parser: argparse.ArgumentParser | None = None) -> set[tuple[str, ...]]:
    """Every runnable subcommand path in `taphuan --help`, found by walking argparse."""
    parser = parser or build_parser()
    found: set[tuple[str, ...]] = set()

    def walk(p: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found.add(path)
            return
        for action in subs:
            for name, child in action.choices.items():
                walk(child, (*path, name))

    walk(parser, ())
    found.discard(())
    return found


# -- the world each case starts from -----------------------------------------------


@dataclass
class BaseDb:
    db: Path
    names: dict[str, str]


def build_base(folder: Path) -> BaseDb:
    """A migrated SQLite file with a course, people, a team, a trainer and a certificate."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "taphuan.db"
    return BaseDb(path, fill_world(str(path)))


def fill_world(target: str) -> dict[str, str]:
    """Migrate the database at target and put the cases' world in it; the names to use."""
    db = Database(target)
    db.upgrade()
    with db.transaction() as s:
        w = world.build(s)
        p1 = world.person(s, "Nguyễn Thị Thanh Hà", birth_date=date(1986, 5, 2), phone="0903111222")
        p2 = world.person(s, "Lê Văn An", birth_date=date(1990, 1, 1))
        p3 = world.person(s, "Trần Văn Bình", birth_date=date(1979, 2, 3))
        world.person(s, "Phạm Minh Đức", is_trainer=True)
        world.member(s, w, p3)
        for pid in (p1, p2):
            eid = world.enrol(s, w, pid, [], pre=5, post=8.5)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        for key, value in {
            "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "signer_name": "Nguyễn Văn Tâm",
            "serial_pattern": "{seq:04d}/GCN-SKHCN",
        }.items():
            settings.set_value(s, key, value)
        issued = certificates.issue(s, w.course, None, on=date(2024, 3, 8))
    db.close()
    return {"serial": issued[0].serial, "team": str(w.team), "p1": str(p1), "p3": str(p3)}


def make_files(folder: Path, base: BaseDb) -> dict[str, str]:
    """The input files the cases read (made once; the cases never write them)."""
    folder.mkdir(parents=True, exist_ok=True)
    xlsx = sheets.simple_workbook(
        folder / "hoc-vien.xlsx", ["Họ và tên", "Số điện thoại"], [["Phạm Thị Lan", "0903999888"]]
    )
    scores = sheets.simple_workbook(
        folder / "diem.xlsx",
        ["Họ và tên", "Số điện thoại", "Điểm cuối khóa"],
        [["Nguyễn Thị Thanh Hà", "0903111222", 9]],
    )
    garbage = folder / "rac.xlsx"
    garbage.write_bytes(os.urandom(4096))
    broken = folder / "hong-xml.xlsx"
    with zipfile.ZipFile(xlsx) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]  # the sheet's XML cut in the middle of a tag
            dst.writestr(item, data)
    notbook = folder / "nen.xlsx"
    with zipfile.ZipFile(notbook, "w") as z:
        z.writestr("ghi-chu.txt", "không phải sổ tính")
    csvbin = folder / "nhi-phan.csv"
    csvbin.write_bytes(b"\xff\xfe\x00\x00" + os.urandom(2000))
    empty = folder / "trong.xlsx"
    empty.write_bytes(b"")
    backup = folder / "sao-luu.db"
    with closing(sqlite3.connect(base.db)) as s, closing(sqlite3.connect(backup)) as d:
        s.backup(d)
    return {
        "xlsx": str(xlsx),
        "scores": str(scores),
        "garbage": str(garbage),
        "brokenxml": str(broken),
        "zip": str(notbook),
        "csvbin": str(csvbin),
        "empty": str(empty),
        "backup": str(backup),
    }


# -- running one case --------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    code: int | str  # "exception" when main() let one escape: a traceback for the user
    out: str
    err: str


def run_in_process(capsys, argv: list[str]) -> Outcome:  # type: ignore[no-untyped-def]
    try:
        code: int | str = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except BaseException:  # what a user would have seen as a traceback
        out, err = capsys.readouterr()
        return Outcome("exception", out, err + traceback.format_exc())
    out, err = capsys.readouterr()
    return Outcome(code, out, err)


def fill(argv: tuple[str, ...], values: dict[str, str]) -> list[str]:
    filled = []
    for arg in argv:
        for key, value in values.items():
            arg = arg.replace("{" + key + "}", value)
        filled.append(arg)
    return filled


def counts(path: Path) -> dict[str, int]:
    """Rows in every table of a SQLite file (read-only, so looking changes nothing)."""
    if not path.is_file() or path.stat().st_size == 0:
        return {}
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as con:
            tables = [
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    except sqlite3.DatabaseError:
        return {"<không đọc được>": path.stat().st_size}


def files_under(folder: Path) -> set[str]:
    """What exists under folder, but SQLite's own companions of an open database."""
    found = set()
    for root, dirs, names in os.walk(folder):
        for name in [*names, *dirs]:
            if not name.endswith(("-wal", "-shm")):
                found.add(os.path.relpath(os.path.join(root, name), folder))
    return found


def server_counts(url: str) -> dict[str, int]:
    """Rows in every table of a PostgreSQL database."""
    from sqlalchemy import create_engine, func, select

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in Base.metadata.tables.items()
            }
    finally:
        engine.dispose()
