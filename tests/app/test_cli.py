"""The CLI contract: commands, exit codes, Vietnamese messages, nothing written on error."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from app.db import SCHEMA_HEAD
from tests.app.clirun import run


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def initialised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "db" / "taphuan.db"
    code, out, _ = run(capsys, "--db", str(path), "init")
    assert code == 0, out
    return path


def test_init_seeds_official_units_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "taphuan.db"
    code, out, _ = run(capsys, "--db", str(path), "init")
    assert code == 0
    assert "34 tỉnh/thành phố, 3321 xã/phường (thêm mới 3355)" in out
    code, out, _ = run(capsys, "--db", str(path), "init")
    assert code == 0
    assert "(thêm mới 0)" in out


def test_check_reports_revision_integrity_and_counts(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--db", str(initialised), "check")
    assert code == 0
    assert "(mới nhất)" in out
    assert "Kiểm tra toàn vẹn: ok" in out
    assert "units" in out and "3.355" in out


def test_taphuan_db_environment_variable_chooses_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "env.db"
    monkeypatch.setenv("TAPHUAN_DB", str(path))
    assert run(capsys, "init")[0] == 0
    assert path.exists()


def test_usage_error_exits_2_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "khong-co-lenh")
    assert code == 2
    assert "lựa chọn không hợp lệ" in err
    code, _, err = run(capsys, "demo", "--scale", "0")
    assert code == 2
    assert "số nguyên dương" in err


def test_demo_refuses_a_database_with_people(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.db"
    code, out, _ = run(capsys, "--db", str(path), "demo", "--seed", "7")
    assert code == 0
    assert "người" in out
    before = digest(path)
    code, _, err = run(capsys, "--db", str(path), "demo")
    assert code == 3
    assert "Cơ sở dữ liệu đã có dữ liệu" in err
    assert digest(path) == before


def test_backup_and_restore_keep_the_replaced_file(
    initialised: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "sao-luu.db"
    code, out, _ = run(capsys, "--db", str(initialised), "backup", str(backup))
    assert code == 0 and backup.exists()
    with sqlite3.connect(initialised) as con:  # a change after the backup
        con.execute("DELETE FROM units WHERE level = 'commune' AND code = '29194'")
    code, out, _ = run(capsys, "--db", str(initialised), "restore", str(backup))
    assert code == 0
    assert "Tệp cũ được giữ tại" in out
    kept = list((initialised.parent / "backups").glob("*truoc-khoi-phuc.db"))
    assert len(kept) == 1
    with sqlite3.connect(initialised) as con:
        assert con.execute("SELECT count(*) FROM units WHERE code = '29194'").fetchone() == (1,)
    with sqlite3.connect(kept[0]) as con:
        assert con.execute("SELECT count(*) FROM units WHERE code = '29194'").fetchone() == (0,)


def test_backup_is_one_file_and_leaves_no_wal_files_behind(
    initialised: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The copy is self-contained (journal_mode DELETE) and neither it nor the database
    keeps -wal or -shm files once the command is done."""
    code, _, err = run(capsys, "--db", str(initialised), "people", "list")  # WAL mode, closed
    assert code == 0, err
    companions = [Path(f"{p}{s}") for p in (initialised,) for s in ("-wal", "-shm")]
    assert not any(c.exists() for c in companions)
    copy = tmp_path / "ban-sao" / "sao-luu.db"
    copy.parent.mkdir()
    code, out, err = run(capsys, "--db", str(initialised), "backup", str(copy))
    assert code == 0, err
    assert out.strip() == f"Đã sao lưu vào {copy}"
    left = [c.name for c in companions if c.exists()]
    assert left == [], f"left beside the database: {left}"
    assert sorted(p.name for p in copy.parent.iterdir()) == ["sao-luu.db"]
    with closing(sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert con.execute("SELECT count(*) FROM units").fetchone()[0] > 3000
    assert sorted(p.name for p in copy.parent.iterdir()) == ["sao-luu.db"]


def test_restore_refuses_a_file_that_is_not_taphuan(
    initialised: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "khac.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    before = digest(initialised)
    code, _, err = run(capsys, "--db", str(initialised), "restore", str(other))
    assert code == 3
    assert "không phải của TapHuan" in err
    assert digest(initialised) == before
    assert not (initialised.parent / "backups").exists()


# -- bad --db: a clear message, exit 3, the file untouched ---------------------------


def test_db_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(b"PK\x03\x04 this is a spreadsheet, not a database" * 50)
    before = digest(path)
    code, _, err = run(capsys, "--db", str(path), "init")
    assert code == 3
    assert "không phải là cơ sở dữ liệu TapHuan" in err
    assert digest(path) == before
    assert not Path(str(path) + "-wal").exists()


def test_db_that_is_corrupt(initialised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(initialised.read_bytes())
    data[100:4096] = b"\xa5" * (4096 - 100)  # the schema page, after the header
    initialised.write_bytes(bytes(data))
    before = digest(initialised)
    code, _, err = run(capsys, "--db", str(initialised), "init")
    assert code == 3
    assert "bị hỏng" in err
    assert digest(initialised) == before


ENGLISH = ("File exists", "not a zip", "malformed", "not a database", "Errno", "Error")


def test_what_the_system_says_reaches_the_user_in_vietnamese(
    initialised: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The system's and the libraries' own words are English: each is said in Vietnamese."""
    a_file = tmp_path / "tep-thuong"
    a_file.write_text("không phải thư mục")
    code, _, err = run(capsys, "--db", str(a_file / "taphuan.db"), "init")
    assert code == 3
    assert err.strip() == f"Lỗi: Không tạo được thư mục {a_file}: đã có tệp trùng tên."

    broken = tmp_path / "danh-sach.xlsx"  # a zip's first bytes, then nothing of one
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    code, _, err = run(capsys, "--db", str(initialised), "import", "people", str(broken))
    assert code == 3 and "danh-sach.xlsx bị hỏng" in err, err

    copy = tmp_path / "hong.db"
    data = bytearray(initialised.read_bytes())
    data[100:4096] = b"\xa5" * (4096 - 100)  # the schema page, after the header
    copy.write_bytes(bytes(data))
    code, _, err2 = run(capsys, "--db", str(copy), "check")
    assert code == 3 and "cấu trúc bên trong tệp bị hỏng" in err2, err2
    for said in (err, err2):
        assert not [word for word in ENGLISH if word in said], said


def test_check_counts_sqlites_complaints_in_vietnamese(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PRAGMA integrity_check answers in English, one line per damaged place: check counts them."""
    with closing(sqlite3.connect(initialised)) as con:  # an index built under another collation
        con.execute("CREATE TABLE t (a TEXT)")
        con.execute("CREATE INDEX t_a ON t (a COLLATE NOCASE)")
        con.executemany("INSERT INTO t VALUES (?)", [("B",), ("a",), ("C",)])
        con.commit()
        con.execute("PRAGMA writable_schema = ON")
        con.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX t_a ON t (a)' WHERE name = 't_a'")
        con.commit()
    code, out, err = run(capsys, "--db", str(initialised), "check")
    assert code == 3
    assert "Kiểm tra toàn vẹn: không đạt: 1 chỗ hỏng trong tệp" in out
    assert "missing" not in out + err and "index" not in out + err


def test_db_from_a_newer_taphuan(initialised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(initialised) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = digest(initialised)
    for command in ("init", "check"):
        code, _, err = run(capsys, "--db", str(initialised), command)
        assert code == 3
        assert "phiên bản TapHuan mới hơn" in err
        assert "9999_from_the_future" in err
        assert "Can't locate revision" not in err
    assert digest(initialised) == before


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make a folder read-only even for root (CI runs as root): a read-only bind mount."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot make a read-only folder as root here: {mounted.stderr!r}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_db_in_a_read_only_folder(initialised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = initialised.parent
    for p in folder.glob("taphuan.db-*"):
        p.unlink()
    before = digest(initialised)
    with read_only(folder):
        code, _, err = run(capsys, "--db", str(initialised), "init")
        assert code == 3
        assert "chỉ cho đọc" in err
        code, _, err = run(capsys, "--db", str(folder / "moi.db"), "init")
        assert code == 3
        assert "chỉ cho đọc" in err
    assert digest(initialised) == before
    assert not (folder / "moi.db").exists()


SERVER_DOWN = "postgresql://taphuan_app@127.0.0.1:1/taphuan"  # nothing listens on port 1


@pytest.mark.parametrize("argv", [["check"], ["people", "list"], ["init"], ["course", "list"]])
def test_an_unreachable_server_gets_the_same_message_from_every_command(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", SERVER_DOWN, *argv)
    assert code == 3, err
    assert err.strip() == (
        f"Lỗi: Không kết nối được cơ sở dữ liệu {SERVER_DOWN}: máy chủ tắt, sai địa chỉ, sai "
        "mật khẩu hoặc tường lửa chặn."
    )
    assert out == ""


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("sqlite://", "“sqlite://” không chỉ tệp nào"),
        ("sqlite:///:memory:", "“sqlite:///:memory:” không chỉ tệp nào"),
        ("mysql://taphuan@maychu/taphuan", "không dùng được cơ sở dữ liệu loại “mysql”"),
        ("http://x", "không dùng được cơ sở dữ liệu loại “http”"),
        ("postgresql://", "“postgresql://” thiếu tên máy chủ"),
        ("postgresql://maychu", "“postgresql://maychu” thiếu tên cơ sở dữ liệu"),
        ("://x", "“://x” không phải đường dẫn tệp hay địa chỉ cơ sở dữ liệu"),
    ],
)
def test_a_db_that_is_no_sqlite_file_or_postgresql_server(
    target: str,
    says: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may be created, not even in the working folder
    for argv in (["check"], ["people", "list"], ["init"]):
        code, out, err = run(capsys, "--db", target, *argv)
        assert code == 3, err
        assert err.startswith("Lỗi: ") and says in err, err
    assert list(tmp_path.iterdir()) == []


def test_db_on_a_network_share(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "//fileserver/chung/taphuan.db", "init")
    assert code == 3
    assert "ổ mạng" in err and "PostgreSQL" in err


def test_python_dash_m_app_runs_the_cli(tmp_path: Path) -> None:
    env = dict(os.environ, TAPHUAN_DB=str(tmp_path / "m.db"))

    def app(*argv: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "app", *argv]
        return subprocess.run(cmd, capture_output=True, text=True, env=env)

    missing = app("check")
    assert missing.returncode == 3
    assert "Chưa có cơ sở dữ liệu" in missing.stderr
    assert not (tmp_path / "m.db").exists()
    assert app("init").returncode == 0
    result = app("check")
    assert result.returncode == 0, result.stderr
    assert f"{SCHEMA_HEAD} (mới nhất)" in result.stdout


@pytest.mark.parametrize("argv", [["--help"], ["demo", "--help"], ["restore", "--help"]])
def test_help_is_vietnamese(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert out.startswith("cách dùng: taphuan")
    for english in ("usage:", "show this help", "show program's", "options:", "positional"):
        assert english not in out
