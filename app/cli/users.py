"""Commands on accounts (administrators): users add, list, lock, unlock, reset, role.

Passwords never appear on the command line: a new account's first password comes from
TAPHUAN_NEW_PASSWORD or is typed twice at a terminal; a reset makes a temporary password
and prints it once. Both must be changed at the next sign-in (app.cli.common.sign_in).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from app import commands
from app.cli import values
from app.cli.common import EXIT_OK, command_for, open_database
from app.errors import UserError
from app.services import access, user_changes, users
from app.services.access import ROLE_NAMES
from app.services.users import UserForm, UserRow
from app.vn.dates import format_datetime

NEW_PASSWORD_ENV = "TAPHUAN_NEW_PASSWORD"
ROLES = list(ROLE_NAMES)  # admin, staff, trainer


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    u = sub.add_parser(
        "users", help="tài khoản người dùng (quản trị): thêm, liệt kê, khóa, mở khóa"
    )
    u_sub = u.add_subparsers(dest="users_command", metavar="VIỆC", required=True)
    add = u_sub.add_parser(
        "add",
        help=f"thêm tài khoản (mật khẩu ban đầu trong biến {NEW_PASSWORD_ENV} hoặc gõ khi được "
        "hỏi; phải đổi ở lần đăng nhập đầu)",
    )
    add.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    add.add_argument("--role", metavar="VAI_TRÒ", choices=ROLES, required=True,
                     help="admin (quản trị), staff (cán bộ) hoặc trainer (giảng viên)")  # fmt: skip
    add.add_argument("--person", metavar="MÃ_NGƯỜI", type=values.positive_int,
                     help="hồ sơ của người dạy (bắt buộc với trainer)")  # fmt: skip
    add.add_argument("--full-name", metavar="HỌ_TÊN",
                     help="họ và tên (mặc định: theo hồ sơ --person)")  # fmt: skip
    u_sub.add_parser("list", help="liệt kê tài khoản (không bao giờ in mật khẩu)")
    for name, text in (
        ("lock", "khóa tài khoản: không đăng nhập được nữa"),
        ("unlock", "mở khóa tài khoản (và bỏ thời gian chờ sau khi nhập sai mật khẩu)"),
        ("reset", "đặt mật khẩu tạm mới, in ra một lần; phải đổi ở lần đăng nhập tới"),
    ):
        one = u_sub.add_parser(name, help=text)
        one.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    role = u_sub.add_parser("role", help="đổi vai trò của một tài khoản")
    role.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP")
    role.add_argument("--role", metavar="VAI_TRÒ", choices=ROLES, required=True,
                      help="admin, staff hoặc trainer")  # fmt: skip
    role.add_argument("--person", metavar="MÃ_NGƯỜI", type=values.positive_int,
                      help="hồ sơ của người dạy (khi đổi sang trainer)")  # fmt: skip


def _new_password() -> str:
    """From TAPHUAN_NEW_PASSWORD, else typed twice at a terminal; checked as the window does."""
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password:
        users.check_new_password(password)
        return password
    if not sys.stdin.isatty():
        raise UserError(
            f"Hãy đặt mật khẩu ban đầu trong biến môi trường {NEW_PASSWORD_ENV} (hoặc chạy "
            "lệnh ở cửa sổ dòng lệnh để gõ)."
        )
    password = getpass.getpass("Mật khẩu ban đầu: ")
    users.check_new_password(password, getpass.getpass("Nhập lại mật khẩu: "))
    return password


def state(row: UserRow) -> str:
    text = "đang hoạt động" if row.active else "đã khóa"
    if row.locked:
        text += " (tạm chờ vì nhập sai mật khẩu)"
    return text


def _add(args: argparse.Namespace) -> int:
    if args.role == "trainer" and args.person is None:
        raise UserError(
            "Tài khoản giảng viên cần --person MÃ_NGƯỜI: mã hồ sơ của người dạy (xem "
            f"“{command_for(args, 'people list')}”); tài khoản thấy các khóa người đó dạy."
        )
    db = open_database(args)
    try:
        with db.transaction(readonly=True) as s:  # refused before a password is asked
            access.require(s, "users")
            full_name = args.full_name or _person_name(s, args.person)
        password = _new_password()
        with db.transaction() as s:
            row = users.create(s, UserForm(args.username, full_name, args.role, args.person),
                               password)  # fmt: skip
    finally:
        db.close()
    print(
        f"Đã thêm tài khoản “{row.username}”: {row.full_name}, {ROLE_NAMES[row.role]}"
        + (f", hồ sơ {row.person}" if row.person else "")
        + ". Người dùng phải đổi mật khẩu ở lần đăng nhập đầu."
    )
    return EXIT_OK


def _person_name(s, person_id: int | None) -> str:  # type: ignore[no-untyped-def]
    from models import Person

    person = None if person_id is None else s.get(Person, person_id)
    if person is None:
        if person_id is not None:
            raise UserError(f"Không có hồ sơ người mã {person_id}.")
        raise UserError("Hãy cho --full-name “Họ và tên” của người dùng tài khoản.")
    return person.full_name


def _list(args: argparse.Namespace) -> int:
    db = open_database(args, write=False)
    with db.transaction(readonly=True) as s:
        rows = users.listing(s)
    db.close(optimize=False)
    print(f"{'Tên đăng nhập':<16} {'Họ và tên':<28} {'Vai trò':<11} {'Trạng thái':<16} "
          f"{'Đăng nhập gần nhất':<19} Mật khẩu")  # fmt: skip
    for r in rows:
        last = format_datetime(r.last_login_at) or "(chưa đăng nhập)"
        password = "phải đổi (mật khẩu tạm)" if r.must_change else ""
        print(f"{r.username:<16} {r.full_name:<28} {ROLE_NAMES[r.role]:<11} {state(r):<16} "
              f"{last:<19} {password}".rstrip())  # fmt: skip
    print(f"({len(rows)} tài khoản)")
    return EXIT_OK


def _change(args: argparse.Namespace) -> int:
    db = open_database(args)
    name = args.username.strip().lower()
    password = None
    try:
        with db.transaction() as s:
            if args.users_command == "reset":
                row, password = user_changes.reset_temporary(s, args.username)
                changed = True
            elif args.users_command == "role":
                role_change = user_changes.set_role(s, args.username, args.role, args.person)
                changed = role_change.changed
            else:
                changed = user_changes.set_locked(s, args.username, args.users_command == "lock")
    finally:
        db.close()
    if password is not None:
        print(password)  # alone on stdout, for a script to pass on; said once, never stored
        unlock = commands.command(db, f"users unlock {row.username}")
        note = "" if row.active else f" Tài khoản đang bị khóa: mở bằng “{unlock}”."
        print(
            f"Mật khẩu tạm của “{name}” (ở trên) phải được đổi ở lần đăng nhập tới, trong cửa sổ "
            f"chương trình hoặc ở cửa sổ dòng lệnh.{note}",
            file=sys.stderr,
        )
        return EXIT_OK
    if args.users_command == "role":
        print(role_change.describe())  # what changed: the role, the teacher's record
        return EXIT_OK
    if args.users_command == "lock":
        said = (f"Đã khóa tài khoản “{name}”.", f"Tài khoản “{name}” đã bị khóa từ trước.")
    else:
        said = (f"Đã mở khóa tài khoản “{name}”.", f"Tài khoản “{name}” đang hoạt động.")
    print(said[0] if changed else said[1] + " Không thay đổi gì.")
    return EXIT_OK


def cmd_users(args: argparse.Namespace) -> int:
    if args.users_command == "add":
        return _add(args)
    if args.users_command == "list":
        return _list(args)
    return _change(args)


COMMANDS = {"users": cmd_users}
