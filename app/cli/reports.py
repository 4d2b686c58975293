"""CLI for the periodic report."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from app.cli import files, signing
from app.cli.common import EXIT_OK, open_database
from app.cli.values import DATE_HELP
from app.cli.values import day as _day
from app.services import report_file
from app.services.reports import ReportFilter


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = sub.add_parser(
        "report", help="báo cáo kết quả tập huấn của một kỳ (PDF hoặc .xlsx, mỗi bảng một trang)"
    )
    report.add_argument(
        "--from", dest="start", metavar="dd/mm/yyyy", type=_day, required=True, help=DATE_HELP
    )
    report.add_argument(
        "--to", dest="end", metavar="dd/mm/yyyy", type=_day, required=True, help=DATE_HELP
    )
    report.add_argument(
        "--unit",
        metavar="MÃ",
        help="mã đơn vị hành chính (xã/phường, tỉnh, huyện cũ); mặc định: toàn tỉnh",
    )
    report.add_argument(
        "--no-roll-up",
        dest="roll_up",
        action="store_false",
        help="không gộp số liệu các đơn vị cũ đã sắp xếp vào đơn vị mới",
    )
    report.add_argument("--out", metavar="TỆP.pdf|TỆP.xlsx", type=Path, required=True)
    report.add_argument(
        "--sign",
        action="store_true",
        help="ký số báo cáo PDF bằng chứng thư số đặt ở sign_p12 hoặc sign_pkcs11",
    )
    report.set_defaults(parser=report)


def cmd_report(args: argparse.Namespace) -> int:
    if args.sign and args.out.suffix.lower() != ".pdf":
        args.parser.error("--sign chỉ dùng với báo cáo PDF (--out TỆP.pdf), không ký .xlsx")
    report_file.check_period(args.start, args.end)
    out = files.output_file(args.out)  # .pdf or .xlsx: the report's rule
    db = open_database(args, write=False)
    with contextlib.ExitStack() as stack:  # the key opened first: a refusal writes nothing
        sign = stack.enter_context(signing.signer_for(db)).document if args.sign else None
        with db.transaction(readonly=True) as s:
            unit_id = report_file.unit_by_code(s, args.unit).id if args.unit else None
            f = ReportFilter(args.start, args.end, unit_id, roll_up=args.roll_up)
            what = report_file.write_report(s, f, out, sign=sign)
            area = report_file.area(s, f)
    db.close(optimize=False)
    signed = " (đã ký số)" if args.sign else ""
    print(
        f"Đã lập báo cáo từ {args.start:%d/%m/%Y} đến {args.end:%d/%m/%Y}, {area}: {what}, "
        f"vào {out}{signed}"
    )
    return EXIT_OK


COMMANDS = {"report": cmd_report}
