"""Quét mã điểm danh: one focused field; each scan shows the name large, green or red."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.attendance import CheckIn

STYLES = {
    "ok": "background:#1b7f3b; color:white;",
    "again": "background:#b7791f; color:white;",
    "unknown": "background:#b00020; color:white;",
    "not_enrolled": "background:#b00020; color:white;",
}


class CheckInDialog(QDialog):
    """`scan(code) -> CheckIn` and `add_walk_in(person_id) -> CheckIn` come from the page."""

    def __init__(
        self,
        title: str,
        scan: Callable[[str], CheckIn],
        add_walk_in: Callable[[int], CheckIn],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Quét mã điểm danh")
        self.scan, self.add_walk_in = scan, add_walk_in
        self.count = 0
        self.pending_person: int | None = None
        heading = QLabel(title)
        heading.setWordWrap(True)
        self.input = QLineEdit()
        self.input.setPlaceholderText("Quét mã QR hoặc mã vạch, hay gõ mã rồi Enter")
        font = self.input.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.input.setFont(font)
        self.name = QLabel(" ")
        self.name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big = self.name.font()
        big.setPointSizeF(big.pointSizeF() * 2.6)
        big.setBold(True)
        self.name.setFont(big)
        self.name.setMinimumHeight(90)
        self.name.setWordWrap(True)
        self.message = QLabel(" ")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        msg_font = self.message.font()
        msg_font.setPointSizeF(msg_font.pointSizeF() * 1.4)
        self.message.setFont(msg_font)
        self.message.setWordWrap(True)
        self.tally = QLabel("Đã điểm danh: 0")
        self.walk_in_button = QPushButton("Thêm vào lớp (F2)")
        self.walk_in_button.setShortcut("F2")
        self.walk_in_button.hide()
        self.walk_in_button.clicked.connect(self._walk_in)
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        close.setAutoDefault(False)
        self.walk_in_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.tally)
        row.addStretch(1)
        row.addWidget(self.walk_in_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.input)
        layout.addWidget(self.name)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.input.returnPressed.connect(self._scan)
        self.resize(640, 360)

    def _show(self, result: CheckIn) -> None:
        self.name.setText(result.full_name or "✗")
        self.message.setText(result.message)
        style = STYLES[result.kind] + " padding: 8px; border-radius: 6px;"
        self.name.setStyleSheet(style)
        if result.kind == "ok":
            self.count += 1
            self.tally.setText(f"Đã điểm danh: {self.count}")
        self.pending_person = result.person_id if result.kind == "not_enrolled" else None
        self.walk_in_button.setVisible(self.pending_person is not None)

    def _scan(self) -> None:
        code = self.input.text()
        self.input.clear()
        if code.strip():
            self._show(self.scan(code))
        self.input.setFocus()

    def _walk_in(self) -> None:
        if self.pending_person is not None:
            self._show(self.add_walk_in(self.pending_person))
        self.input.setFocus()
