"""Opening at start: one window per SQLite file, a broken file answered with the newest
good backup, the daily copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from app import backups
from app.db import Database
from models import Person
from tests.app import world
from ui import startup


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    monkeypatch.setattr("ui.crash.show_error", lambda _t, text, *a: shown.append(text))
    return shown


def test_a_second_window_on_the_same_file_is_told_clearly(
    vi_app: QApplication, sqlite_db: Database, said: list[str]
) -> None:
    target = str(sqlite_db.path)
    first = startup.lock_for(target)
    assert first is not None and startup.acquire(first, target)
    second = startup.lock_for(target)
    assert not startup.acquire(second, target, wait_ms=200)
    assert "đang được mở ở một cửa sổ TapHuan khác (máy " in said[0]
    first.unlock()
    assert startup.acquire(second, target, wait_ms=200)  # the first closed: it opens
    second.unlock()
    assert startup.lock_for("postgresql+psycopg://u@h/db") is None
    assert isinstance(first, QLockFile)


def corrupt(path: Path) -> None:
    """Overwrite the last third of the file's pages (the people's rows and indexes), as a
    failing disk would; the header and schema stay readable."""
    data = bytearray(path.read_bytes())
    page = 4096
    pages = len(data) // page
    for n in range(pages - pages // 3, pages):
        data[n * page + 8 : (n + 1) * page] = b"\xa5" * (page - 8)
    path.write_bytes(bytes(data))


def test_a_broken_file_is_answered_with_the_newest_good_backup(
    vi_app: QApplication, sqlite_db: Database, said: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.transaction() as s:
        world.build(s)
        for i in range(300):
            world.person(s, "Nguyễn Văn An", workplace=f"Ấp {i}")
    made = sqlite_db.daily_backup()
    assert made is not None and sqlite_db.daily_backup() is None
    with sqlite_db.transaction() as s:  # after the copy: lost with the broken file
        world.person(s, "Lê Thị Sau")
    sqlite_db.close()
    path = sqlite_db.path
    corrupt(path)
    assert not backups.integrity_ok(path, quick=True)

    asked: list[str] = []

    def question(_parent, _title, text, *args):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    assert startup.open_database(str(path)) is None  # declined: nothing changed
    assert "Bản sao lưu còn tốt mới nhất" in asked[0] and "(hằng ngày)" in asked[0]
    assert not backups.integrity_ok(path, quick=True)

    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    db = startup.open_database(str(path))
    assert db is not None
    with db.transaction(readonly=True) as s:
        names = list(s.scalars(select(Person.full_name)))
    assert names.count("Nguyễn Văn An") == 300 and "Lê Thị Sau" not in names
    kept = list((backups.folder_of(path) / "tep-hong").glob("*.db"))
    assert len(kept) == 1  # the broken file, kept for rescue
    db.close()


def test_no_good_backup_says_so_and_opens_nothing(
    vi_app: QApplication, sqlite_db: Database, said: list[str]
) -> None:
    with sqlite_db.transaction() as s:
        for i in range(300):
            world.person(s, "Trần Thị Bình", workplace=f"Ấp {i}")
    sqlite_db.close()
    corrupt(sqlite_db.path)
    assert startup.open_database(str(sqlite_db.path)) is None
    assert "không có bản sao lưu nào còn tốt" in said[0]
