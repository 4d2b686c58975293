"""What every command shares: the exit codes, opening the database and signing in, and
the output: Vietnamese messages for what stops a command, a closed pipe taken quietly.

Exit codes are a contract: 0 done, 1 verify's "not valid", 2 usage, 3 a user error
(Vietnamese message on stderr, nothing written), 4 certificates issued but not all files
placed, 5 an internal error (its traceback in the log file, never on the screen), 130
stopped by Ctrl+C.
"""

from __future__ import annotations

import argparse
import errno
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from app import config, logs
from app.actor import unsigned
from app.errors import UserError, os_reason

if TYPE_CHECKING:  # SQLAlchemy loads with the first command that opens a database, not
    from app.db import Database  # with the window (which starts without it)

EXIT_OK = 0
EXIT_NOT_VALID = 1  # verify: the certificate is not valid
EXIT_USAGE = 2
EXIT_USER_ERROR = 3
EXIT_NOT_PLACED = 4  # the certificates are in the register but some files are not in place
EXIT_INTERNAL = 5
EXIT_INTERRUPTED = 130

CLI_USER = "dòng lệnh"  # who the audit trail names when nobody signs in (no accounts)
PASSWORD_ENV = "TAPHUAN_PASSWORD"


# -- the database and who works on it ----------------------------------------------


def open_database(args: argparse.Namespace, write: bool = True) -> Database:
    """The existing database a command works on, upgraded if due, signed in.

    A missing or empty file is "chưa có cơ sở dữ liệu" and no folder is made. Before
    anything is written into a SQLite file (the command's own writes, an upgrade, the
    record of signing in) it passes PRAGMA quick_check. A command that only reads
    (write=False) takes no write lock and never waits for a writer, signing in included."""
    from app.db import Database

    db = Database(config.resolve_db(args.db, demo=args.demo), must_exist=True)
    db.actor = unsigned(CLI_USER)
    user = getattr(args, "user", None)
    try:
        db.require_schema()
        due = db.needs_upgrade()
        if write or due:
            db.require_intact()
        if due:
            db.upgrade()
        sign_in(db, user, write=write)
    except BaseException:
        db.close(optimize=False)
        raise
    return db


def sign_in(db: Database, username: str | None, write: bool = True) -> None:
    """Who runs this command: --user with the password in TAPHUAN_PASSWORD (or typed at
    the prompt); without --user, a single-user file that skips signing in works as its
    administrator, and a database without accounts as the local administrator.

    A command that writes records its sign-in in the same way as the window. One that
    only reads (write=False) checks the password in a read-only transaction: it waits for
    no writer and writes nothing when the password is right (not recorded); a wrong one is
    counted and recorded all the same."""
    import getpass

    from app.services import users

    with db.transaction(readonly=True) as s:
        accounts = users.count(s)
        skip = users.opens_without_sign_in(s, shared=not db.is_sqlite)
        local = users.local_admin(s)
    if username is None:
        if accounts == 0 or skip:
            db.actor = local or unsigned(CLI_USER)
            return
        raise UserError(
            "Cơ sở dữ liệu này cần đăng nhập: thêm --user TÊN_ĐĂNG_NHẬP và đặt mật khẩu trong "
            f"biến môi trường {PASSWORD_ENV} (hoặc gõ khi được hỏi)."
        )
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise UserError(f"Hãy đặt mật khẩu trong biến môi trường {PASSWORD_ENV}.")
        password = getpass.getpass("Mật khẩu: ")
    result = None
    if not write:
        with db.transaction(readonly=True) as s:
            result = users.login_to_read(s, username, password)
    if result is None:  # a writer, or a wrong password: counted and recorded
        if not write:
            db.require_intact()
        with db.transaction() as s:  # a refusal still counts the failed attempt
            result = users.login(s, username, password, accept_temporary=sys.stdin.isatty())
    if result.actor is None:
        raise UserError(result.message)
    if result.must_change_password:
        if not write:
            db.require_intact()
        change_temporary_password(db, result.actor.username, password)
    db.actor = result.actor


def change_temporary_password(db: Database, username: str, password: str) -> None:
    """A temporary password (a new account, a reset) is changed before any command runs:
    typed at a terminal; a script without one is refused (exit 3), nothing else done."""
    import getpass

    from app.services import users

    if not sys.stdin.isatty():
        raise UserError(users.temporary_refused(username))
    print("Mật khẩu này do người quản trị đặt: hãy đặt mật khẩu của riêng bạn.", file=sys.stderr)
    new = getpass.getpass("Mật khẩu mới: ")
    again = getpass.getpass("Nhập lại mật khẩu mới: ")
    with db.transaction() as s:
        users.change_own_password(s, username, password, new, again)
    print("Đã đổi mật khẩu.", file=sys.stderr)


def command_for(args: argparse.Namespace, words: str) -> str:
    """The command line running `words` on the database the command was given."""
    from app import commands

    try:
        return commands.command(config.resolve_db(args.db, demo=args.demo), words)
    except UserError:  # a target that names no database: the plain command
        return f"{commands.PROGRAM} {words}"


def create_database(args: argparse.Namespace) -> Database:
    """init and demo: the database is made where there is none, upgraded where it is
    older; a malformed file is refused before anything is written into it."""
    from app.db import Database

    db = Database(config.resolve_db(args.db, demo=args.demo))
    db.actor = unsigned(CLI_USER)
    try:
        db.require_intact()
        db.upgrade()
    except BaseException:
        db.close()
        raise
    return db


# -- output: streams, a closed pipe, what stops a command ---------------------------


def quiet_streams() -> None:
    """A windowed (frozen) build has no console: sys.stdout and sys.stderr are None, and
    anything printing to them (Alembic, warnings, argparse) would crash. They go nowhere
    instead; what matters is logged to the rotating file."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def utf8_streams() -> None:
    """Vietnamese prints only in UTF-8: a console or file in another code page (Windows
    redirects to the ANSI one) would stop the command with an encoding error."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                stream.reconfigure(errors="replace")


# Output into a pipe whose reader stopped reading (`taphuan people list | head -1`, or
# `… 2>&1 | head -1`, where the messages on stderr share the pipe): the command goes on to
# its end, quietly, and exits with its own code, as a Unix tool does. Nothing it was doing
# is cut short: a command that writes still commits, the lines nobody reads are dropped.
# Python's own "Exception ignored … BrokenPipeError" at exit is prevented by pointing the
# closed stream at the null device afterwards.


def _reader_gone(exc: OSError) -> bool:
    if isinstance(exc, BrokenPipeError):
        return True
    # Windows says EINVAL when the reading end of a pipe has been closed.
    return sys.platform == "win32" and exc.errno == errno.EINVAL


class _Tolerant:
    """sys.stdout or sys.stderr, but once the reader has gone, what is written goes nowhere."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        if not self.reader_gone:
            try:
                return self._stream.write(text)
            except OSError as exc:
                if not _reader_gone(exc):
                    raise
                self.reader_gone = True
        return len(text)

    def flush(self) -> None:
        if not self.reader_gone:
            try:
                self._stream.flush()
            except OSError as exc:
                if not _reader_gone(exc):
                    raise
                self.reader_gone = True

    def __getattr__(self, name: str) -> Any:  # encoding, isatty, fileno, …
        return getattr(self._stream, name)


@contextmanager
def tolerant_output() -> Iterator[None]:
    """Standard output and standard error, each taken quietly when its reader has gone."""
    originals = sys.stdout, sys.stderr
    guards = _Tolerant(originals[0]), _Tolerant(originals[1])
    sys.stdout, sys.stderr = guards  # type: ignore[assignment]
    try:
        yield
    finally:
        for guard in guards:
            guard.flush()
        sys.stdout, sys.stderr = originals
        for guard, original in zip(guards, originals, strict=True):
            if guard.reader_gone:
                _to_null(original)


def _to_null(stream: TextIO) -> None:
    """What stays in the stream's buffer is flushed at exit: into the null device now."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


# What the command line says when something other than a UserError stops a command: a
# file the system refuses (a folder, a read-only disk, a name too long), a database that
# is busy, corrupt or refuses a value: a Vietnamese message naming what to fix, exit 3;
# the transaction was rolled back, so nothing was written. Anything else is a bug: its
# traceback goes to the log file, and the user reads where it is, never the traceback.
# The general messages, for what no check before it named more precisely:
FILE_REFUSED = "Không đọc hay ghi được"
INTEGRITY = (
    "Không ghi gì: dữ liệu vừa nhập trùng với bản ghi đã có hoặc thiếu bản ghi liên quan "
    "(có thể ai đó vừa sửa cùng lúc). Hãy kiểm tra lại rồi chạy lại lệnh."
)
TOO_BIG = (
    "Không ghi gì: có giá trị vượt giới hạn cơ sở dữ liệu cho phép (số quá lớn hoặc chữ "
    "quá dài). Hãy nhập giá trị nhỏ hơn hoặc ngắn hơn."
)
GENERAL = (FILE_REFUSED, INTEGRITY, TOO_BIG)


def explain(exc: BaseException, target: str | None = None) -> str | None:
    """The Vietnamese message for an error a person can act on; None for a bug. target:
    the database the command was given, for the commands the message names."""
    from sqlalchemy.exc import DatabaseError, DataError, IntegrityError

    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else ""
        target = f" {where}" if where else ""
        return f"{FILE_REFUSED}{target}: {os_reason(exc)}."
    if isinstance(exc, IntegrityError):
        return INTEGRITY
    if isinstance(exc, DataError):
        return TOO_BIG
    if isinstance(exc, DatabaseError) and _is_malformed(exc.orig):
        return corrupt_message(target=target)
    if isinstance(exc, sqlite3.DatabaseError) and _is_malformed(exc):
        return corrupt_message(target=target)
    return None


def _is_malformed(exc: object) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def corrupt_message(name: str = "cơ sở dữ liệu", target: str | None = None) -> str:
    from app import commands

    restore = "restore TỆP_SAO_LƯU"
    try:
        again = commands.command(target, restore) if target else f"{commands.PROGRAM} {restore}"
    except UserError:  # a target that names no database: the plain command
        again = f"{commands.PROGRAM} {restore}"
    return (
        f"Tệp {name} bị hỏng (kiểm tra toàn vẹn không đạt); không ghi gì. Hãy khôi phục bản sao "
        f"lưu tốt gần nhất trong thư mục backups bằng “{again}”: tệp hỏng được giữ lại trong "
        "backups/tep-hong."
    )


def internal_error(exc: BaseException, command: str | None) -> int:
    """A bug: the traceback to the log file, a Vietnamese pointer to it on stderr."""
    path = logs.log_exception(f"Lỗi nội bộ khi chạy lệnh {command}", exc)
    if path is not None:
        where = f"Chi tiết đã ghi vào nhật ký {path}."
    else:
        where = f"Không ghi được nhật ký ({type(exc).__name__}: {exc})."
    print(
        "Lỗi nội bộ: TapHuan gặp một lỗi chưa lường trước nên đã dừng; thao tác chưa hoàn tất "
        f"được hủy. {where} Hãy gửi tệp nhật ký đó cho bộ phận kỹ thuật.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL
