"""Accounts: the first administrator, sign-in with throttling, passwords, roles.

Passwords are hashed with scrypt (hashlib, memory-hard: 2^15 × 8 × 128 bytes = 32 MiB per
check, so a stolen database costs an attacker that per guess). After five wrong
passwords in a row an account waits, 30 seconds doubling up to 15 minutes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from app.errors import InvalidValue, UserError
from app.services import access, audit
from app.services.access import Actor
from app.vn import names
from models import Person, Setting, User, UserRole

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SCRYPT_MAXMEM = 64 * 1024 * 1024  # hashlib's default of 32 MiB is just too small for N=2^15
MIN_PASSWORD = 8
FREE_ATTEMPTS = 5
FIRST_WAIT, LONGEST_WAIT = timedelta(seconds=30), timedelta(minutes=15)
BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
        maxmem=SCRYPT_MAXMEM, dklen=32,
    )  # fmt: skip
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        hash_password(password)  # the same time spent, known user or not
        return False
    _, n, r, p, salt, digest = stored.split("$")
    got = hashlib.scrypt(
        password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
        maxmem=SCRYPT_MAXMEM, dklen=32,
    )  # fmt: skip
    return hmac.compare_digest(got, base64.b64decode(digest))


def check_new_password(password: str, again: str | None = None) -> None:
    """A new password as every form checks it (the window and the command line): long
    enough, not only spaces, no space at either end (invisible when typed, and easily
    lost when pasted or typed again)."""
    if not password.strip():
        raise InvalidValue("Mật khẩu không được để trống hay chỉ gồm khoảng trắng.")
    if password != password.strip():
        raise InvalidValue(
            "Mật khẩu không được bắt đầu hay kết thúc bằng khoảng trắng (dấu cách, tab); "
            "khoảng trắng ở giữa thì được."
        )
    if len(password) < MIN_PASSWORD:
        raise InvalidValue(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    if again is not None and password != again:
        raise InvalidValue("Hai lần nhập mật khẩu không giống nhau.")


def _check_username(username: str) -> str:
    """The name as typed, checked before lowercasing (which turns some non-ASCII letters,
    such as the Kelvin sign K, into ASCII ones): ASCII letters, digits and . _ -, with at
    least one letter or digit."""
    raw = username.strip()
    name = raw.lower()
    if not (3 <= len(name) <= 60) or not all(ch.isalnum() or ch in "._-" for ch in name):
        raise InvalidValue(
            "Tên đăng nhập gồm 3–60 chữ cái không dấu, chữ số hoặc . _ - (ví dụ: nguyen.ha)."
        )
    if not raw.isascii():
        raise InvalidValue(
            "Tên đăng nhập không dùng chữ có dấu hay ký tự ngoài a–z, 0–9, . _ - "
            "(ví dụ: nguyen.ha)."
        )
    if not any(ch.isalnum() for ch in name):
        raise InvalidValue("Tên đăng nhập cần ít nhất một chữ cái hoặc chữ số (ví dụ: nguyen.ha).")
    return name


def actor_of(user: User) -> Actor:
    return Actor(user.username, user.role.value, user.full_name, user.person_id, user.id)


def count(s: Session) -> int:
    """Accounts one can sign in to (demo databases of earlier versions had an
    administrator without a password: that counts as none)."""
    q = select(func.count()).select_from(User).where(User.password_hash.is_not(None))
    return int(s.scalar(q) or 0)


def create_first_admin(s: Session, username: str, full_name: str, password: str,
                       again: str) -> Actor:  # fmt: skip
    """The first start: the administrator account, only while there is no account."""
    if count(s):
        raise UserError("Đã có tài khoản quản trị; hãy đăng nhập.")
    check_new_password(password, again)
    name = _check_username(username)
    user = s.scalars(select(User).where(User.username == name)).first()  # passwordless
    if user is None:
        user = User(username=name)
        s.add(user)
    user.full_name, user.role = names.validate(full_name), UserRole.ADMIN
    user.password_hash, user.active = hash_password(password), True
    s.flush()
    audit.record(s, "user.create", user, after=_public(user), account=user.username)
    return actor_of(user)


def _public(user: User) -> dict[str, object]:
    return audit.snapshot(user, ["username", "full_name", "role", "active", "person_id"])


@dataclass(frozen=True)
class LoginResult:
    actor: Actor | None
    message: str  # why not, in Vietnamese; empty on success
    must_change_password: bool = False


def temporary_refused(username: str) -> str:
    """Why a temporary password cannot be used where no new one can be typed (a script)."""
    return (
        f"Tài khoản “{username}” đang dùng mật khẩu tạm do người quản trị đặt, phải đổi "
        "trước khi dùng: đăng nhập một lần trong cửa sổ chương trình, hoặc chạy lệnh ở "
        "cửa sổ dòng lệnh để gõ mật khẩu mới."
    )


def login(
    s: Session,
    username: str,
    password: str,
    now: datetime | None = None,
    accept_temporary: bool = True,
) -> LoginResult:
    """Check a password. Returns rather than raises, so the caller commits the count of
    failed attempts with the refusal. accept_temporary=False (a script, which cannot type
    a new password): the right temporary password is refused and nothing is written, as
    if no sign-in had been tried.

    Sign-ins to one account take their turn on its row (FOR UPDATE; SQLite's writers
    already do), so attempts made at once are counted as if made one after another and
    the wait after five holds. The bookkeeping is no edit of the account: it leaves the
    version alone, so sign-ins never clash with each other or with an administrator's edit.
    """
    now = now or datetime.now()
    user = s.scalars(
        select(User).where(User.username == username.strip().lower()).with_for_update()
    ).first()
    refused = _refused(user, password, now)
    if refused is not None or user is None:
        return refused or LoginResult(None, BAD_LOGIN)
    if not check_password(password, user.password_hash):
        failed = user.failed_logins + 1
        extra = failed - FREE_ATTEMPTS
        locked = now + min(FIRST_WAIT * 2**extra, LONGEST_WAIT) if extra >= 0 else None
        _bookkeeping(s, user, failed_logins=failed, locked_until=locked)
        audit.record(s, "user.login_failed", user, note=f"lần {failed}",
                     account=user.username, signing_in=True)  # fmt: skip
        return LoginResult(None, BAD_LOGIN)
    if user.must_change_password and not accept_temporary:
        return LoginResult(None, temporary_refused(user.username), True)
    _bookkeeping(s, user, failed_logins=0, locked_until=None, last_login_at=now)
    audit.record(s, "user.login", user, account=user.username, signing_in=True)
    return LoginResult(actor_of(user), "", user.must_change_password)


def _refused(user: User | None, password: str, now: datetime) -> LoginResult | None:
    """No such active account, or one waiting after wrong passwords: the refusal."""
    if user is None or not user.active:
        check_password(password, None)  # the same time spent, known user or not
        return LoginResult(None, BAD_LOGIN)
    if user.locked_until and user.locked_until > now:
        wait = int((user.locked_until - now).total_seconds()) + 1
        return LoginResult(None, f"Đã nhập sai mật khẩu nhiều lần; hãy thử lại sau {wait} giây.")
    return None


def login_to_read(
    s: Session, username: str, password: str, now: datetime | None = None
) -> LoginResult | None:
    """A sign-in that writes nothing and locks nothing, for a command that only reads:
    neither recorded in the audit trail nor in the account's last sign-in. None for a
    wrong password: the caller then signs in with login() in a write transaction, so the
    failed attempt is counted and recorded like any other."""
    user = s.scalars(select(User).where(User.username == username.strip().lower())).first()
    refused = _refused(user, password, now or datetime.now())
    if refused is not None or user is None:
        return refused or LoginResult(None, BAD_LOGIN)
    if not check_password(password, user.password_hash):
        return None
    return LoginResult(actor_of(user), "", user.must_change_password)


def _bookkeeping(s: Session, user: User, **values: object) -> None:
    """Sign-in counters written without the version check and bump of an edit."""
    s.execute(
        sql_update(User).where(User.id == user.id).values(**values, updated_at=User.updated_at)
    )


def change_own_password(s: Session, username: str, old: str, new: str, again: str) -> None:
    user = s.scalars(select(User).where(User.username == username)).one()
    if not check_password(old, user.password_hash):
        raise InvalidValue("Mật khẩu hiện tại không đúng.")
    check_new_password(new, again)
    if new == old:  # a temporary password stays known to whoever set it
        raise InvalidValue("Mật khẩu mới phải khác mật khẩu hiện tại.")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    audit.record(s, "user.password_changed", user, account=username)


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    person: str  # a trainer's own record, by name
    last_login_at: datetime | None
    locked: bool  # waiting after wrong passwords (a locked account is not active)
    version: int
    must_change: bool = False  # a temporary password, to be changed at the next sign-in


def listing(s: Session) -> list[UserRow]:
    access.require(s, "users")
    rows = s.execute(
        select(User, Person.full_name).outerjoin(Person, Person.id == User.person_id)
    ).all()
    now = datetime.now()
    out = [
        UserRow(u.id, u.username, u.full_name, u.role.value, u.active, person or "",
                u.last_login_at, bool(u.locked_until and u.locked_until > now), u.version,
                u.must_change_password)
        for u, person in rows
    ]  # fmt: skip
    return sorted(out, key=lambda r: (not r.active, names.fold(r.full_name)))


@dataclass(frozen=True)
class UserForm:
    username: str
    full_name: str
    role: str
    person_id: int | None = None
    active: bool = True


def _check_form(s: Session, form: UserForm) -> None:
    if form.role not in access.ROLE_NAMES:
        raise InvalidValue(f"Không có vai trò “{form.role}”.")
    if form.role == "trainer" and form.person_id is None:
        raise InvalidValue("Tài khoản giảng viên cần gắn với hồ sơ giảng viên của người đó.")
    person = None if form.person_id is None else s.get(Person, form.person_id)
    if form.person_id is not None and person is None:
        raise InvalidValue(f"Không có hồ sơ người mã {form.person_id}.")
    teaching = person is not None and person.is_trainer and not person.archived_at
    if form.role == "trainer" and person is not None and not teaching:
        raise InvalidValue(
            f"{person.full_name} (mã {person.id}) không phải giảng viên đang làm việc: hãy "
            "đánh dấu “Giảng viên” trong hồ sơ của người đó trước (tài khoản giảng viên thấy "
            "các khóa người đó dạy)."
        )


def create(s: Session, form: UserForm, password: str) -> UserRow:
    """A new account with a first password the person must change at first sign-in."""
    access.require(s, "users")
    _check_form(s, form)
    if form.role != "admin" and not count(s):  # else nobody could manage the accounts
        raise InvalidValue(
            "Chưa có tài khoản nào: tài khoản đầu tiên phải là quản trị (vai trò admin)."
        )
    check_new_password(password)
    username = _check_username(form.username)
    if s.scalar(select(User.id).where(User.username == username)):
        raise InvalidValue(f"Đã có tài khoản “{username}”.")
    user = User(
        username=username, full_name=names.validate(form.full_name), role=UserRole(form.role),
        person_id=form.person_id, active=form.active, password_hash=hash_password(password),
        must_change_password=True,
    )  # fmt: skip
    s.add(user)
    s.flush()
    audit.record(s, "user.create", user, after=_public(user))
    return next(r for r in listing(s) if r.id == user.id)


def update(s: Session, user_id: int, form: UserForm, version: int) -> None:
    actor = access.require(s, "users")
    _check_form(s, form)
    user = s.get_one(User, user_id)
    if user.version != version:
        raise UserError("Tài khoản này vừa được người khác sửa; hãy mở lại để xem bản mới.")
    before = _public(user)
    admin_stays(s, actor, user, form.role, form.active)
    user.full_name = names.validate(form.full_name)
    user.role, user.person_id, user.active = UserRole(form.role), form.person_id, form.active
    s.flush()
    audit.record(s, "user.update", user, before=before, after=_public(user))


def admin_stays(s: Session, actor: Actor, user: User, role: str, active: bool) -> None:
    """Nobody takes away their own administration, and one active administrator stays."""
    if role == "admin" and active:
        return
    if user.id == actor.user_id:
        raise UserError("Không thể tự bỏ quyền quản trị hoặc khóa tài khoản của chính mình.")
    if user.role == UserRole.ADMIN:
        _keep_one_admin(s, user.id)


def _keep_one_admin(s: Session, leaving: int) -> None:
    """Refuse if no other active administrator would remain. The administrators' rows
    stay locked until the commit (FOR UPDATE, in one order, so two such changes queue
    rather than deadlock): two administrators demoting or locking each other at once
    cannot both pass, the second sees the first's change."""
    admins = s.scalars(
        select(User.id)
        .where(User.role == UserRole.ADMIN, User.active.is_(True))
        .order_by(User.id)
        .with_for_update()
    ).all()
    if not [i for i in admins if i != leaving]:
        raise UserError("Phải còn ít nhất một tài khoản quản trị đang hoạt động.")


def reset_password(s: Session, user_id: int, password: str) -> None:
    """The administrator sets a new password, to be changed at the next sign-in; also
    lifts a wait after failed attempts."""
    access.require(s, "users")
    check_new_password(password)
    user = s.get_one(User, user_id)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    audit.record(s, "user.password_reset", user)


# -- signing in on a single-user install -------------------------------------------------

SIGN_IN_KEY = "sign_in"


def sign_in_required(s: Session) -> bool:
    row = s.get(Setting, SIGN_IN_KEY)
    return not (row is not None and row.value == "skip")


def opens_without_sign_in(s: Session, shared: bool) -> bool:
    """A single-user file set to skip signing in; a shared server never is."""
    return not shared and not sign_in_required(s)


def set_sign_in_required(s: Session, required: bool, shared: bool) -> None:
    """Whether this database asks who is working. A shared (PostgreSQL) database always
    does; a single-user SQLite file may open as its first administrator."""
    access.require(s, "users")
    if not required and shared:
        raise UserError("Cơ sở dữ liệu dùng chung trên máy chủ luôn cần đăng nhập.")
    row = s.get(Setting, SIGN_IN_KEY)
    before = None if row is None else row.value
    value = "required" if required else "skip"
    if row is None:
        s.add(Setting(key=SIGN_IN_KEY, value=value))
    else:
        row.value = value
    audit.record(s, "settings.set", entity="settings",
                 before={SIGN_IN_KEY: before}, after={SIGN_IN_KEY: value})  # fmt: skip


def local_admin(s: Session) -> Actor | None:
    """Who a single-user install works as when it skips signing in."""
    user = s.scalars(
        select(User).where(User.role == UserRole.ADMIN, User.active.is_(True)).order_by(User.id)
    ).first()
    return None if user is None else actor_of(user)
