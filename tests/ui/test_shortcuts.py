"""A page's shortcut never takes the window's own: Ctrl+Q quits everywhere, F1 opens the
guide, F5 refreshes (the Điểm danh scan used Ctrl+Q, so quitting there scanned instead)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from ui.main_window import MainWindow
from ui.pages import PAGES


def _shortcuts(widget: QWidget) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for action in widget.findChildren(QAction):
        for key in action.shortcuts():
            found.setdefault(key.toString(), []).append(action.text())
    return found


def test_no_page_takes_a_shortcut_of_the_window(make_window: Callable[[], MainWindow]) -> None:
    window = make_window()
    window_actions = list(window.actions())
    for top in window.menuBar().actions():
        if top.menu() is not None:
            window_actions += top.menu().actions()
    own = {key.toString(): a.text() for a in window_actions for key in a.shortcuts()}
    assert own["Ctrl+Q"]  # the window's quit, the one every page must leave alone
    clashes = []
    for info in PAGES:
        window.show_page(info.slug)
        lazy = window.lazy.get(info.slug)
        page = lazy.ensure() if lazy is not None else window.pages[info.slug]
        for key, texts in _shortcuts(page).items():
            if key in own:
                clashes.append(f"{info.slug}: {key} {texts} vs {own[key]!r}")
            if len(texts) > 1:
                clashes.append(f"{info.slug}: {key} twice {texts}")
    assert clashes == []
