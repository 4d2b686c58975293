"""The one place the window asks a question or shows a message.

Pages and ops call the prompter instead of QMessageBox / QInputDialog, so a test answers
it (tests/ui/prompts.py) rather than monkeypatching Qt."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


class Prompter:
    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def confirm(
        self, parent: QWidget | None, title: str, text: str, default_no: bool = False
    ) -> bool:
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        answer = QMessageBox.question(parent, title, text, yes | no, no if default_no else yes)
        return answer == yes

    def text(self, parent: QWidget | None, title: str, label: str, default: str = "",
             password: bool = False) -> str | None:  # fmt: skip
        """A line of text, or None when cancelled."""
        echo = QLineEdit.EchoMode.Password if password else QLineEdit.EchoMode.Normal
        value, ok = QInputDialog.getText(parent, title, label, echo, default)
        return value if ok else None

    def item(self, parent: QWidget | None, title: str, label: str, items: Sequence[str],
             editable: bool = False) -> str | None:  # fmt: skip
        """One of items, or None when cancelled."""
        value, ok = QInputDialog.getItem(parent, title, label, list(items), 0, editable)
        return value if ok else None

    def integer(self, parent: QWidget | None, title: str, label: str, value: int, low: int,
                high: int) -> int | None:  # fmt: skip
        number, ok = QInputDialog.getInt(parent, title, label, value, low, high)
        return number if ok else None
