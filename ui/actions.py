"""Running one user action in one transaction, with the questions it may need to ask.

A clash check may ask for a reason to save anyway; a course may ask to confirm; any
UserError is shown in Vietnamese and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from app.db import Database
from app.errors import UserError
from app.services.courses import NeedsConfirmation
from app.services.scheduling import ClashesFound

T = TypeVar("T")


def run(parent: QWidget, db: Database, act: Callable[[Any], T]) -> T | None:
    """act(session) in one transaction; a UserError is shown and None returned."""
    try:
        with db.transaction() as s:
            return act(s)
    except UserError as exc:
        QMessageBox.warning(parent, "Không thực hiện được", exc.message)
        return None


def run_with_override(
    parent: QWidget, db: Database, act: Callable[[Any, str | None], T]
) -> T | None:
    """act(session, reason): on clashes, ask whether to save anyway and why, then retry."""
    reason: str | None = None
    while True:
        try:
            with db.transaction() as s:
                return act(s, reason)
        except ClashesFound as exc:
            text, ok = QInputDialog.getText(
                parent,
                "Trùng lịch",
                exc.message + "\n\nNếu vẫn lưu, ghi lý do:",
                QLineEdit.EchoMode.Normal,
            )
            if not ok or not text.strip():
                return None
            reason = text
        except UserError as exc:
            QMessageBox.warning(parent, "Không thực hiện được", exc.message)
            return None


def run_confirmed(parent: QWidget, db: Database, act: Callable[[Any, bool], T]) -> T | None:
    """act(session, confirm): when the service asks for confirmation, ask the user."""
    confirm = False
    while True:
        try:
            with db.transaction() as s:
                return act(s, confirm)
        except NeedsConfirmation as exc:
            answer = QMessageBox.question(parent, "Xác nhận", exc.message)
            if answer != QMessageBox.StandardButton.Yes:
                return None
            confirm = True
        except UserError as exc:
            QMessageBox.warning(parent, "Không thực hiện được", exc.message)
            return None
