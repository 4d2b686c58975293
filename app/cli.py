"""The `taphuan` command: the GUI with no subcommand, scriptable subcommands otherwise.

Exit codes are a contract: 0 done, 1 verify's "not valid", 2 usage, 3 a user error
(Vietnamese message on stderr, nothing written), 4 certificates issued but not all files
placed; 5 an internal error, its traceback in the log file, never on the screen; 130
stopped by Ctrl+C.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app import (
    __version__,
    backups,
    cli_args,
    cli_attendance,
    cli_certificates,
    cli_courses,
    cli_data,
    cli_errors,
    cli_files,
    cli_pipe,
    cli_reports,
    cli_server,
    cli_users,
    config,
    labels,
)
from app.db import UNREADABLE, CheckReport, Database, restore, sqlite_path
from app.errors import UserError

EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR = 0, 2, 3
EXIT_INTERRUPTED = 130

# argparse's own words, in Vietnamese (it looks them up through its module-level `_`).
_ARGPARSE_VI = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    "show program's version number and exit": "hiện phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)"
    ),
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "ignored explicit argument %r": "không nhận giá trị %r",
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh %(parser_name)r (chọn một trong %(choices)s)"
    ),
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "can't open '%(filename)s': %(error)s": "không mở được “%(filename)s”: %(error)s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn mơ hồ: %(option)s có thể là %(matches)s"
    ),
}


def _vi(message: str) -> str:
    return _ARGPARSE_VI.get(message, message)


def _vi_plural(singular: str, plural: str, n: int) -> str:
    """argparse's counted words (nargs=N): "expected %s argument(s)"."""
    if singular == "expected %s argument":
        return "cần %s giá trị"
    return singular if n == 1 else plural


argparse._ = _vi  # type: ignore[attr-defined]
argparse.ngettext = _vi_plural  # type: ignore[attr-defined]


_positive_int = cli_args.positive_int
DEMO_MAX_SCALE = 100  # about 400,000 people: past that a demo is no longer a demo


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", title="lệnh")

    sub.add_parser("init", help="tạo hoặc nâng cấp cơ sở dữ liệu, nạp danh mục đơn vị hành chính")
    demo = sub.add_parser("demo", help="nạp dữ liệu mẫu vào cơ sở dữ liệu trống")
    demo.add_argument(
        "--scale",
        metavar="N",
        type=cli_args.int_between(1, DEMO_MAX_SCALE, "số nguyên dương"),
        default=1,
        help=f"quy mô (1 ≈ 4.000 người, tối đa {DEMO_MAX_SCALE})",
    )
    demo.add_argument(
        "--seed", metavar="S", type=int, default=2022, help="hạt giống ngẫu nhiên (mặc định 2022)"
    )
    sub.add_parser("check", help="kiểm tra phiên bản lược đồ, tính toàn vẹn và số dòng")
    backup = sub.add_parser("backup", help="sao lưu tệp SQLite ra TỆP")
    backup.add_argument("file", metavar="TỆP", type=Path)
    restore_p = sub.add_parser("restore", help="khôi phục từ TỆP sao lưu (giữ lại tệp bị thay)")
    restore_p.add_argument("file", metavar="TỆP", type=Path)
    cli_data.add_parsers(sub, _positive_int)
    cli_courses.add_parsers(sub, _positive_int)
    cli_attendance.add_parsers(sub, _positive_int)
    cli_certificates.add_parsers(sub, _positive_int)
    cli_reports.add_parsers(sub, _positive_int)
    cli_server.add_parsers(sub, _positive_int)
    cli_users.add_parsers(sub, _positive_int)
    return parser


def _create(args: argparse.Namespace) -> Database:
    """init and demo: the database is made where there is none, upgraded where it is
    older; a malformed file is refused before anything is written into it."""
    db = Database(config.resolve_db(args.db, demo=args.demo))
    try:
        db.require_intact()
        db.upgrade()
    except BaseException:
        db.close()
        raise
    return db


def cmd_init(args: argparse.Namespace) -> int:
    from app.services import units

    db = _create(args)
    with db.transaction() as s:
        seeded = units.seed_official(s)
    print(
        f"Cơ sở dữ liệu sẵn sàng: {db.describe()}\n"
        f"Đơn vị hành chính: {seeded.provinces} tỉnh/thành phố, {seeded.communes} xã/phường "
        f"(thêm mới {seeded.added})."
    )
    db.close()
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import generate

    db = _create(args)
    summary = generate.fill(db, scale=args.scale, seed=args.seed, progress=_print_progress)
    print(f"\nĐã nạp dữ liệu mẫu vào {db.describe()}:\n{summary.describe()}")
    db.close()
    return EXIT_OK


def _print_progress(step: str) -> None:
    print(f"  {step}", file=sys.stderr, flush=True)


def cmd_check(args: argparse.Namespace) -> int:
    """Only reads: no upgrade, no write lock; a sign-in (read-only) for the details."""
    db = Database(config.resolve_db(args.db, demo=args.demo), must_exist=True)
    report = db.check()
    full = _sees_details(db, args.user, report)  # table counts, the audit trail's details
    print(f"Cơ sở dữ liệu: {db.describe()}")
    state = "mới nhất" if report.revision == report.head else f"cần nâng cấp lên {report.head}"
    print(f"Phiên bản lược đồ: {report.revision or '(chưa tạo)'} ({state})")
    print(f"Kiểm tra toàn vẹn: {_integrity(report.integrity)}")
    fk = report.foreign_key_problems
    print(f"Lỗi khóa ngoại: {'không kiểm tra được' if fk == UNREADABLE else fk}")
    if report.audit is not None:
        print(f"Nhật ký thao tác: {report.audit.describe() if full else report.audit.verdict()}")
    if not full:
        print("Số dòng các bảng và chi tiết nhật ký thao tác: chỉ người quản trị xem (--user).")
    for table, count in report.counts.items() if full else ():
        shown = "không đọc được" if count == UNREADABLE else labels.number(count)
        print(f"  {table:<20} {shown:>10}")
    db.close(optimize=False)
    if report.audit is not None and not report.audit.ok:
        print(
            f"Lỗi: {report.audit.describe() if full else report.audit.verdict()}", file=sys.stderr
        )
        return EXIT_USER_ERROR
    if not report.ok:
        advice = ""
        if report.integrity != "ok":
            advice = (
                " Tệp bị hỏng: hãy khôi phục bản sao lưu tốt gần nhất trong thư mục backups "
                "bằng “taphuan restore TỆP_SAO_LƯU” (tệp hỏng được giữ lại trong backups/tep-hong)."
            )
        elif report.revision != report.head:
            advice = " Hãy chạy “taphuan init” để nâng cấp."
        print(f"Lỗi: cơ sở dữ liệu có vấn đề, xem các dòng trên.{advice}", file=sys.stderr)
        return EXIT_USER_ERROR
    return EXIT_OK


def _sees_details(db: Database, username: str | None, report: CheckReport) -> bool:
    """Administrators, and anyone on a database that needs no sign-in (or a file too old
    or broken to sign in to), see the table counts and the audit trail's details; others,
    and nobody signed in where sign-in is needed, only the verdicts."""
    from app.cli_data import sign_in
    from app.services import access

    if report.integrity != "ok" or report.revision != report.head:
        return True
    try:
        sign_in(db, username, write=False)
    except UserError:
        if username is not None:
            raise
        return False  # sign-in needed and no --user: the verdicts only
    with db.transaction(readonly=True) as s:
        return access.can(access.current(s), "audit")


def _integrity(said: str) -> str:
    """ "ok", or SQLite's own lines (English, one per damaged place) counted in Vietnamese."""
    if said == "ok" or said.startswith("tệp bị hỏng"):
        return said
    places = len([line for line in said.split("; ") if not line.startswith("***")])
    return f"không đạt: {places} chỗ hỏng trong tệp"


def cmd_backup(args: argparse.Namespace) -> int:
    dest = cli_files.output_file(args.file)
    db = Database(config.resolve_db(args.db, demo=args.demo), must_exist=True)
    try:
        from app.cli_data import sign_in  # an administrator's, where sign-in is needed
        from app.services import access

        sign_in(db, args.user, write=False)
        with db.transaction(readonly=True) as s:
            access.require(s, "backup")
        dest = db.backup(dest)
    finally:
        db.close(optimize=False)
    print(f"Đã sao lưu vào {dest}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    target = config.resolve_db(args.db, demo=args.demo)
    source = cli_files.input_file(args.file, "bản sao lưu")
    path = sqlite_path(target)
    if path is not None and _restorable_by_anyone(path):
        pass  # nothing to protect, or a broken file nobody can sign in to (as at start)
    elif path is not None:  # only an administrator replaces the department's record
        from app.cli_data import sign_in
        from app.services import access

        db = Database(target)
        try:
            sign_in(db, args.user)
            with db.transaction(readonly=True) as s:
                access.require(s, "restore")
        finally:
            db.close(optimize=False)
    kept = restore(target, source)
    print(f"Đã khôi phục {target} từ {source}")
    if kept:
        print(f"Tệp cũ được giữ tại {kept}")
    return EXIT_OK


def _restorable_by_anyone(path: Path) -> bool:
    """No file yet, an empty one, or one that fails its quick check."""
    path = cli_files.checked(path)
    if not path.is_file() or path.stat().st_size == 0:
        return True
    return not backups.integrity_ok(path, quick=True)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "demo": cmd_demo,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    **cli_data.COMMANDS,
    **cli_courses.COMMANDS,
    **cli_attendance.COMMANDS,
    **cli_certificates.COMMANDS,
    **cli_reports.COMMANDS,
    **cli_server.COMMANDS,
    **cli_users.COMMANDS,
}


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


def _quiet_streams() -> None:
    """A windowed (frozen) build has no console: sys.stdout and sys.stderr are None, and
    anything printing to them (Alembic, warnings, argparse) would crash. They go nowhere
    instead; what matters is logged to the rotating file."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


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


def _utf8_streams() -> None:
    """Vietnamese prints only in UTF-8: a console or file in another code page (Windows
    redirects to the ANSI one) would stop the command with an encoding error."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                stream.reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Whatever happens, the user reads Vietnamese, never a traceback:
    a usage error exits 2, what the user can fix 3 (nothing written), a bug 5 (logged).
    Output into a pipe closed by its reader ends quietly (cli_pipe)."""
    _quiet_streams()
    _utf8_streams()
    with cli_pipe.tolerant_stdout():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    raw = list(sys.argv[1:] if argv is None else argv)
    problem = cli_args.bad_text(raw)
    if problem:
        parser.error(problem)
    args = parser.parse_args(raw)
    if args.self_test:
        return _self_test()
    try:
        if args.command is None:
            return run_gui(args)
        return COMMANDS[args.command](args)
    except UserError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu (Ctrl+C); thao tác chưa xong không được ghi.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        message = cli_errors.explain(exc)
        if message is None:
            return cli_errors.internal_error(exc, args.command)
        print(f"Lỗi: {message}", file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
