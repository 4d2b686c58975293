"""Start-up where nobody can click (--screenshot): whatever is wrong with the database
ends the process promptly with its Vietnamese message on stderr and exit 3, the file
left as it was; no question waits for an answer (issue 18's worker start, fix 18b).
And the first start, before the file exists, is no broken file in either mode."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.db import Database
from tests.app import world
from tests.ui.test_startup import corrupt
from ui.launcher import open_in_worker
from ui.workers import TaskRunner

ROOT = Path(__file__).resolve().parents[2]


def screenshot(db: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`taphuan --db DB --screenshot out.png` in its own process, as the tester ran it."""
    return subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), "--screenshot", str(tmp_path / "o.png")],
        cwd=ROOT,
        env={"QT_QPA_PLATFORM": "offscreen", "TAPHUAN_DATA_DIR": str(tmp_path / "data"),
             "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=90,  # a question waiting for a click would hang here: the test fails
    )  # fmt: skip


def _broken(path: Path) -> None:
    corrupt(path)


def _not_a_database(path: Path) -> None:
    path.write_text("không phải cơ sở dữ liệu", encoding="utf-8")


def _newer(path: Path) -> None:
    with closing(sqlite3.connect(path)) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999_tuong_lai'")
        con.commit()


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "broken": (_broken, "bị hỏng (kiểm tra nhanh không đạt); không ghi gì vào nó"),
    "not-a-database": (_not_a_database, "không phải là cơ sở dữ liệu TapHuan"),
    "newer": (_newer, "do một phiên bản TapHuan mới hơn tạo ra"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_screenshot_of_a_bad_file_ends_with_its_message(
    sqlite_db: Database, tmp_path: Path, case: str
) -> None:
    with sqlite_db.transaction() as s:
        world.build(s)
        for i in range(300):
            world.person(s, "Nguyễn Văn An", workplace=f"Ấp {i}")
    sqlite_db.close()
    assert sqlite_db.path is not None
    spoil, said = CASES[case]
    spoil(sqlite_db.path)
    before = hashlib.sha256(sqlite_db.path.read_bytes()).hexdigest()
    done = screenshot(sqlite_db.path, tmp_path)
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("Lỗi: ") and said in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "o.png").exists()
    assert hashlib.sha256(sqlite_db.path.read_bytes()).hexdigest() == before  # nothing written
    assert not (tmp_path / "backups" / "tep-hong").exists()  # not moved aside either


def test_a_screenshot_of_a_file_not_made_yet_makes_it(tmp_path: Path) -> None:
    fresh = tmp_path / "moi" / "taphuan.db"
    done = screenshot(fresh, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Đã lưu ảnh màn hình vào") and done.stderr == ""
    assert (tmp_path / "o.png").stat().st_size > 0 and fresh.stat().st_size > 0


@pytest.mark.parametrize("interactive", [True, False])
def test_the_first_start_opens_a_new_file_without_a_backup_question(
    vi_app: QApplication, tmp_path: Path, interactive: bool
) -> None:
    """No file yet is nothing broken: opened (and made), no 'Tệp dữ liệu bị hỏng'."""
    fresh = tmp_path / "taphuan.db"
    runner = TaskRunner()
    opened = open_in_worker(vi_app, runner, str(fresh), interactive)
    assert opened.error is None and not opened.locked
    assert opened.db is not None and fresh.stat().st_size > 0
    opened.db.close()
    if opened.lock is not None:
        opened.lock.unlock()
    runner.wait()
