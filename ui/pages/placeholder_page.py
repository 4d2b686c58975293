"""A page whose area is not built yet: says what it will hold and what the data has."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.pages import PageInfo


class PlaceholderPage(QWidget):
    def __init__(self, info: PageInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.setObjectName(f"page-{info.slug}")
        title = QLabel(info.title)
        title.setObjectName("pageTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        description = QLabel(info.description)
        description.setWordWrap(True)
        self.facts = QLabel("")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        coming = QLabel("Trang này đang được xây dựng và sẽ có trong bản cập nhật tới.")
        coming.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(14)
        for w in (title, description, self.facts, coming):
            layout.addWidget(w)
        layout.addStretch(1)

    def set_facts(self, text: str) -> None:
        self.facts.setText(text)
