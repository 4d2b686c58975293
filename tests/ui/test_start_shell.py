"""Start-up in two steps: the window's shell painted before the database code loads, then
the database opened in the worker and the pages attached (issue 18)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.db import Database
from app.errors import UserError
from tests.app import world
from tests.ui.test_startup import corrupt
from ui import startup
from ui.launcher import open_in_worker, shell, wait_idle
from ui.main_window import LOADING, MainWindow
from ui.pages import PAGES
from ui.settings import ui_settings
from ui.workers import TaskRunner

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "models", "matplotlib", "openpyxl", "reportlab", "numpy")


def loaded_after(code: str, tmp_path: Path) -> list[str]:
    """The heavy packages a fresh process has loaded once `code` ran."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={"QT_QPA_PLATFORM": "offscreen", "TAPHUAN_DATA_DIR": str(tmp_path),
             "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_window_shell_loads_no_database_code(tmp_path: Path) -> None:
    assert loaded_after("import ui.launcher, ui.main_window", tmp_path) == []
    # The entry point with no command (the window) reads its options without the commands.
    assert loaded_after("import app.cli.main", tmp_path) == []


def test_the_window_options_are_read_without_the_commands() -> None:
    from app.cli.main import window_args

    args = window_args(["--db", "x.db", "--page", "lich", "--demo"])
    assert args is not None and args.command is None
    assert (args.db, args.page, args.demo, args.screenshot) == ("x.db", "lich", True, None)
    for whole in (["people", "list"], ["--help"], ["--version"], ["--self-test"], ["--db"]):
        assert window_args(whole) is None  # the whole parser answers these, as before


def test_the_shell_is_painted_then_the_pages_attach(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database
) -> None:
    runner = TaskRunner()
    window = shell(vi_app, runner)
    qtbot.addWidget(window)
    assert window.isVisible() and window.windowTitle().startswith("TapHuan")
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == [
        p.title for p in PAGES
    ]
    loading = window.findChild(QLabel, "loadingPage")
    assert loading is not None and loading.text() == LOADING and loading.isVisible()
    assert not window.nav.isEnabled() and not window.page_actions["lich"].isEnabled()
    assert [a.text() for a in window.menuBar().actions()] == ["&Tệp", "&Xem", "Trợ &giúp"]

    opened = open_in_worker(vi_app, runner, str(seeded_db.path))
    assert opened.error is None and not opened.locked and opened.db is not None
    assert opened.lock is not None and opened.lock.isLocked()  # one window per file
    window.attach(opened.db)
    qtbot.waitUntil(lambda: "khóa học" in window.statusBar().currentMessage())
    assert window.findChild(QLabel, "loadingPage") is None
    assert window.current_page().slug == "tong-quan" and window.nav.isEnabled()
    assert window.stack.count() == len(PAGES) and window.page_actions["lich"].isEnabled()
    window.show_page("lich")
    assert window.current_page().slug == "lich"
    window.close()
    wait_idle(runner, 30)
    runner.wait()
    opened.db.close()
    opened.lock.unlock()


def test_a_file_another_window_holds_is_found_in_the_worker(
    vi_app: QApplication, seeded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = str(seeded_db.path)
    first = startup.lock_for(target)
    assert first is not None and startup.acquire(first, target)
    monkeypatch.setattr(startup, "LOCK_WAIT_MS", 100)
    runner = TaskRunner()
    opened = open_in_worker(vi_app, runner, target)
    assert opened.locked and opened.db is None and opened.error is None
    first.unlock()
    runner.wait()


def test_a_file_that_is_not_taphuans_is_refused_and_left_alone(
    vi_app: QApplication, tmp_path: Path
) -> None:
    bad = tmp_path / "hong.db"
    bad.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    runner = TaskRunner()
    opened = open_in_worker(vi_app, runner, str(bad))
    assert isinstance(opened.error, UserError)
    assert "không phải là cơ sở dữ liệu TapHuan" in opened.error.message
    assert opened.db is None and bad.read_text(encoding="utf-8") == "không phải cơ sở dữ liệu"
    assert opened.lock is not None
    opened.lock.unlock()
    runner.wait()


def test_a_broken_file_is_left_for_the_backup_question(
    vi_app: QApplication, sqlite_db: Database
) -> None:
    with sqlite_db.transaction() as s:
        for i in range(300):
            world.person(s, "Trần Thị Bình", workplace=f"Ấp {i}")
    sqlite_db.close()
    corrupt(sqlite_db.path)
    runner = TaskRunner()
    opened = open_in_worker(vi_app, runner, str(sqlite_db.path))
    # No database and no error: the window asks about the newest good backup (test_startup).
    assert opened.db is None and opened.error is None and not opened.locked
    assert opened.lock is not None
    opened.lock.unlock()
    runner.wait()


def test_the_people_list_is_read_when_first_shown(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database
) -> None:
    with seeded_db.transaction() as s:
        world.person(s, "Nguyễn Văn An")
    runner = TaskRunner()
    window = MainWindow(seeded_db, runner, ui_settings())
    qtbot.addWidget(window)
    window.show()
    people = window.people_page
    assert people is not None
    assert people.model.rowCount() == 0  # behind Tổng quan: not read yet
    window.show_page("hoc-vien")
    assert people.model.rowCount() == 1
    assert people.model.rows[0].full_name == "Nguyễn Văn An"
    assert people.count_label.text() == "1 người"
    window.close()
    wait_idle(runner, 30)
    runner.wait()
