"""The administrator's account functions handed to the account window: reads in a
read-only transaction, every write through the op (touching "users")."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.services import scheduling, users
from app.services.users import UserRow
from ui.changes import USERS
from ui.context import UiContext
from ui.dialogs.users_dialog import AccountForm


class Accounts:
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        self.ctx, self.parent = ctx, parent
        self.prompter = ctx.prompter
        self.asks_sign_in_here = ctx.db.is_sqlite

    def listing(self) -> list[UserRow]:
        return self.ctx.read(users.listing)

    def trainers(self) -> list[tuple[int, str]]:
        return self.ctx.read(scheduling.trainers)

    def sign_in_required(self) -> bool:
        return self.ctx.read(users.sign_in_required)

    def _write(self, act) -> str | None:  # type: ignore[no-untyped-def]
        """The write through the forms' saver: a refusal, or "Chưa lưu." when nothing was
        written (an edit clash), is returned for the dialog to show; None when done."""
        return self.ctx.saver(self.parent, {USERS}, lambda _form, s: act(s))(None)

    def save(self, row: UserRow | None, form: AccountForm) -> str | None:
        if row is None:
            return self._write(lambda s: users.create(s, form.user, form.password) or True)
        return self._write(lambda s: users.update(s, row.id, form.user, row.version) or True)

    def reset_password(self, row: UserRow, password: str) -> str | None:
        return self._write(lambda s: users.reset_password(s, row.id, password) or True)

    def set_sign_in_required(self, required: bool) -> str | None:
        shared = not self.ctx.db.is_sqlite
        return self._write(lambda s: users.set_sign_in_required(s, required, shared=shared) or True)
