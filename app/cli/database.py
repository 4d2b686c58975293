"""Commands on the database itself: init, demo, check, backup, restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import backups, commands, config, labels
from app.cli import files, values
from app.cli.common import EXIT_OK, EXIT_USER_ERROR, create_database, sign_in
from app.db import UNREADABLE, CheckReport, Database, restore, sqlite_path
from app.errors import UserError
from app.services import access

DEMO_MAX_SCALE = 100  # about 400,000 people: past that a demo is no longer a demo


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sub.add_parser("init", help="tạo hoặc nâng cấp cơ sở dữ liệu, nạp danh mục đơn vị hành chính")
    demo = sub.add_parser("demo", help="nạp dữ liệu mẫu vào cơ sở dữ liệu trống")
    demo.add_argument(
        "--scale",
        metavar="N",
        type=values.int_between(1, DEMO_MAX_SCALE, "số nguyên dương"),
        default=1,
        help=f"quy mô (1 ≈ 4.000 người, tối đa {DEMO_MAX_SCALE})",
    )
    demo.add_argument(
        "--seed", metavar="S", type=int, default=2022, help="hạt giống ngẫu nhiên (mặc định 2022)"
    )
    check = sub.add_parser("check", help="kiểm tra phiên bản lược đồ, tính toàn vẹn và số dòng")
    check.add_argument(
        "--rebuild-facts",
        action="store_true",
        help="tính lại số liệu tổng hợp của báo cáo từ dữ liệu điểm danh (người quản trị)",
    )
    backup = sub.add_parser("backup", help="sao lưu tệp SQLite ra TỆP")
    backup.add_argument("file", metavar="TỆP", type=Path)
    restore_p = sub.add_parser("restore", help="khôi phục từ TỆP sao lưu (giữ lại tệp bị thay)")
    restore_p.add_argument("file", metavar="TỆP", type=Path)


def cmd_init(args: argparse.Namespace) -> int:
    from app.services import units

    db = create_database(args)
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

    db = create_database(args)
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
        print(f"Nhật ký thao tác: {report.audit.describe() if full else report.audit.verdict(db)}")
    if not full:
        print("Số dòng các bảng và chi tiết nhật ký thao tác: chỉ người quản trị xem (--user).")
    for table, count in report.counts.items() if full else ():
        shown = "không đọc được" if count == UNREADABLE else labels.number(count)
        print(f"  {table:<20} {shown:>10}")
    facts_wrong = _check_facts(db, args, report) if report.ok else 0
    db.close(optimize=False)
    if report.audit is not None and not report.audit.ok:
        print(
            f"Lỗi: {report.audit.describe() if full else report.audit.verdict(db)}", file=sys.stderr
        )
        return EXIT_USER_ERROR
    if not report.ok:
        advice = ""
        if report.integrity != "ok":
            advice = (
                " Tệp bị hỏng: hãy khôi phục bản sao lưu tốt gần nhất trong thư mục backups "
                f"bằng “{commands.command(db, 'restore TỆP_SAO_LƯU')}” (tệp hỏng được giữ lại "
                "trong backups/tep-hong)."
            )
        elif report.revision != report.head:
            advice = f" Hãy chạy “{commands.command(db, 'init')}” để nâng cấp."
        print(f"Lỗi: cơ sở dữ liệu có vấn đề, xem các dòng trên.{advice}", file=sys.stderr)
        return EXIT_USER_ERROR
    if facts_wrong:
        print(
            f"Lỗi: số liệu tổng hợp của báo cáo lệch {labels.number(facts_wrong)} dòng so với "
            "dữ liệu điểm danh (Tổng quan và Báo cáo có thể sai). Hãy chạy "
            f"“{commands.command(db, 'check --rebuild-facts')}” để tính lại.",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    return EXIT_OK


def _check_facts(db: Database, args: argparse.Namespace, report: CheckReport) -> int:
    """Recount the training facts from the marks and compare (a line of output); with
    --rebuild-facts, an administrator's transaction rebuilds them first. Returns how
    many rows still differ."""
    from app import facts

    if report.revision != report.head:
        return 0
    if args.rebuild_facts:
        sign_in(db, args.user)
        with db.transaction() as s:
            access.require(s, "restore")
            rows = facts.rebuild(s)
        print(f"Đã tính lại số liệu tổng hợp của báo cáo: {labels.number(rows)} dòng.")
    with db.transaction(readonly=True) as s:
        wrong = facts.differences(s)
    verdict = "khớp với" if not wrong else f"lệch {labels.number(wrong)} dòng so với"
    print(f"Số liệu tổng hợp của báo cáo: {verdict} dữ liệu điểm danh")
    return wrong


def _sees_details(db: Database, username: str | None, report: CheckReport) -> bool:
    """Administrators, and anyone on a database that needs no sign-in (or a file too old
    or broken to sign in to), see the table counts and the audit trail's details; others,
    and nobody signed in where sign-in is needed, only the verdicts."""
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
    dest = files.output_file(args.file)
    db = Database(config.resolve_db(args.db, demo=args.demo), must_exist=True)
    try:
        sign_in(db, args.user, write=False)  # an administrator's, where sign-in is needed
        with db.transaction(readonly=True) as s:
            access.require(s, "backup")
        dest = db.backup(dest)
    finally:
        db.close(optimize=False)
    print(f"Đã sao lưu vào {dest}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    target = config.resolve_db(args.db, demo=args.demo)
    source = files.input_file(args.file, "bản sao lưu")
    path = sqlite_path(target)
    if path is not None and _restorable_by_anyone(path):
        pass  # nothing to protect, or a broken file nobody can sign in to (as at start)
    elif path is not None:  # only an administrator replaces the department's record
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
    path = files.checked(path)
    if not path.is_file() or path.stat().st_size == 0:
        return True
    return not backups.integrity_ok(path, quick=True)


COMMANDS = {
    "init": cmd_init,
    "demo": cmd_demo,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
}
