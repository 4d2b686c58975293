"""What every working page shares: the database, the worker, settings, who is working,
signals to the shell, and a toolbar whose actions work while the page has focus."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton, QWidget

from app.db import Database
from ui.workers import TaskRunner


class Page(QWidget):
    changed = Signal()  # the data changed: the shell refreshes its counts
    status = Signal(str)  # a message for the status bar

    def __init__(self, db: Database, runner: TaskRunner, settings: QSettings, user: str, slug: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName(f"page-{slug}")
        self.db, self.runner, self.settings, self.user = db, runner, settings, user
        self.toolbar = QToolBar()

    def _action(
        self, text: str, shortcut: str, slot: Callable[[], object], tip: str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(tip or text)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    def _menu_button(self, text: str, actions: list[QAction]) -> QToolButton:
        """Actions that go together ("In…") behind one toolbar button, so that the toolbar
        fits the window; their shortcuts still work anywhere on the page."""
        menu = QMenu(self)
        for action in actions:
            self.toolbar.removeAction(action)
            self.addAction(action)
            menu.addAction(action)
        button = QToolButton()
        button.setText(f"{text} ▾")  # Qt's own arrow overlaps the text of a short word
        button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        button.setToolTip(", ".join(a.text().rstrip("…") for a in actions))
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.toolbar.addWidget(button)
        return button
