"""An administrator's changes to one account named on the command line: lock, unlock,
role, a temporary password. The rules are those of the window (app.services.users)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands
from app.errors import InvalidValue
from app.services import access, audit, users
from app.services.users import UserForm, UserRow
from models import Person, User

TEMPORARY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out, typed


def _by_name(s: Session, username: str) -> User:
    name = username.strip().lower()
    user = s.scalars(select(User).where(User.username == name)).first()
    if user is None:
        shown = name if len(name) <= 60 else name[:57] + "…"
        listing = commands.command(s, "users list")
        raise InvalidValue(f"Không có tài khoản “{shown}” (xem “{listing}”).")
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


@dataclass(frozen=True)
class RoleChange:
    """What `users role` did to an account: its role and its teacher's record, before and
    after (the record named "Họ tên (mã N)", empty for none)."""

    username: str
    role_before: str
    role: str
    person_before: str
    person: str

    @property
    def changed(self) -> bool:
        return (self.role_before, self.person_before) != (self.role, self.person)

    def describe(self) -> str:
        role = access.ROLE_NAMES[self.role]
        if not self.changed:
            tied = (
                f", gắn với hồ sơ {self.person}" if self.person and self.role == "trainer" else ""
            )
            return f"“{self.username}” đã là {role}{tied}. Không thay đổi gì."
        parts = []
        if self.role != self.role_before:
            parts.append(f"vai trò {access.ROLE_NAMES[self.role_before]} → {role}")
        if self.person != self.person_before:
            parts.append(f"hồ sơ người dạy {self.person_before or '(chưa có)'} → {self.person}")
        return f"Đã đổi tài khoản “{self.username}”: " + "; ".join(parts) + "."


def _record(s: Session, person_id: int | None) -> str:
    person = None if person_id is None else s.get(Person, person_id)
    return "" if person is None else f"{person.full_name} (mã {person.id})"


def set_role(s: Session, username: str, role: str, person_id: int | None = None) -> RoleChange:
    """Change an account's role (a trainer's own record kept unless another is given),
    under the same rules as the window. A record (person_id) goes only with the trainer
    role: it says whose courses a trainer's account sees."""
    access.require(s, "users")
    if person_id is not None and role != "trainer":
        raise InvalidValue(
            f"--person chỉ dùng với --role trainer: hồ sơ người dạy cho tài khoản giảng viên "
            f"thấy các khóa người đó dạy; vai trò {access.ROLE_NAMES.get(role, role)} không "
            "cần. Bỏ --person rồi chạy lại."
        )
    user = _by_name(s, username)
    person = person_id if person_id is not None else user.person_id
    before = RoleChange(user.username, user.role.value, user.role.value,
                        _record(s, user.person_id), _record(s, user.person_id))  # fmt: skip
    if (user.role.value, user.person_id) == (role, person):
        return before
    form = UserForm(user.username, user.full_name, role, person, user.active)
    users.update(s, user.id, form, user.version)
    shown = _record(s, person) if role == "trainer" else before.person_before
    return RoleChange(user.username, before.role_before, role, before.person_before, shown)


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
