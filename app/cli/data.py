"""Commands moving data in and out: import people (Excel/CSV), export (Excel/CSV, and
the calendar of app.cli.courses)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app import labels
from app.cli import courses, files, values
from app.cli.common import EXIT_OK, open_database
from app.errors import UserError
from app.services import exports, imports
from app.services.import_columns import FIELD_LABELS
from app.services.import_rows import display
from app.services.people import PeopleFilter
from app.spreadsheet import column_letters


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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
        "--team", metavar="MÃ_TỔ", type=values.record_id, help="thêm những người nhập vào tổ này"
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
    et.add_argument("team", metavar="MÃ_TỔ", type=values.record_id)
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
    courses.ics_parser(exp_sub)


def _column(spec: str) -> tuple[str, int]:
    try:
        return imports.column_override(spec)
    except UserError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


_column.__name__ = "cột"


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
    args.file = files.input_file(args.file, "tệp danh sách")
    columns = _columns(args.column)
    db = open_database(args)
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
        return courses.cmd_export_ics(args)
    path = files.output_file(args.file)  # the kind (.xlsx, .csv) is the export's rule
    db = open_database(args)  # the export is recorded in the audit trail: a writer
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


COMMANDS = {"import": cmd_import, "export": cmd_export}
