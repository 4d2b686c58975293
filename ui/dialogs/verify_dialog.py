"""Tra cứu giấy chứng nhận: type the code or serial, or scan the QR with a USB scanner
(which types the text and presses Enter)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import verification

COLOURS = {True: "#1b5e20", False: "#b00020"}


class VerifyDialog(QDialog):
    def __init__(
        self, verify: Callable[[str], verification.Verification], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.verify = verify  # the page's read-only look-up
        self.setWindowTitle("Tra cứu giấy chứng nhận")
        self.entry = QLineEdit()
        self.entry.setPlaceholderText("Mã xác minh, số hiệu, hoặc quét mã QR trên giấy")
        self.entry.returnPressed.connect(self.check)
        button = QPushButton("Tra cứu")
        button.clicked.connect(self.check)
        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(button)
        self.verdict = QLabel()
        font = self.verdict.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.verdict.setFont(font)
        self.details = QLabel()
        self.details.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Nhập hoặc quét:"))
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        layout.addWidget(self.details)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(640, 320)
        self.result: verification.Verification | None = None

    def check(self) -> None:
        text = self.entry.text().strip()
        if not text:
            return
        self.result = self.verify(text)
        lines = self.result.message.split("\n")
        verdict = "Không hợp lệ" if self.result.refused else "Không tìm thấy"
        self.verdict.setText(lines[0] if self.result.found else verdict)
        self.verdict.setStyleSheet(f"color: {COLOURS[self.result.valid]};")
        self.details.setText("\n".join(lines[1:]) if self.result.found else lines[0])
        self.entry.selectAll()  # the next scan replaces this one
