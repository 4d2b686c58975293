"""CLI for settings, certificates and verification."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from app.cli_data import CLI_USER, _open
from app.errors import UserError
from app.files import write_atomic
from app.services import certificates, courses, settings

EXIT_OK, EXIT_NOT_VALID = 0, 1


def add_parsers(sub: argparse._SubParsersAction, positive_int) -> None:  # type: ignore[type-arg,no-untyped-def]
    st = sub.add_parser("settings", help="thiết lập cơ quan cấp, người ký, mẫu số hiệu…")
    st_sub = st.add_subparsers(dest="settings_command", metavar="VIỆC", required=True)
    st_sub.add_parser("show", help="xem các thiết lập")
    st_set = st_sub.add_parser("set", help="đặt một thiết lập (ảnh: đường dẫn tệp PNG/JPEG)")
    st_set.add_argument("key", metavar="KHÓA", choices=list(settings.KEYS))
    st_set.add_argument("value", metavar="GIÁ_TRỊ")

    cert = sub.add_parser(
        "certificates", help="giấy chứng nhận: cấp, liệt kê, thu hồi, cấp lại, sổ cấp"
    )
    c_sub = cert.add_subparsers(dest="certificates_command", metavar="VIỆC", required=True)
    issue = c_sub.add_parser(
        "issue", help="cấp cho mọi người đã hoàn thành khóa mà chưa có giấy chứng nhận"
    )
    issue.add_argument("--course", metavar="MÃ_KHÓA", required=True)
    issue.add_argument("--out", metavar="TỆP.pdf", type=Path, help="một tệp PDF gộp để in")
    issue.add_argument("--out-dir", metavar="THƯ_MỤC", type=Path, help="mỗi người một tệp PDF")
    listing = c_sub.add_parser("list", help="liệt kê giấy chứng nhận đã cấp")
    listing.add_argument("--course", metavar="MÃ_KHÓA")
    revoke = c_sub.add_parser("revoke", help="thu hồi một giấy chứng nhận")
    revoke.add_argument("serial", metavar="SỐ_HIỆU")
    revoke.add_argument("--reason", metavar="LÝ_DO", required=True)
    reissue = c_sub.add_parser("reissue", help="cấp lại (số mới, ghi rõ thay số cũ)")
    reissue.add_argument("serial", metavar="SỐ_HIỆU")
    reissue.add_argument("--out", metavar="TỆP.pdf", type=Path)
    register = c_sub.add_parser(
        "register", help="sổ cấp giấy chứng nhận của một năm (PDF hoặc .xlsx)"
    )
    register.add_argument("--year", metavar="NĂM", type=int, required=True)
    register.add_argument("--out", metavar="TỆP", type=Path, required=True)

    verify = sub.add_parser(
        "verify", help="tra cứu một giấy chứng nhận (mã xác minh, số hiệu hoặc nội dung QR)"
    )
    verify.add_argument("code", metavar="MÃ_HOẶC_QR")


def cmd_settings(args: argparse.Namespace) -> int:
    db = _open(args)
    if args.settings_command == "show":
        with db.transaction(readonly=True) as s:
            for key, label, value in settings.display(s):
                print(f"{key:<15} {label:<45} {value}")
    else:
        with db.transaction() as s:
            settings.set_value(s, args.key, args.value, CLI_USER)
        print(f"Đã đặt {args.key}.")
    db.close()
    return EXIT_OK


def _write(items, out: Path | None, out_dir: Path | None, title: str) -> list[str]:  # type: ignore[no-untyped-def]
    from app.documents.certificate import render_certificates, render_one

    written = []
    if out is not None:
        out = out.expanduser().absolute()
        if out.suffix.lower() != ".pdf" or not out.parent.is_dir():
            raise UserError(f"Tệp in phải là .pdf trong một thư mục có sẵn (không phải “{out}”).")
        buf = io.BytesIO()
        render_certificates([d for d, _ in items], buf, title)
        write_atomic(out, buf.getvalue())
        written.append(str(out))
    if out_dir is not None:
        out_dir = out_dir.expanduser().absolute()
        out_dir.mkdir(parents=True, exist_ok=True)
        for data, name in items:
            write_atomic(out_dir / name, render_one(data))
        written.append(f"{len(items)} tệp trong {out_dir}")
    return written


def cmd_certificates(args: argparse.Namespace) -> int:
    db = _open(args)
    command = args.certificates_command
    if command == "issue":
        if args.out is None and args.out_dir is None:
            raise UserError(
                "Hãy cho --out TỆP.pdf (tệp gộp để in) hoặc --out-dir THƯ_MỤC (mỗi người một tệp)."
            )
        with db.transaction() as s:
            course = courses.by_code(s, args.course)
            issued = certificates.issue(s, course.id, None, CLI_USER)
            items = certificates.reprint(s, [r.id for r in issued])
            written = _write(items, args.out, args.out_dir, f"Giấy chứng nhận {course.code}")
        print(
            f"Đã cấp {len(issued)} giấy chứng nhận ({issued[0].serial} – {issued[-1].serial}): "
            + "; ".join(written)
        )
    elif command == "list":
        with db.transaction(readonly=True) as s:
            course_id = courses.by_code(s, args.course).id if args.course else None
            rows = certificates.listing(s, course_id=course_id)
        for r in rows:
            print(
                f"{r.serial:<22} {r.issued_on:%d/%m/%Y}  {certificates.STATUS_TEXT[r.status]:<28} {r.full_name}  ({r.course_code})"
            )
        print(f"({len(rows)} giấy chứng nhận)")
    elif command == "revoke":
        with db.transaction() as s:
            row = certificates.revoke(s, args.serial, args.reason, CLI_USER)
        print(f"Đã thu hồi giấy chứng nhận số {row.serial}.")
    elif command == "reissue":
        with db.transaction() as s:
            row = certificates.reissue(s, args.serial, CLI_USER)
            written = (
                _write(certificates.reprint(s, [row.id]), args.out, None, row.serial)
                if args.out
                else []
            )
        print(
            f"Đã cấp lại: số {row.serial} thay số {args.serial}."
            + (f" {written[0]}" if written else "")
        )
    else:
        out = args.out.expanduser().absolute()
        with db.transaction(readonly=True) as s:
            n = certificates.write_register(s, out, args.year)
        print(f"Đã lập sổ cấp năm {args.year}: {n} giấy chứng nhận, vào {out}")
    db.close()
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """Exit 0 only for a valid certificate."""
    db = _open(args)
    with db.transaction(readonly=True) as s:
        result = certificates.verify(s, args.code)
    db.close()
    print(result.message, file=sys.stdout if result.found else sys.stderr)
    return EXIT_OK if result.valid else EXIT_NOT_VALID


COMMANDS = {"settings": cmd_settings, "certificates": cmd_certificates, "verify": cmd_verify}
