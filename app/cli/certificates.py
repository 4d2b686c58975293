"""Commands on certificates: issue, list, revoke, reissue, reprint, print, register,
publish (app.cli.publish); verify."""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from pathlib import Path

from app.certificate_files import (
    NOTHING_ISSUED,
    NotIssuedToFiles,
    Targets,
    issued_but_not_placed,
    write_after_commit,
)
from app.cli import files, values
from app.cli.common import EXIT_INTERRUPTED, EXIT_NOT_PLACED, EXIT_NOT_VALID, EXIT_OK, open_database
from app.db import Database
from app.errors import UserError
from app.services import certificate_records, certificates, courses
from app.staging import FileProblem

# Loaded by the commands that use them, not by every one: signing (pyHanko, only with
# --sign), the register, the list's signed marks, verification, printing for a course.

OUT_NEEDED = "cần --out TỆP.pdf (tệp gộp để in) hoặc --out-dir THƯ_MỤC (mỗi người một tệp)"
SIGN_NEEDS_DIR = (
    "--sign cần --out-dir THƯ_MỤC: chỉ tệp của từng người được ký số (tệp gộp --out để in không ký)"
)
SIGN_NEEDS_PDF = "--sign chỉ dùng với sổ cấp PDF (--out TỆP.pdf), không ký .xlsx hay .csv"
SIGN_HELP = (
    "ký số tệp của từng người bằng chứng thư số đặt ở sign_p12 hoặc sign_pkcs11 (mật khẩu/mã "
    "PIN: biến môi trường TAPHUAN_SIGN_PASSWORD/TAPHUAN_SIGN_PIN, hoặc gõ khi được hỏi)"
)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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
    issue.add_argument("--sign", action="store_true", help=SIGN_HELP)
    listing = c_sub.add_parser("list", help="liệt kê giấy chứng nhận đã cấp")
    listing.add_argument("--course", metavar="MÃ_KHÓA")
    revoke = c_sub.add_parser("revoke", help="thu hồi một giấy chứng nhận")
    revoke.add_argument("serial", metavar="SỐ_HIỆU")
    revoke.add_argument("--reason", metavar="LÝ_DO", required=True)
    reissue = c_sub.add_parser("reissue", help="cấp lại (số mới, ghi rõ thay số cũ)")
    reissue.add_argument("serial", metavar="SỐ_HIỆU")
    reissue.add_argument("--out", metavar="TỆP.pdf", type=Path)
    reprint = c_sub.add_parser(
        "reprint", help="in lại giấy đã cấp, đúng như lần cấp (không cấp số mới)"
    )
    reprint.add_argument("serials", metavar="SỐ_HIỆU", nargs="*", help="các số hiệu cần in lại")
    reprint.add_argument("--course", metavar="MÃ_KHÓA", help="mọi giấy còn hiệu lực của khóa")
    reprint.add_argument("--out", metavar="TỆP.pdf", type=Path, help="một tệp PDF gộp để in")
    reprint.add_argument("--out-dir", metavar="THƯ_MỤC", type=Path, help="mỗi người một tệp PDF")
    reprint.add_argument("--sign", action="store_true", help=SIGN_HELP)
    print_p = c_sub.add_parser(
        "print",
        help="in giấy đã cấp của một khóa từ bản chụp lúc cấp (giảng viên: khóa mình dạy), "
        "đúng từng byte như lần cấp",
    )
    print_p.add_argument("--course", metavar="MÃ_KHÓA", required=True)
    print_p.add_argument("--serial", metavar="SỐ_HIỆU", nargs="+", action="extend", default=[],
                         dest="serials",
                         help="chỉ các giấy này (thuộc khóa, còn hiệu lực)")  # fmt: skip
    print_p.add_argument("--out", metavar="TỆP.pdf", type=Path, help="một tệp PDF gộp để in")
    print_p.add_argument("--out-dir", metavar="THƯ_MỤC", type=Path, help="mỗi người một tệp PDF")
    for p in (issue, reprint, print_p):
        p.set_defaults(parser=p)
    register = c_sub.add_parser(
        "register", help="sổ cấp giấy chứng nhận của một năm (PDF hoặc .xlsx)"
    )
    register.add_argument("--year", metavar="NĂM", type=values.year, required=True)
    register.add_argument("--out", metavar="TỆP", type=Path, required=True)
    register.add_argument(
        "--sign", action="store_true", help="ký số sổ cấp PDF (chứng thư số như ở --sign khi cấp)"
    )
    register.set_defaults(parser=register)
    publish = c_sub.add_parser(
        "publish",
        help="xuất trang tra cứu giấy chứng nhận (thư mục tĩnh để chép lên cổng thông tin)",
    )
    publish.add_argument(
        "--out", metavar="THƯ_MỤC", type=Path, required=True,
        help="thư mục trang tra cứu: mới, trống, hoặc đã xuất trước đây (được thay cả thư mục)",
    )  # fmt: skip

    verify = sub.add_parser(
        "verify",
        help="tra cứu một giấy chứng nhận (mã xác minh, số hiệu hoặc nội dung QR), hoặc kiểm "
        "tra chữ ký số của một tệp PDF",
    )
    verify.add_argument("code", metavar="MÃ_HOẶC_QR_HOẶC_TỆP.pdf")


def _issue(args: argparse.Namespace, db: Database) -> int:
    # What is alive now (modules, classes, the parser) lives as long as the command: the
    # collector need not walk it again on each of its many rounds over a thousand
    # certificates' objects. Unfrozen after, for a caller that runs on (tests, the window).
    gc.freeze()
    try:
        return _issue_now(args, db)
    finally:
        gc.unfreeze()


def _issue_now(args: argparse.Namespace, db: Database) -> int:
    targets = Targets(args.out, args.out_dir)

    def act(s, sink):  # type: ignore[no-untyped-def]
        course = courses.by_code(s, args.course)
        issued = certificates.issue(s, course.id, None)
        skipped = certificate_records.revoked_left_out(s, course.id)
        return (course.code, issued, skipped), certificates.reprint(s, [r.id for r in issued])

    if args.sign:
        return _issue_signed(args, db, targets, act)
    try:
        (code, issued, skipped), placed = write_after_commit(  # titled with the stored code
            db, targets, act, lambda r: f"Giấy chứng nhận {r[0]}"
        )
    except FileProblem as exc:
        raise UserError(f"{exc.message} {NOTHING_ISSUED}") from exc
    except NotIssuedToFiles as exc:
        return _not_placed(exc, db)
    return _issued(args, db, targets, code, issued, skipped, placed)


def _issue_signed(args: argparse.Namespace, db: Database, targets: Targets, act) -> int:  # type: ignore[no-untyped-def]
    from app.cli import signing
    from app.signed_files import SigningStopped, write_signed

    try:
        with signing.signer_for(db) as signer:  # the key first: a wrong password issues nothing
            (code, issued, skipped), placed = write_signed(
                db, targets, act, lambda r: f"Giấy chứng nhận {r[0]}", signer.certificate,
                issued=lambda r: len(r[1]), course_code=lambda r: r[0],
                step=signing.progress(),
            )  # fmt: skip
    except SigningStopped as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return EXIT_NOT_PLACED
    except FileProblem as exc:
        raise UserError(f"{exc.message} {NOTHING_ISSUED}") from exc
    except NotIssuedToFiles as exc:
        return _not_placed(exc, db)
    return _issued(args, db, targets, code, issued, skipped, placed)


def _not_placed(exc: NotIssuedToFiles, db: Database) -> int:
    code, issued, _skipped = exc.result
    serials = [r.serial for r in issued]
    print(f"Lỗi: {issued_but_not_placed(serials, code, exc.message, db)}", file=sys.stderr)
    return EXIT_INTERRUPTED if exc.interrupted else EXIT_NOT_PLACED


def _issued(args, db, targets, code, issued, skipped, placed) -> int:  # type: ignore[no-untyped-def]
    print(
        f"Đã cấp {len(issued)} giấy chứng nhận ({issued[0].serial} – {issued[-1].serial}): "
        + targets.describe(placed)
        + (" (đã ký số)" if args.sign else "")
    )
    if skipped:
        print(certificates.revoked_note(skipped, db))
    return EXIT_OK


def _reissue(args: argparse.Namespace, db: Database) -> int:
    if args.out is None:
        with db.transaction() as s:
            row = certificates.reissue(s, args.serial)
        print(f"Đã cấp lại: số {row.serial} thay số {args.serial}.")
        return EXIT_OK
    targets = Targets(out=args.out)

    def act(s, _sink):  # type: ignore[no-untyped-def]
        row = certificates.reissue(s, args.serial)
        return row, certificates.reprint(s, [row.id])

    try:
        row, placed = write_after_commit(db, targets, act, None)
    except FileProblem as exc:
        raise UserError(f"{exc.message} Chưa cấp lại; số hiệu không bị dùng.") from exc
    except NotIssuedToFiles as exc:
        message = issued_but_not_placed([exc.result.serial], None, exc.message, db)
        print(f"Lỗi: {message}", file=sys.stderr)
        return EXIT_INTERRUPTED if exc.interrupted else EXIT_NOT_PLACED
    print(f"Đã cấp lại: số {row.serial} thay số {args.serial}. {targets.describe(placed)}")
    return EXIT_OK


def _reprint(args: argparse.Namespace, db: Database) -> int:
    if not args.serials and not args.course:
        raise UserError("Hãy cho số hiệu các giấy cần in lại, hoặc --course MÃ_KHÓA.")
    from app.cli import signing
    from app.signed_files import SigningStopped, write_signed

    targets = Targets(args.out, args.out_dir)

    def act(s, _sink):  # type: ignore[no-untyped-def]
        course_id = courses.by_code(s, args.course).id if args.course else None
        ids = certificates.in_force_ids(s, course_id, args.serials)
        return len(ids), certificates.reprint(s, ids)

    try:
        if args.sign:
            with signing.signer_for(db) as signer:
                n, placed = write_signed(
                    db, targets, act, "Giấy chứng nhận (in lại)", signer.certificate,
                    course_code=lambda _n: args.course, step=signing.progress(),
                )  # fmt: skip
        else:
            n, placed = write_after_commit(db, targets, act, "Giấy chứng nhận (in lại)")
    except SigningStopped as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return EXIT_NOT_PLACED
    except FileProblem as exc:
        raise UserError(exc.message) from exc
    signed = " (đã ký số)" if args.sign else ""
    print(f"Đã in lại {n} giấy chứng nhận: {targets.describe(placed)}{signed}")
    return EXIT_OK


def _print(args: argparse.Namespace, db: Database) -> int:
    """The issued certificates of a course (or some of them) from their snapshots: each
    person's file is the PDF issued, and the combined file the one issue wrote."""
    from app.services import certificate_print

    targets = Targets(args.out, args.out_dir)

    def act(s, _sink):  # type: ignore[no-untyped-def]
        course = courses.by_code(s, args.course)
        ids = certificate_print.for_course(s, course.id, args.serials)
        return (len(ids), course.code), certificates.reprint(s, ids)

    try:  # the title issue gave the combined file, so the same certificates print the same
        (n, _code), placed = write_after_commit(  # titled with the code as stored
            db, targets, act, lambda r: f"Giấy chứng nhận {r[1]}"
        )
    except FileProblem as exc:
        raise UserError(exc.message) from exc
    print(f"Đã in {n} giấy chứng nhận: {targets.describe(placed)}")
    return EXIT_OK


def cmd_certificates(args: argparse.Namespace) -> int:
    command = args.certificates_command
    if command in ("issue", "reprint", "print") and args.out is None and args.out_dir is None:
        args.parser.error(OUT_NEEDED)  # a usage error: exit 2, nothing done
    if getattr(args, "sign", False) and command in ("issue", "reprint") and args.out_dir is None:
        args.parser.error(SIGN_NEEDS_DIR)
    if command == "register" and args.sign and args.out.suffix.lower() != ".pdf":
        args.parser.error(SIGN_NEEDS_PDF)
    if command == "register":  # checked before the database: a refusal writes nothing
        args.out = files.output_file(args.out, (".pdf", ".xlsx", ".csv"), "Sổ cấp")
    for target in (getattr(args, "out", None), getattr(args, "out_dir", None)):
        if target is not None:  # a name the system cannot even look at (the rest: Targets)
            files.checked(target)
    if command == "publish":
        from app.cli.publish import cmd_publish

        return cmd_publish(args)
    db = open_database(args, write=command != "list")
    code = EXIT_OK
    if command == "issue":
        code = _issue(args, db)
    elif command == "reissue":
        code = _reissue(args, db)
    elif command == "reprint":
        code = _reprint(args, db)
    elif command == "print":
        code = _print(args, db)
    elif command == "list":
        from app.services import certificate_signing

        with db.transaction(readonly=True) as s:
            course_id = courses.by_code(s, args.course).id if args.course else None
            rows = certificates.listing(s, course_id=course_id)
            signed = certificate_signing.signed_ids(s, [r.id for r in rows])
        for r in rows:
            mark = "  đã ký số" if r.id in signed else ""
            print(
                f"{r.serial:<22} {r.issued_on:%d/%m/%Y}  {certificates.STATUS_TEXT[r.status]:<28} {r.full_name}  ({r.course_code}){mark}"
            )
        print(f"({len(rows)} giấy chứng nhận)")
    elif command == "revoke":
        with db.transaction() as s:
            row = certificates.revoke(s, args.serial, args.reason)
        print(f"Đã thu hồi giấy chứng nhận số {row.serial}.")
    else:
        from app.cli import signing
        from app.services import certificate_register

        out = args.out
        with contextlib.ExitStack() as stack:
            sign = stack.enter_context(signing.signer_for(db)).document if args.sign else None
            with db.transaction() as s:  # the register's personal data is recorded as disclosed
                n = certificate_register.write_register(s, out, args.year, sign=sign)
        signed = " (đã ký số)" if args.sign else ""
        print(f"Đã lập sổ cấp năm {args.year}: {n} giấy chứng nhận, vào {out}{signed}")
    db.close(optimize=command != "list")
    return code


def _is_pdf_argument(text: str) -> bool:
    if text.strip().lower().endswith(".pdf"):
        return True
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # too long or a NUL for a file name: a code, then
        return False


def _verify_pdf(args: argparse.Namespace) -> int:
    """Exit 0 only for the recorded signed file of a valid certificate, intact and whole."""
    # pyHanko (and cryptography under it) loaded only for a PDF: a code look-up stays light.
    from app.services import pdf_verification
    from app.signing import check

    data = check.read_pdf(Path(args.code))  # missing or unreadable: exit 3, before any database
    db = open_database(args, write=False)
    with db.transaction(readonly=True) as s:
        result = pdf_verification.verify_pdf(s, data)
    db.close(optimize=False)
    print(result.message)
    return EXIT_OK if result.valid else EXIT_NOT_VALID


def cmd_verify(args: argparse.Namespace) -> int:
    """Exit 0 only for a valid certificate."""
    if _is_pdf_argument(args.code):
        return _verify_pdf(args)
    from app.services import verification

    db = open_database(args, write=False)
    with db.transaction(readonly=True) as s:
        result = verification.verify(s, args.code)
    db.close(optimize=False)
    if result.forbidden:  # a look-up the role may not make: a user error
        raise UserError(result.message)
    print(result.message, file=sys.stdout if result.found else sys.stderr)
    return EXIT_OK if result.valid else EXIT_NOT_VALID


COMMANDS = {"certificates": cmd_certificates, "verify": cmd_verify}
