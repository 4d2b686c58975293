"""An administrator's changes to one account named on the command line: lock, unlock,
role, a temporary password. The rules are those of the window (app.services.users)."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidValue
from app.services import access, audit, users
from app.services.users import UserForm, UserRow
from models import User

TEMPORARY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out, typed


def _by_name(s: Session, username: str) -> User:
    name = username.strip().lower()
    user = s.scalars(select(User).where(User.username == name)).first()
    if user is None:
        shown = name if len(name) <= 60 else name[:57] + "…"
        raise InvalidValue(f"Không có tài khoản “{shown}” (xem “taphuan users list”).")
    return user


def set_locked(s: Session, username: str, locked: bool) -> bool:
    """Lock an account (it cannot sign in) or unlock it, which also lifts a wait after
    wrong passwords. False when it already was so."""
    actor = access.require(s, "users")
    user = _by_name(s, username)
    waiting = bool(user.failed_logins or user.locked_until)
    if user.active != locked and (locked or not waiting):
        return False
    if locked:
        users.admin_stays(s, actor, user, user.role.value, active=False)
    fields = ["active", "failed_logins", "locked_until"]
    before = audit.snapshot(user, fields)
    user.active = not locked
    if not locked:
        user.failed_logins, user.locked_until = 0, None
    s.flush()
    changed_from, changed_to = audit.changes(before, audit.snapshot(user, fields))
    audit.record(s, "user.lock" if locked else "user.unlock", user,
                 before=changed_from, after=changed_to)  # fmt: skip
    return True


def set_role(s: Session, username: str, role: str, person_id: int | None = None) -> bool:
    """Change an account's role (a trainer's own record kept unless another is given),
    under the same rules as the window; False when nothing changed."""
    access.require(s, "users")
    user = _by_name(s, username)
    person = person_id if person_id is not None else user.person_id
    if (user.role.value, user.person_id) == (role, person):
        return False
    form = UserForm(user.username, user.full_name, role, person, user.active)
    users.update(s, user.id, form, user.version)
    return True


def temporary_password() -> str:
    """Twelve letters and digits in three groups (about 60 bits), e.g. K7P3-M9QX-2HTR."""
    text = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(12))
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


def reset_temporary(s: Session, username: str) -> tuple[UserRow, str]:
    """A new temporary password for the account, returned once to be passed on; it must
    be changed at the next sign-in."""
    access.require(s, "users")
    user = _by_name(s, username)
    password = temporary_password()
    users.reset_password(s, user.id, password)
    return next(r for r in users.listing(s) if r.id == user.id), password
