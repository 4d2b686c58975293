"""Asking for the signing key's password or PIN in the window: once per batch, hidden as
it is typed, never kept after the batch."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.signed_files import KeyPlan
from ui.dialogs.issue_dialog import NO_KEY
from ui.prompter import Prompter

TITLE = "Ký số"


def ask_secret(prompter: Prompter, parent: QWidget | None, plan: KeyPlan) -> str | None:
    """The password or PIN for plan's key; None when no key is set or the user cancels."""
    if not plan.is_set:
        prompter.warn(parent, TITLE, NO_KEY)
        return None
    return prompter.text(parent, TITLE, plan.prompt, password=True)


def offer_signing(prompter: Prompter, parent: QWidget | None, plan: KeyPlan, what: str) -> bool:
    """Whether to sign a PDF about to be saved (asked only when a key is set)."""
    if not plan.is_set:
        return False
    return prompter.confirm(
        parent, TITLE, f"Ký số {what} bằng chứng thư số đã đặt ở trang Cài đặt ({plan.describe})?"
    )
