"""The `taphuan` command: the GUI with no subcommand, scriptable subcommands otherwise.

Each command group is a module of app.cli with `add_parsers(sub)` and `COMMANDS`; the
exit codes and what every command shares are app.cli.common.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from app import __version__, config
from app.cli import values
from app.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_USER_ERROR,
    explain,
    internal_error,
    quiet_streams,
    tolerant_output,
    utf8_streams,
)
from app.cli.parser import VietnameseParser
from app.errors import UserError

# The group module that defines each command, so that a command loads its own group only
# (tests/app/test_cli_package.py checks it against the groups' COMMANDS).
OWNERS = {
    **dict.fromkeys(("init", "demo", "check", "backup", "restore"), "database"),
    "people": "people",
    **dict.fromkeys(("import", "export"), "data"),
    **dict.fromkeys(("course", "session", "enrol"), "courses"),
    **dict.fromkeys(
        ("attendance-sheet", "badges", "transcript", "attendance", "scores"), "attendance"
    ),
    "settings": "settings",
    **dict.fromkeys(("certificates", "verify"), "certificates"),
    "report": "reports",
    "server": "server",
    "users": "users",
}


def groups(only: str | None = None) -> tuple[ModuleType, ...]:
    """The command groups, in the order `taphuan --help` lists their commands; with
    `only`, that one group. Imported when a command is given, not for the window: they
    bring the services (SQLAlchemy, openpyxl, ReportLab)."""
    if only is not None:
        return (importlib.import_module(f"app.cli.{only}"),)
    from app.cli import (
        attendance,
        certificates,
        courses,
        data,
        database,
        people,
        reports,
        server,
        settings,
        users,
    )

    return (database, people, data, courses, attendance, settings, certificates, reports,
            server, users)  # fmt: skip


def commands(only: str | None = None) -> dict[str, Callable[[argparse.Namespace], int]]:
    return {name: command for group in groups(only) for name, command in group.COMMANDS.items()}


def __getattr__(name: str) -> Any:  # GROUPS and COMMANDS, as they were, on first use
    if name == "GROUPS":
        return groups()
    if name == "COMMANDS":
        return commands()
    raise AttributeError(name)


class _NotTheWindow(Exception):
    """The arguments are more than the window's options: the whole parser reads them."""


class _WindowOptions(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise _NotTheWindow(message)


def _add_options(parser: argparse.ArgumentParser) -> None:
    """The options before any command (the window's, when no command follows)."""
    parser.add_argument(
        "--db",
        metavar="ĐƯỜNG_DẪN_HOẶC_URL",
        help="tệp SQLite hoặc URL PostgreSQL (mặc định: biến TAPHUAN_DB, rồi tệp trong "
        "thư mục dữ liệu)",
    )
    parser.add_argument(
        "--demo", action="store_true", help="mở trên cơ sở dữ liệu mẫu riêng (tạo ở lần đầu)"
    )
    parser.add_argument(
        "--screenshot", metavar="TỆP_PNG", type=Path, help="chụp cửa sổ chính ra PNG rồi thoát"
    )
    parser.add_argument("--page", metavar="TRANG", help="trang mở đầu (ví dụ: hoc-vien, lich)")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="tự kiểm tra bản cài đặt (cơ sở dữ liệu, phông chữ, in PDF, biểu đồ) rồi thoát",
    )
    parser.add_argument(
        "--user",
        metavar="TÊN_ĐĂNG_NHẬP",
        help="tài khoản chạy lệnh (mật khẩu trong biến TAPHUAN_PASSWORD hoặc gõ khi được hỏi)",
    )


def window_args(raw: Sequence[str]) -> argparse.Namespace | None:
    """The arguments when they open the window (no command, no help, no self-test),
    read without loading the commands; None otherwise."""
    read = _options_before_command(raw)
    if read is None or read[1] or read[0].self_test:
        return None
    args = read[0]
    args.command = None
    return args


def owner(raw: Sequence[str]) -> str | None:
    """The group of the command the arguments name, read without loading any group;
    None (every group) for help, a mistyped command or options the parser must judge."""
    read = _options_before_command(raw)
    return OWNERS.get(read[1][0]) if read and read[1] else None


def _options_before_command(raw: Sequence[str]) -> tuple[argparse.Namespace, list[str]] | None:
    """The options before any command, and the rest; None when the options themselves
    are wrong (the whole parser says how)."""
    parser = _WindowOptions(add_help=False, allow_abbrev=False)
    _add_options(parser)
    try:
        return parser.parse_known_args(list(raw))
    except _NotTheWindow:
        return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = VietnameseParser(
        prog="taphuan",
        description="TapHuan: quản lý tập huấn Tổ công nghệ số cộng đồng.",
        epilog="Không có lệnh con: mở cửa sổ chương trình.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"TapHuan {__version__}",
        help="hiện phiên bản rồi thoát",
    )
    _add_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", title="lệnh")

    for group in groups(only):
        group.add_parsers(sub)
    return parser


def run_gui(args: argparse.Namespace) -> int:
    # The GUI is loaded by name: app must stay importable (and scriptable) without Qt,
    # and the layer contract forbids app importing ui.
    gui = importlib.import_module("ui.launcher")
    result: int = gui.run(
        db_target=config.resolve_db(args.db, demo=args.demo),
        demo=args.demo,
        screenshot=args.screenshot,
        page=args.page,
    )
    return result


def _self_test() -> int:
    from app import selftest

    lines: list[str] = []

    def say(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    code = selftest.run(say)
    report = config.data_dir() / "tu-kiem-tra.txt"  # readable when there is no console
    try:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        pass
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Whatever happens, the user reads Vietnamese, never a traceback:
    a usage error exits 2, what the user can fix 3 (nothing written), a bug 5 (logged).
    Output into a pipe closed by its reader ends quietly (common.tolerant_output)."""
    quiet_streams()
    utf8_streams()
    with tolerant_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    problem = values.bad_text(raw)
    args = None if problem else window_args(raw)
    only = None if problem or args is not None else owner(raw)
    if args is None:
        parser = build_parser(only)
        if problem:
            parser.error(problem)
        args = parser.parse_args(raw)
    if args.self_test:
        return _self_test()
    try:
        if args.command is None:
            return run_gui(args)
        return commands(only)[args.command](args)
    except UserError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu (Ctrl+C); thao tác chưa xong không được ghi.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        message = explain(exc, _target(args))
        if message is None:
            return internal_error(exc, args.command)
        print(f"Lỗi: {message}", file=sys.stderr)
        return EXIT_USER_ERROR


def _target(args: argparse.Namespace) -> str | None:
    """The database the command was given, for the commands an error message names."""
    try:
        return config.resolve_db(args.db, demo=args.demo)
    except Exception:  # a message is being written: it names the plain command instead
        return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
