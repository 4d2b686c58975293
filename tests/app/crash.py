"""Kill TapHuan for real (SIGKILL) in the middle of long writes, then look at the file.

Three operations, each a `taphuan` command in its own process: importing 10,000 people
from Excel, issuing 1,000 certificates, and upgrading a populated 0001 database to the
head. Each run copies a prepared database, starts the command, kills it at a random
moment within its running time, and then checks the file: `PRAGMA integrity_check` is
ok, foreign keys hold, and the operation is wholly there or wholly absent.

Used by tests/app/test_crash_safety.py (a few runs) and bench/kill_tests.py (many).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Scenario:
    name: str
    base: Path  # the prepared database, copied for each run
    argv: Callable[[Path], list[str]]  # the command, given the run's database
    state: Callable[[sqlite3.Connection], str]  # "before", "after", or what is wrong
    duration: float = 0.0  # seconds the command takes unkilled (measured by calibrate)
    # Files the command leaves, checked against the database: (files read, what is wrong).
    files: Callable[[Path, sqlite3.Connection], tuple[int, str]] | None = None


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.setdefault("QT_QPA_PLATFORM", "offscreen")
    e["PYTHONPATH"] = str(ROOT)
    return e


def command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "app", "--db", str(db), *args]


def check_file(db: Path) -> tuple[bool, list[tuple]]:  # type: ignore[type-arg]
    """Integrity and foreign keys, over a plain connection (recovering the journal)."""
    with closing(sqlite3.connect(db)) as con:
        ok = con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
    return ok, fk


def copy(base: Path, dest: Path) -> Path:
    with closing(sqlite3.connect(base)) as s, closing(sqlite3.connect(dest)) as d:
        s.backup(d)
    return dest


def calibrate(scenario: Scenario, work: Path) -> float:
    """Run once to the end: how long it takes, and that its end state is "after"."""
    db = copy(scenario.base, work / f"{scenario.name}-calibrate.db")
    started = time.perf_counter()
    done = subprocess.run(scenario.argv(db), env=env(), capture_output=True, text=True, cwd=ROOT)
    scenario.duration = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{scenario.name} failed unkilled: {done.stderr[-2000:]}")
    with closing(sqlite3.connect(db)) as con:
        state = scenario.state(con)
        files, problem = scenario.files(db, con) if scenario.files else (0, "")
    if state != "after" or problem:
        raise RuntimeError(f"{scenario.name} unkilled ends as {state!r} {problem}")
    return scenario.duration


@dataclass(frozen=True)
class Run:
    scenario: str
    killed_at: float  # seconds after start
    state: str  # before / after / what is wrong
    integrity: bool
    foreign_keys_ok: bool
    files_checked: int = 0
    files_problem: str = ""

    @property
    def good(self) -> bool:
        return (
            self.integrity
            and self.foreign_keys_ok
            and self.state in ("before", "after")
            and not self.files_problem
        )


def kill_once(scenario: Scenario, work: Path, rng: random.Random, n: int) -> Run:
    db = copy(scenario.base, work / f"{scenario.name}-{n}.db")
    # Anywhere from the interpreter starting to the last moments of the write.
    at = rng.uniform(0.3, max(0.4, scenario.duration * 0.98))
    proc = subprocess.Popen(
        scenario.argv(db), env=env(), cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(at)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    ok, fk = check_file(db)
    files, problem = 0, ""
    with closing(sqlite3.connect(db)) as con:
        try:
            state = scenario.state(con)
            if scenario.files:
                files, problem = scenario.files(db, con)
        except sqlite3.DatabaseError as exc:
            state = f"unreadable: {exc}"
    for part in work.glob(f"{scenario.name}-{n}.db*"):
        part.unlink()
    for outputs in work.glob(f"{scenario.name}-{n}-*"):
        shutil.rmtree(outputs, ignore_errors=True)
    return Run(scenario.name, round(at, 2), state, ok, not fk, files, problem)


# -- the three operations ----------------------------------------------------------------


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, env=env(), capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])


def import_scenario(work: Path, rows: int = 10_000) -> Scenario:
    from tests.app.sheets import people_workbook

    base = work / "import-base.db"
    _run(command(base, "init"))
    xlsx = people_workbook(work / "hoc-vien.xlsx", rows)
    with closing(sqlite3.connect(base)) as con:
        before = con.execute("SELECT count(*) FROM people").fetchone()[0]
    expected: list[int] = []

    def state(con: sqlite3.Connection) -> str:
        people = con.execute("SELECT count(*) FROM people").fetchone()[0]
        audited = con.execute(
            "SELECT count(*) FROM audit_entries WHERE action = 'person.import'"
        ).fetchone()[0]
        if people == before and audited == 0:
            return "before"
        if not expected:  # the calibrating run sets what "after" is
            expected.append(people)
        if people == expected[0] and audited == people - before:
            return "after"
        return f"half: {people} people, {audited} audited"

    return Scenario("import", base, lambda db: command(db, "import", "people", str(xlsx)), state)


def certificates_scenario(work: Path, people: int = 1000) -> Scenario:
    base = work / "certificates-base.db"
    _run(command(base, "init"))
    for key, value in (("issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), ("issuer_parent", "UBND TỈNH VĨNH LONG"),
                       ("signer_name", "Nguyễn Văn Tâm"), ("place", "Vĩnh Long")):  # fmt: skip
        _run(command(base, "settings", "set", key, value))
    _completed_course(base, people)

    def state(con: sqlite3.Connection) -> str:
        certs = con.execute("SELECT count(*) FROM certificates").fetchone()[0]
        counter = con.execute("SELECT coalesce(max(last), 0) FROM serial_counters").fetchone()[0]
        audited = con.execute(
            "SELECT count(*) FROM audit_entries WHERE action = 'certificate.issue'"
        ).fetchone()[0]
        if certs == counter == audited == 0:
            return "before"
        if certs == counter == audited == people:
            return "after"
        return f"half: {certs} certificates, counter {counter}, {audited} audited"

    def argv(db: Path) -> list[str]:
        out, out_dir = _certificate_outputs(db)
        out.parent.mkdir(exist_ok=True)
        return command(db, "certificates", "issue", "--course", "TH-2026-900",
                       "--out", str(out), "--out-dir", str(out_dir))  # fmt: skip

    return Scenario("certificates", base, argv, state, files=certificate_files)


def _certificate_outputs(db: Path) -> tuple[Path, Path]:
    """Where a run puts its combined PDF and its folder of one file a person."""
    return db.parent / f"{db.stem}-in" / "gcn.pdf", db.parent / f"{db.stem}-gcn"


def _pdf_pages(path: Path) -> list[str] | None:
    """The text of every page, if any PDF reader could read the file; None if not."""
    import logging

    from pypdf import PdfReader

    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.CRITICAL  # "invalid pdf header" is expected
    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]
    except Exception:  # scrambled, a lock file, half a file: nothing a reader shows
        return None
    finally:
        quiet.setLevel(level)


def certificate_files(db: Path, con: sqlite3.Connection) -> tuple[int, str]:
    """Every file left anywhere under the target folders (hidden work folders and their
    temporary files included, whatever the extension) is read as a PDF: each one that
    reads holds only serials that are in the register, each with the same holder and
    verification code; and a run's temporary files (killed before the commit) are
    cleared by the next run writing there. Returns (PDF files read, problem).

    A person's file placed in the folder must be the very one issued: its title names a
    serial whose kept digest is its snapshot's, and it is what a reprint renders
    (certificate_digests; a certificate older than issue 18: the PDF's own SHA-256)."""
    from app.staging import WORK_PREFIX, clear_orphans
    from tests.app import certificate_digests

    held: dict[str, tuple[str, str]] = {}
    for serial, code, snapshot in con.execute(
        "SELECT serial, verification_code, snapshot FROM certificates"
    ):
        held[serial] = (json.loads(snapshot)["full_name"].upper(), code)
    out, out_dir = _certificate_outputs(db)
    read = 0
    for folder in (out.parent, out_dir):
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
        for path in files:
            pages = _pdf_pages(path)
            if pages is None:
                continue
            read += 1
            name = str(path.relative_to(folder.parent))
            for text in pages:
                serial = re.search(r"Số hiệu: (\S+)", text)
                code = re.search(r"Mã xác minh: (\w+)", text)
                if serial is None or serial.group(1) not in held:
                    found = serial and serial.group(1)
                    return read, f"{name} prints {found}, not in the register"
                holder, kept_code = held[serial.group(1)]
                if holder not in text or code is None or code.group(1) != kept_code:
                    return read, f"{name}: {serial.group(1)} is not {holder}'s"
            if path.parent == out_dir:  # a person's file, in place
                wrong = certificate_digests.problem(db, path.read_bytes())
                if wrong is not None:
                    return read, f"{name} is no certificate in the register: {wrong}"
    for folder in (out.parent, out_dir):
        if folder.is_dir():
            clear_orphans(folder)  # the killed run's lock is free: its work folder goes
            if list(folder.glob(WORK_PREFIX + "*")):
                return read, f"temporary files left in {folder}"
    return read, ""


def _completed_course(db: Path, people: int) -> None:
    now = "2026-11-20 08:00:00"
    with closing(sqlite3.connect(db)) as con, con:
        con.execute(
            "INSERT INTO courses (id, code, title, organiser, start_date, end_date, status,"
            " is_online, min_attendance_pct, score_scale, version, created_at, updated_at)"
            " VALUES (900, 'TH-2026-900', 'Kỹ năng số cho Tổ công nghệ số cộng đồng', 'Sở',"
            f" '2026-11-16', '2026-11-20', 'finished', 0, 80, 10, 1, '{now}', '{now}')"
        )
        rng = random.Random(5)
        given = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Lan", "Nam", "Oanh", "Phúc"]
        for i in range(1, people + 1):
            name = f"Nguyễn {rng.choice(['Văn', 'Thị', 'Minh'])} {rng.choice(given)}"
            con.execute(
                "INSERT INTO people (id, full_name, family_name, middle_name, given_name,"
                " sort_key, search_key, birth_date, birth_year_only, is_trainer, version,"
                " created_at, updated_at) VALUES (?, ?, 'Nguyễn', '', ?, ?, ?, ?, 0, 0, 1, ?, ?)",
                (i, name, name.split()[-1], name.split()[-1].lower(), name.lower(),
                 date(1980 + i % 20, 1 + i % 12, 1 + i % 28).isoformat(), now, now),
            )  # fmt: skip
            con.execute(
                "INSERT INTO enrolments (id, course_id, person_id, status, registered_at, source,"
                " post_score, version, created_at, updated_at)"
                f" VALUES (?, 900, ?, 'completed', '{now}', 'manual', 8.5, 1, '{now}', '{now}')",
                (i, i),
            )


def migration_scenario(work: Path, people: int = 60_000) -> Scenario:
    """A 0001 database holding many people, enrolments and marks: 0002 rebuilds `people`
    (a batch copy on SQLite), which takes long enough to be killed in the middle."""
    from alembic import command as alembic

    from app.db import Database, alembic_config

    base = work / "migration-base.db"
    db = Database(str(base))
    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        alembic.upgrade(cfg, "0001")
    db.close()
    now = "2026-03-02 07:30:00"
    with closing(sqlite3.connect(base)) as con, con:
        con.execute(
            "INSERT INTO courses (id, code, title, organiser, start_date, end_date, status,"
            " is_online, min_attendance_pct, score_scale, version, created_at, updated_at)"
            " VALUES (1, 'TH-2026-001', 'Tập huấn', 'Sở', '2026-03-02', '2026-03-06', 'running',"
            f" 0, 80, 10, 1, '{now}', '{now}')"
        )
        con.execute(
            "INSERT INTO sessions (id, course_id, starts_at, ends_at, mode, grace_minutes,"
            f" version, created_at, updated_at) VALUES (1, 1, '{now}', '2026-03-02 11:00:00',"
            f" 'in_person', 15, 1, '{now}', '{now}')"
        )
        con.executemany(
            "INSERT INTO people (id, full_name, family_name, middle_name, given_name, sort_key,"
            " search_key, birth_year_only, is_trainer, version, created_at, updated_at)"
            " VALUES (?, 'Nguyễn Thị Hà', 'Nguyễn', 'Thị', 'Hà', 'k', 'nguyen thi ha', 0, 0, 1,"
            " ?, ?)",
            ((i, now, now) for i in range(1, people + 1)),
        )
        con.executemany(
            "INSERT INTO enrolments (id, course_id, person_id, status, registered_at, source,"
            " version, created_at, updated_at) VALUES (?, 1, ?, 'registered', ?, 'manual', 1, ?, ?)",
            ((i, i, now, now, now) for i in range(1, people + 1)),
        )
        con.executemany(
            "INSERT INTO attendance (id, session_id, enrolment_id, status, method, version,"
            " created_at, updated_at) VALUES (?, 1, ?, 'present', 'manual', 1, ?, ?)",
            ((i, i, now, now) for i in range(1, people + 1)),
        )
    from app.db import SCHEMA_HEAD

    def state(con: sqlite3.Connection) -> str:
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        counts = [
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("people", "enrolments", "attendance")
        ]
        if counts != [people] * 3:
            return f"rows lost: {counts}"
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if revision == "0001" and "person_merges" not in tables:
            return "before"
        if revision == SCHEMA_HEAD and "person_merges" in tables:
            return "after"
        return f"half: revision {revision}, person_merges {'person_merges' in tables}"

    # `check` only reads; `init` upgrades (with the backup first), then seeds the units.
    return Scenario("migration", base, lambda db: command(db, "init"), state)
