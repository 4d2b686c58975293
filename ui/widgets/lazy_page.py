"""A page built the first time it is shown, so start-up pays only for the page on screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self.page: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.page is None:
            self.page = self._build()
            self.layout().addWidget(self.page)
            self.page.show()  # now, not at the layout's next event: it is on screen at once
        return self.page

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure()
        super().showEvent(event)
