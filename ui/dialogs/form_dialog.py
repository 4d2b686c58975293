"""The base of every dialog that asks for a value: the form, an inline error label, Lưu and
Hủy (Enter saves, Escape cancels), and its size and place remembered per dialog class.

A dialog only asks: it collects and checks input and returns a value; it never touches the
database (the page saves the value through its op). `ask()` returns the value or None."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.settings import ui_settings

F = TypeVar("F")
ERROR_STYLE = "color:#b00020"


class Invalid(Exception):
    """Raised by collect(): the message is shown under the form and the dialog stays open."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FormDialog(QDialog, Generic[F]):
    def __init__(
        self,
        title: str,
        parent: QWidget | None = None,
        save_text: str = "Lưu",
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._settings = settings
        self._geometry_restored = False
        self.result_form: F | None = None
        # Given by the caller when saving may be refused (a name taken, a wrong password):
        # saver(value) runs the write and returns the refusal to show, or None when done.
        self.saver: Callable[[F], str | None] | None = None
        self.body = QVBoxLayout()  # subclasses lay out their form here
        self.error_label = QLabel("")
        self.error_label.setObjectName("formError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.ok_button.setText(save_text)
        self.ok_button.setDefault(True)
        self.cancel_button: QPushButton = self.buttons.button(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setText("Hủy")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    # -- what a subclass gives ---------------------------------------------------------

    def collect(self) -> F:
        """The form's value; raise Invalid to keep the dialog open with a message."""
        raise NotImplementedError

    # -- the shared tail ---------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)

    def _accept(self) -> None:
        try:
            value = self.collect()
        except Invalid as exc:
            self.show_error(exc.message)
            return
        if self.saver is not None:
            refusal = self.saver(value)
            if refusal is not None:
                self.show_error(refusal)
                return
        self.result_form = value
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *args: Any,
        saver: Callable[[Any], str | None] | None = None,
        **kwargs: Any,
    ) -> F | None:
        """Show the dialog; the value when saved, None when cancelled. With a saver, Lưu
        runs it and a refusal keeps the dialog open with the message under the form."""
        dialog = cls(*args, parent=parent, **kwargs)
        dialog.saver = saver
        return dialog.result_form if dialog.exec() == QDialog.DialogCode.Accepted else None

    # -- remembered geometry -----------------------------------------------------------

    def remembered(self) -> QSettings:
        if self._settings is None:
            self._settings = ui_settings()
        return self._settings

    def geometry_key(self) -> str:
        return f"dialogs/{type(self).__name__}/geometry"

    def showEvent(self, event: QShowEvent) -> None:
        if not self._geometry_restored:
            self._geometry_restored = True
            saved = self.remembered().value(self.geometry_key())
            if isinstance(saved, QByteArray) and not saved.isEmpty():
                self.restoreGeometry(saved)
        super().showEvent(event)

    def done(self, result: int) -> None:
        if self.isVisible():
            self.remembered().setValue(self.geometry_key(), self.saveGeometry())
        super().done(result)
