"""CLI commands on the data: people list, import people, export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import cli_args, cli_files, config, labels
from app.actor import unsigned
from app.db import Database
from app.errors import UserError
from app.services import exports, imports, people
from app.services.import_columns import FIELD_LABELS
from app.services.import_rows import display
from app.services.people import PeopleFilter
from app.spreadsheet import column_letters
from app.vn.ids import mask_citizen_id

EXIT_OK, EXIT_USER_ERROR = 0, 3
CLI_USER = "dòng lệnh"


def add_parsers(sub: argparse._SubParsersAction, positive_int) -> None:  # type: ignore[type-arg,no-untyped-def]
    people_p = sub.add_parser("people", help="học viên: liệt kê, tìm kiếm")
    people_sub = people_p.add_subparsers(dest="people_command", metavar="VIỆC", required=True)
    listing = people_sub.add_parser("list", help="liệt kê học viên theo thứ tự tên tiếng Việt")
    listing.add_argument(
        "--search",
        metavar="CHỮ",
        default="",
        help="tìm theo tên (không dấu cũng được), số điện thoại, CCCD",
    )
    listing.add_argument(
        "--limit", metavar="N", type=positive_int, default=50, help="số dòng tối đa (mặc định 50)"
    )

    erase = people_sub.add_parser(
        "erase",
        help="xóa dữ liệu cá nhân của một người theo yêu cầu (quản trị; giữ số liệu ẩn danh)",
    )
    erase.add_argument("person_id", metavar="MÃ_NGƯỜI", type=cli_args.record_id)
    erase.add_argument("--reason", metavar="LÝ_DO", required=True, help="ghi vào nhật ký")

    imp = sub.add_parser("import", help="nhập dữ liệu từ Excel/CSV")
    imp_sub = imp.add_subparsers(dest="import_command", metavar="LOẠI", required=True)
    ip = imp_sub.add_parser("people", help="nhập danh sách học viên từ .xlsx hoặc .csv")
    ip.add_argument("file", metavar="TỆP", type=Path)
    ip.add_argument(
        "--sheet", metavar="TÊN", help="trang tính (mặc định: trang đầu tiên không bị ẩn)"
    )
    ip.add_argument(
        "--column",
        metavar="THÔNG_TIN=CỘT",
        action="append",
        type=_column,
        default=[],
        help='chỉ định cột bằng tay, ví dụ --column "Họ và tên=C" --column "Số CCCD=F" '
        "(tên thông tin như dòng lệnh in ra; cột ghi bằng chữ hoặc số, 1 là A); lặp lại được",
    )
    ip.add_argument(
        "--team", metavar="MÃ_TỔ", type=cli_args.record_id, help="thêm những người nhập vào tổ này"
    )
    ip.add_argument(
        "--course", metavar="MÃ_KHÓA", help="ghi danh những người nhập vào khóa học này"
    )
    ip.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
    ip.add_argument(
        "--skip-bad-rows", action="store_true", help="ghi các dòng đúng, bỏ qua dòng lỗi"
    )
    ip.add_argument("--overwrite", action="store_true", help="ghi đè giá trị khác của người đã có")
    ip.add_argument(
        "--strict",
        action="store_true",
        help="coi mỗi cảnh báo (giá trị đáng ngờ bị bỏ) là lỗi: có cảnh báo thì không ghi gì",
    )

    exp = sub.add_parser("export", help="xuất ra Excel (.xlsx) hoặc CSV")
    exp_sub = exp.add_subparsers(dest="export_command", metavar="LOẠI", required=True)
    ep = exp_sub.add_parser("people", help="danh sách học viên")
    ep.add_argument("file", metavar="TỆP", type=Path)
    ep.add_argument("--search", metavar="CHỮ", default="", help="chỉ những người khớp")
    et = exp_sub.add_parser("team", help="thành viên một tổ")
    et.add_argument("team", metavar="MÃ_TỔ", type=cli_args.record_id)
    et.add_argument("file", metavar="TỆP", type=Path)
    ec = exp_sub.add_parser("course", help="học viên một khóa học")
    ec.add_argument("course", metavar="MÃ_KHÓA")
    ec.add_argument("file", metavar="TỆP", type=Path)
    for p in (ep, et, ec):
        p.add_argument(
            "--unmask",
            action="store_true",
            help="ghi đủ số CCCD (mặc định che bớt; chỉ quản trị, cần --reason)",
        )
        p.add_argument("--reason", metavar="LÝ_DO", help="lý do ghi đủ số CCCD (ghi vào nhật ký)")
    from app.cli_courses import ics_parser

    ics_parser(exp_sub)


def _column(spec: str) -> tuple[str, int]:
    try:
        return imports.column_override(spec)
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


_column.__name__ = "cột"


def _open(args: argparse.Namespace, write: bool = True) -> Database:
    """The existing database a command works on, upgraded if due, signed in.

    A missing or empty file is "chưa có cơ sở dữ liệu" and no folder is made. Before
    anything is written into a SQLite file (the command's own writes, an upgrade, the
    record of signing in) it passes PRAGMA quick_check. A command that only reads
    (write=False) takes no write lock and never waits for a writer, signing in included."""
    db = Database(config.resolve_db(args.db, demo=args.demo), must_exist=True)
    user = getattr(args, "user", None)
    try:
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


PASSWORD_ENV = "TAPHUAN_PASSWORD"


def sign_in(db: Database, username: str | None, write: bool = True) -> None:
    """Who runs this command: --user with the password in TAPHUAN_PASSWORD (or typed at
    the prompt); without --user, a single-user file that skips signing in works as its
    administrator, and a database without accounts as the local administrator.

    A command that writes records its sign-in in the same way as the window. One that
    only reads (write=False) checks the password in a read-only transaction: it waits for
    no writer and writes nothing when the password is right (not recorded); a wrong one is
    counted and recorded all the same."""
    import getpass
    import os

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
            result = users.login(s, username, password)
    if result.actor is None:
        raise UserError(result.message)
    if result.must_change_password:
        if not write:
            db.require_intact()
        _change_temporary_password(db, result.actor.username, password)
    db.actor = result.actor


def _change_temporary_password(db: Database, username: str, password: str) -> None:
    """A temporary password (a new account, a reset) is changed before any command runs:
    typed at a terminal; a script without one is refused (exit 3), nothing else done."""
    import getpass

    from app.services import users

    if not sys.stdin.isatty():
        raise UserError(
            f"Tài khoản “{username}” đang dùng mật khẩu tạm do người quản trị đặt, phải đổi "
            "trước khi dùng: đăng nhập một lần trong cửa sổ chương trình, hoặc chạy lệnh ở "
            "cửa sổ dòng lệnh để gõ mật khẩu mới."
        )
    print("Mật khẩu này do người quản trị đặt: hãy đặt mật khẩu của riêng bạn.", file=sys.stderr)
    new = getpass.getpass("Mật khẩu mới: ")
    again = getpass.getpass("Nhập lại mật khẩu mới: ")
    with db.transaction() as s:
        users.change_own_password(s, username, password, new, again)
    print("Đã đổi mật khẩu.", file=sys.stderr)


def cmd_people(args: argparse.Namespace) -> int:
    db = _open(args, write=args.people_command == "erase")
    if args.people_command == "erase":
        from app.services import person_edit

        with db.transaction() as s:
            person_edit.erase(s, args.person_id, args.reason)
        db.close()
        print(f"Đã xóa dữ liệu cá nhân của người mã {args.person_id}; số liệu ẩn danh được giữ.")
        return EXIT_OK
    f = PeopleFilter(search=args.search)
    with db.transaction(readonly=True) as s:
        total = people.count(s, f)
        rows = people.page(s, f, limit=args.limit)
    for r in rows:
        gender = labels.GENDER.get(r.gender or "", "")
        cid = mask_citizen_id(r.citizen_id)
        print(
            f"{r.id:>7}  {r.full_name:<30} {r.birth_text:<10} {gender:<3} {cid:<12} {r.phone or '':<11} {r.unit}"
        )
    print(f"({labels.number(len(rows))}/{labels.number(total)} người)", file=sys.stderr)
    db.close(optimize=False)
    return EXIT_OK


def _print_plan(plan: imports.ImportPlan) -> None:
    print(f"Tệp {plan.file}, trang “{plan.sheet}”, dòng tiêu đề {plan.header.row}.")
    for col, fld in sorted(plan.header.mapping.items()):
        heading = plan.header.headings.get(col, "")
        print(f"  cột {column_letters(col)} “{heading}” → {FIELD_LABELS.get(fld, fld)}")
    for line in plan.notes():
        print(line)
    if plan.errors:
        print(f"Lỗi ({len(plan.errors)}):")
        for issue in plan.errors:
            print(f"  {issue.describe()}")
    if plan.warnings:
        print(f"Cảnh báo ({len(plan.warnings)}):")
        for issue in plan.warnings:
            print(f"  {issue.describe()}")
    matches = [r for r in plan.rows if r.match_id and r.ok]
    if matches:
        print(f"Trùng với người đã có ({len(matches)}):")
        for r in matches:
            parts = [f"Dòng {r.row}: {r.match_text()}"]
            if r.fills:
                parts.append("bổ sung " + ", ".join(FIELD_LABELS.get(f, f) for f in r.fills))
            for fld, (old, new) in r.differences.items():
                parts.append(
                    r.difference_text(
                        FIELD_LABELS.get(fld, fld), display(fld, old), display(fld, new)
                    )
                )
            print("  " + "; ".join(parts))


def _columns(chosen: list[tuple[str, int]]) -> dict[str, int] | None:
    """--column values as field -> column; one field or one column named twice is
    refused, naming both."""
    out: dict[str, int] = {}
    for fld, col in chosen:
        if fld in out and out[fld] != col:
            raise UserError(
                f"--column: “{FIELD_LABELS[fld]}” được chỉ định hai lần "
                f"(cột {column_letters(out[fld])} và {column_letters(col)}); hãy giữ một."
            )
        if col in out.values() and out.get(fld) != col:
            raise UserError(
                f"--column: cột {column_letters(col)} được chỉ định cho hai thông tin; hãy giữ một."
            )
        out[fld] = col
    return out or None


def cmd_import(args: argparse.Namespace) -> int:
    args.file = cli_files.input_file(args.file, "tệp danh sách")
    columns = _columns(args.column)
    db = _open(args)
    try:
        # Checked and matched without writing; the matching's citizen-ID lookups are on
        # record before anything of it is shown (citizen_id_lookups).
        with db.transaction(readonly=True) as s:
            plan = imports.plan(s, args.file, args.sheet, strict=args.strict, columns=columns)
        with db.transaction() as s:
            _print_plan(plan)
            if plan.bad_rows and not args.skip_bad_rows:
                print(plan.tally().describe())
                raise imports.ImportFailed(
                    f"Không ghi gì: {len(plan.bad_rows)} dòng có lỗi (xem trên)"
                    + (", tính cả cảnh báo vì có --strict" if args.strict else "")
                    + ". Hãy sửa tệp, hoặc dùng --skip-bad-rows để ghi các dòng đúng."
                )
            summary = imports.apply(
                s,
                plan,
                overwrite=args.overwrite,
                skip_bad_rows=args.skip_bad_rows,
                course_code=args.course,
                team_id=args.team,
            )
            print(summary.describe())
            differing = sum(1 for r in plan.rows if r.differences and r.ok)
            if differing and not args.overwrite:
                print(
                    f"{differing} người có giá trị khác với tệp: giữ nguyên (dùng --overwrite để ghi đè)."
                )
            if args.dry_run:
                s.rollback()
                print("Chạy thử (--dry-run): không ghi gì.")
        if not args.dry_run and summary.inserted >= 1_000:
            db.analyze()
    finally:
        db.close()
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if args.export_command == "ics":
        from app.cli_courses import cmd_export_ics

        return cmd_export_ics(args)
    path = cli_files.output_file(args.file)  # the kind (.xlsx, .csv) is the export's rule
    db = _open(args)  # the export is recorded in the audit trail: a writer
    with db.transaction() as s:
        if args.export_command == "people":
            n = exports.export_people(
                s, path, PeopleFilter(search=args.search), unmask=args.unmask, reason=args.reason
            )
        elif args.export_command == "team":
            n = exports.export_team(s, args.team, path, unmask=args.unmask, reason=args.reason)
        else:
            n = exports.export_course(s, args.course, path, unmask=args.unmask, reason=args.reason)
    db.close()
    print(f"Đã xuất {labels.number(n)} dòng vào {path}")
    return EXIT_OK


COMMANDS = {"people": cmd_people, "import": cmd_import, "export": cmd_export}

__all__ = ["COMMANDS", "UserError", "add_parsers"]
