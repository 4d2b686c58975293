"""Who is working: the sign-in dialogs given savers that check the answers in the database.

Before the window (and its context) exists there is only the database, so this module
builds the dialogs and runs their transactions itself; the dialogs only ask."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from app.db import Database
from app.errors import UserError
from app.services import users
from app.services.access import Actor
from ui.dialogs.sign_in_dialogs import (
    ChangePasswordDialog,
    FirstAdminDialog,
    FirstAdminForm,
    PasswordForm,
    SignInDialog,
    SignInForm,
)


def first_admin_dialog(db: Database, parent: QWidget | None = None) -> FirstAdminDialog:
    """Saving creates the administrator; the dialog's actor is who was created."""
    dialog = FirstAdminDialog(db.is_sqlite, parent)

    def save(f: FirstAdminForm) -> str | None:
        try:
            with db.transaction() as s:
                actor = users.create_first_admin(s, f.username, f.full_name, f.password, f.again)
                if f.single_user:
                    s.info["actor"] = actor
                    users.set_sign_in_required(s, False, shared=not db.is_sqlite)
        except UserError as exc:
            return exc.message
        dialog.actor = actor
        return None

    dialog.saver = save
    return dialog


def sign_in_dialog(db: Database, parent: QWidget | None = None) -> SignInDialog:
    """Saving signs in (a refusal commits the count of failed attempts)."""
    dialog = SignInDialog(db.describe(), parent)

    def save(f: SignInForm) -> str | None:
        with db.transaction() as s:
            result = users.login(s, f.username, f.password)
        if result.actor is None:
            dialog.password.clear()
            dialog.password.setFocus()
            return result.message
        dialog.actor, dialog.must_change = result.actor, result.must_change_password
        return None

    dialog.saver = save
    return dialog


def change_password_dialog(
    db: Database, username: str, forced: bool = False, parent: QWidget | None = None
) -> ChangePasswordDialog:
    dialog = ChangePasswordDialog(forced, parent)

    def save(f: PasswordForm) -> str | None:
        try:
            with db.transaction() as s:
                users.change_own_password(s, username, f.old, f.new, f.again)
        except UserError as exc:
            return exc.message
        return None

    dialog.saver = save
    return dialog


def sign_in(db: Database, parent: QWidget | None = None) -> Actor | None:
    """Who is working: the first administrator on a new database, the local administrator
    on a single-user file that skips signing in, else whoever signs in. None: cancelled."""
    with db.transaction(readonly=True) as s:
        count = users.count(s)
        skip = users.opens_without_sign_in(s, shared=not db.is_sqlite)
        local = users.local_admin(s) if skip else None
    if count == 0:
        first = first_admin_dialog(db, parent)
        return first.actor if first.exec() == QDialog.DialogCode.Accepted else None
    if local is not None:
        return local
    dialog = sign_in_dialog(db, parent)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
        return None
    actor: Actor = dialog.actor
    if dialog.must_change:
        change = change_password_dialog(db, actor.username, forced=True, parent=parent)
        if change.exec() != QDialog.DialogCode.Accepted:
            return None
    return actor
