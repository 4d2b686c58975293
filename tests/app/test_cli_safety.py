"""Issue 13 §5: readers that neither lock nor wait nor create, a quick check before every
write, a restore that repairs a corrupt file, and no traceback even for a bug."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app import backups
from tests.app.clirun import run
from tests.app.hostile import COURSE, build_base, counts

ROOT = Path(__file__).resolve().parents[2]

# Commands that only read the record (printing or exporting personal data is recorded in
# the audit trail, so those are writers).
READERS = [
    ["check"],
    ["people", "list"],
    ["course", "list"],
    ["course", "show", COURSE],
    ["certificates", "list"],
    ["settings", "show"],
    ["verify", "KHONG-CO"],
    ["report", "--from", "2024-01-01", "--to", "2024-12-31", "--out", "{out}/bc.pdf"],
    ["export", "ics", "--course", COURSE, "{out}/lich.ics"],
]
WRITERS = [
    ["course", "add", "--code", "TH-2026-900", "--title", "Khóa mới",
     "--start", "2026-03-02", "--end", "2026-03-06"],
    ["attendance", "mark", "--course", COURSE, "--session", "1", "--all", "--status", "present"],
    ["import", "people", "{xlsx}"],
    ["export", "people", "{out}/hv.xlsx"],
    ["settings", "set", "place", "Vĩnh Long"],
]  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_base(tmp_path_factory.mktemp("safety")).db


@pytest.fixture
def dbfile(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "db" / "taphuan.db"
    path.parent.mkdir()
    with closing(sqlite3.connect(base)) as s, closing(sqlite3.connect(path)) as d:
        s.backup(d)
    return path


def fill(argv: list[str], tmp_path: Path) -> list[str]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    xlsx = tmp_path / "hv.xlsx"
    if not xlsx.exists():
        from tests.app.sheets import simple_workbook

        simple_workbook(xlsx, ["Họ và tên", "SĐT"], [["Phạm Thị Lan", "0903999888"]])
    return [a.replace("{out}", str(out)).replace("{xlsx}", str(xlsx)) for a in argv]


# -- readers take no write lock and wait for no writer --------------------------------


@pytest.fixture
def writer_holding_the_lock(dbfile: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process in the middle of a write: BEGIN IMMEDIATE, a row, no commit."""
    proc = _hold_the_lock(dbfile)
    yield proc
    _release(proc)


@pytest.mark.parametrize("argv", READERS, ids=[" ".join(a[:2]) for a in READERS])
def test_a_reader_runs_while_another_program_writes(
    argv: list[str],
    dbfile: Path,
    writer_holding_the_lock: subprocess.Popen[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A reader that waited for the lock would fail after the busy timeout: make it short,
    # so waiting shows up as a failure, not as a slow test.
    monkeypatch.setattr("app.db.BUSY_TIMEOUT_MS", 1500)
    monkeypatch.setattr("app.db.BUSY_RETRIES", 1)
    before = counts(dbfile)
    code, out, err = run(capsys, "--db", str(dbfile), *fill(argv, tmp_path))
    expected = 1 if argv[0] == "verify" else 0  # verify: 1 means "no such certificate"
    assert code == expected, err
    assert "Traceback" not in out + err
    assert counts(dbfile) == before


def test_people_list_while_another_program_writes(
    dbfile: Path,
    writer_holding_the_lock: subprocess.Popen[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("app.db.BUSY_TIMEOUT_MS", 1500)
    code, out, err = run(capsys, "--db", str(dbfile), "people", "list")
    assert code == 0, err
    assert "Nguyễn Thị Thanh Hà" in out and "(4/4 người)" in err


def _accounts(path: Path) -> None:
    """An administrator and a staff account (canbo) with passwords of their own."""
    from app.db import Database
    from app.services import users
    from tests.app.accounts import own_passwords

    db = Database(str(path))
    with db.transaction() as s:
        db.actor = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1",
                                            "mat-khau-1")  # fmt: skip
    with db.transaction() as s:
        users.create(s, users.UserForm("canbo", "Trần Thị Thu Trang", "staff"), "mat-khau-2")
        own_passwords(s, "canbo")
    db.close()


def _account(path: Path, name: str) -> tuple[object, ...]:
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as con:
        return tuple(con.execute(
            "SELECT failed_logins, locked_until, last_login_at, version FROM users "
            "WHERE username = ?", (name,)
        ).fetchone())  # fmt: skip


@pytest.mark.parametrize(
    "argv", [["people", "list"], ["users", "list"], ["certificates", "list"]], ids=" ".join
)
def test_a_reader_signs_in_while_another_program_writes(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, base: Path,
) -> None:  # fmt: skip
    """--user on a command that only reads: the password is checked in a read-only
    transaction, so it neither waits for the writer nor writes (a right password is not
    recorded); a wrong one is still counted and recorded once the writer is done."""
    path = tmp_path / "db" / "taphuan.db"
    path.parent.mkdir()
    with closing(sqlite3.connect(base)) as s, closing(sqlite3.connect(path)) as d:
        s.backup(d)
    _accounts(path)
    user = "quantri" if argv == ["users", "list"] else "canbo"
    password = "mat-khau-1" if user == "quantri" else "mat-khau-2"
    monkeypatch.setattr("app.db.BUSY_TIMEOUT_MS", 1500)  # waiting would fail, not be slow
    monkeypatch.setattr("app.db.BUSY_RETRIES", 1)
    monkeypatch.setenv("TAPHUAN_PASSWORD", password)
    before = counts(path), _account(path, user)
    writer = _hold_the_lock(path)
    try:
        code, out, err = run(capsys, "--db", str(path), "--user", user, *argv)
    finally:
        _release(writer)
    assert code == 0, err
    assert "Traceback" not in out + err
    assert (counts(path), _account(path, user)) == before  # no sign-in written

    monkeypatch.setenv("TAPHUAN_PASSWORD", "sai-mat-khau")
    code, out, err = run(capsys, "--db", str(path), "--user", user, *argv)
    assert code == 3 and out == "" and "Tên đăng nhập hoặc mật khẩu không đúng." in err
    assert _account(path, user)[0] == 1  # the failed attempt counted
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as con:
        last = con.execute(
            "SELECT user, action FROM audit_entries ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    assert last == (user, "user.login_failed")


def _hold_the_lock(path: Path) -> subprocess.Popen[str]:
    code = textwrap.dedent(f"""
        import sqlite3, sys
        con = sqlite3.connect({str(path)!r}, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE settings SET value = value")
        print("locked", flush=True)
        sys.stdin.readline()
        con.execute("COMMIT")
    """)
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def _release(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.wait(10) == 0  # the writer still held its lock and commits now


# -- no database: said, and nothing made ------------------------------------------------


@pytest.mark.parametrize(
    "argv", READERS + WRITERS, ids=[" ".join(a[:2]) for a in READERS + WRITERS]
)
def test_a_missing_or_empty_database_is_said_and_nothing_is_made(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "khong-co" / "taphuan.db"
    code, _, err = run(capsys, "--db", str(missing), *fill(argv, tmp_path))
    assert code == 3
    assert "Chưa có cơ sở dữ liệu" in err and f'“taphuan --db "{missing}" init”' in err
    assert not missing.parent.exists()
    empty = tmp_path / "trong.db"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "--db", str(empty), *fill(argv, tmp_path))
    assert code == 3
    assert "Chưa có cơ sở dữ liệu" in err
    assert empty.stat().st_size == 0
    assert not (tmp_path / "backups").exists()


# -- a quick check before every write ---------------------------------------------------


def corrupt_a_table(path: Path, table: str = "serial_counters") -> None:
    """Overwrite the root page of one table the commands below do not read: the file opens
    and its schema reads, only a check of its pages finds the damage."""
    with closing(sqlite3.connect(path)) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        page = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        size = con.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    start = (page[0] - 1) * size
    data[start : start + size] = b"\xa5" * size
    path.write_bytes(bytes(data))
    assert not backups.integrity_ok(path, quick=True)


@pytest.mark.parametrize("argv", WRITERS, ids=[" ".join(a[:2]) for a in WRITERS])
def test_no_write_into_a_malformed_file(
    argv: list[str], dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corrupt_a_table(dbfile)
    before = digest(dbfile)
    code, out, err = run(capsys, "--db", str(dbfile), *fill(argv, tmp_path))
    assert code == 3, out + err
    assert "bị hỏng" in err and "restore" in err
    assert "Traceback" not in out + err
    assert digest(dbfile) == before
    assert not any((tmp_path / "out").iterdir())


def test_restore_repairs_a_corrupt_database_and_keeps_the_broken_file(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "sao-luu.db"
    assert run(capsys, "--db", str(dbfile), "backup", str(backup))[0] == 0
    corrupt_a_table(dbfile)
    broken = digest(dbfile)
    code, out, err = run(capsys, "--db", str(dbfile), "restore", str(backup))
    assert code == 0, err
    assert "Tệp cũ được giữ tại" in out and "tep-hong" in out
    kept = list((dbfile.parent / "backups" / "tep-hong").glob("*.db"))
    assert [digest(p) for p in kept] == [broken]
    assert backups.integrity_ok(dbfile)
    code, _, err = run(capsys, "--db", str(dbfile), "course", "add", "--code", "TH-2026-900",
                       "--title", "Khóa mới", "--start", "2026-03-02", "--end", "2026-03-06")  # fmt: skip
    assert code == 0, err


def test_restore_never_replaces_a_file_that_is_no_database(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "danh-sach.xlsx"
    target.write_bytes(b"PK\x03\x04 a spreadsheet, not a database" * 50)
    before = digest(target)
    code, _, err = run(capsys, "--db", str(target), "restore", str(base))
    assert code == 3
    assert "không phải cơ sở dữ liệu SQLite" in err
    assert digest(target) == before
    assert not (tmp_path / "backups").exists()


# -- a bug: Vietnamese, logged, exit 5; never a traceback -----------------------------


def test_an_internal_error_is_logged_not_shown(
    dbfile: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    _isolated_data_dir: Path,
) -> None:
    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("một lỗi lập trình giả")

    monkeypatch.setattr("app.services.courses.catalogue", broken)
    code, out, err = run(capsys, "--db", str(dbfile), "course", "list")
    assert code == 5
    assert "Traceback" not in out + err
    assert "Lỗi nội bộ" in err
    log = _isolated_data_dir / "logs" / "taphuan.log"
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "một lỗi lập trình giả" in text


def test_output_in_a_non_utf8_console_is_still_vietnamese(tmp_path: Path) -> None:
    """Windows redirects to the ANSI code page: printing Vietnamese must not crash."""
    env = dict(os.environ, PYTHONIOENCODING="cp1252", PYTHONPATH=str(ROOT),
               TAPHUAN_DATA_DIR=str(tmp_path))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(tmp_path / "khong.db"), "course", "list"],
        capture_output=True,
        env=env,
    )
    assert done.returncode == 3
    assert b"Traceback" not in done.stderr
    assert "Chưa có cơ sở dữ liệu" in done.stderr.decode("utf-8")
    done = subprocess.run([sys.executable, "-m", "app", "--help"], capture_output=True, env=env)
    assert done.returncode == 0
    assert done.stdout.decode("utf-8").startswith("cách dùng: taphuan")


def test_a_full_disk_while_exporting_writes_nothing(
    dbfile: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An OSError no check could foresee: a Vietnamese message naming the file, exit 3, and
    the export's audit entry rolled back with the transaction."""
    import errno

    def full(path: Path, *_args: object, **_kw: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("app.services.exports.write_table", full)
    before = counts(dbfile)
    out = tmp_path / "hv.xlsx"
    code, _, err = run(capsys, "--db", str(dbfile), "export", "people", str(out))
    assert code == 3
    assert f"Lỗi: Không đọc hay ghi được {out}: ổ đĩa đã đầy." in err
    assert counts(dbfile) == before and not out.exists()
