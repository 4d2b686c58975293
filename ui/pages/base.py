"""What every working page shares: the window's context, a status signal to the shell, a
toolbar whose actions work while the page has focus, and refreshing itself, once and when
visible, after a write touched what it shows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton, QWidget

from ui.context import UiContext


class Page(QWidget):
    status = Signal(str)  # a message for the status bar
    shows: frozenset[str] = frozenset()  # the change kinds this page displays

    def __init__(self, ctx: UiContext, slug: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"page-{slug}")
        self.ctx = ctx
        self.db, self.runner, self.settings, self.user = ctx.db, ctx.runner, ctx.settings, ctx.user
        self.prompter = ctx.prompter
        self.toolbar = QToolBar()
        self.stale = False
        ctx.bus.changed.connect(self._on_changed)

    def catch_up(self) -> None:
        """Re-read what the page shows after a write touched it (default: reload())."""
        reload = getattr(self, "reload", None)
        if reload is not None:
            reload()

    def _on_changed(self, kinds: frozenset[str], origin: object) -> None:
        if not kinds & self.shows:
            return
        if isinstance(origin, QWidget) and (origin is self or self.isAncestorOf(origin)):
            return  # the page's own action has shown its result already
        if self.isVisible():
            self.stale = False
            self.catch_up()
        else:
            self.stale = True  # refreshed when next shown, once, however many writes

    def showEvent(self, event: QShowEvent) -> None:
        if self.stale:
            self.stale = False
            self.catch_up()
        super().showEvent(event)

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
