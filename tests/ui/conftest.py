from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import units
from tests.ui.prompts import AnsweringPrompter
from ui.launcher import application
from ui.main_window import MainWindow
from ui.settings import ui_settings
from ui.workers import TaskRunner


@pytest.fixture
def vi_app(qapp: QApplication) -> QApplication:
    """The test QApplication, made Vietnamese the way the launcher does it."""
    return application()


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    """The window's remembered state in a file of this test."""
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    """The worker thread, waited for at the end so no task outlives the test."""
    r = TaskRunner()
    yield r
    r.wait()


@pytest.fixture
def prompter() -> AnsweringPrompter:
    """The questions a page asks, answered by the test (prompter.answer(...))."""
    return AnsweringPrompter()


@pytest.fixture
def seeded_db(sqlite_db: Database) -> Database:
    with sqlite_db.transaction() as s:
        units.seed_official(s)
    return sqlite_db


@pytest.fixture
def make_window(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database
) -> Iterator[Callable[[], MainWindow]]:
    """Builds main windows on the seeded database, each with its overview loaded."""
    runners: list[TaskRunner] = []

    def make() -> MainWindow:
        runner = TaskRunner()
        runners.append(runner)
        window = MainWindow(seeded_db, runner, ui_settings())
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: "khóa học" in window.statusBar().currentMessage())
        return window

    yield make
    for runner in runners:
        runner.wait()


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a Vietnamese keyboard (Unikey sends composed letters): QTest's keyClicks
    only knows ASCII keys, so other letters arrive as key events carrying their text."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
