"""CLI for attendance, scores and the printed documents."""

from __future__ import annotations

import argparse
import io
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app import commands, labels
from app.cli import files, values
from app.cli.common import EXIT_OK, open_database
from app.errors import InvalidValue
from app.files import write_atomic
from app.services import attendance, checkin, courses, outcomes, printing

MAX_BLANK_ROWS = 100  # blank lines for walk-ins: a few pages at most


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sheet = sub.add_parser(
        "attendance-sheet", help="in danh sách ký tên một buổi, hoặc bảng tổng hợp khóa học (PDF)"
    )
    sheet.add_argument("--course", metavar="MÃ_KHÓA", required=True)
    sheet.add_argument(
        "--session",
        metavar="N",
        type=values.positive_int,
        default=1,
        help="buổi thứ N của khóa (1 là buổi sớm nhất)",
    )
    sheet.add_argument(
        "--summary", action="store_true", help="bảng tổng hợp điểm danh và kết quả cả khóa"
    )
    sheet.add_argument("--qr", action="store_true", help="thêm cột mã QR điểm danh")
    sheet.add_argument(
        "--phones",
        action="store_true",
        help="in cả số điện thoại (mặc định không in: danh sách được chuyền tay trong lớp)",
    )
    sheet.add_argument(
        "--blank",
        metavar="N",
        type=values.int_between(0, MAX_BLANK_ROWS, "số dòng"),
        default=5,
        help=f"số dòng trống cho người đến lớp (mặc định 5, tối đa {MAX_BLANK_ROWS})",
    )
    sheet.add_argument("--out", metavar="TỆP.pdf", type=Path, required=True)
    sheet.set_defaults(parser=sheet)

    badges = sub.add_parser(
        "badges", help="in thẻ học viên có mã QR điểm danh (8 thẻ một trang A4)"
    )
    badges.add_argument("--course", metavar="MÃ_KHÓA", required=True)
    badges.add_argument("--out", metavar="TỆP.pdf", type=Path, required=True)

    record = sub.add_parser("transcript", help="in hồ sơ học tập của một người (PDF)")
    record.add_argument("--person", metavar="MÃ_NGƯỜI", type=values.record_id, required=True)
    record.add_argument("--out", metavar="TỆP.pdf", type=Path, required=True)

    att = sub.add_parser("attendance", help="điểm danh")
    att_sub = att.add_subparsers(dest="attendance_command", metavar="VIỆC", required=True)
    mark = att_sub.add_parser("mark", help="ghi điểm danh cho một người, một mã, hoặc cả lớp")
    mark.add_argument("--course", metavar="MÃ_KHÓA", required=True)
    mark.add_argument("--session", metavar="N", type=values.positive_int, required=True)
    who = mark.add_mutually_exclusive_group(required=True)
    who.add_argument("--code", metavar="MÃ_ĐIỂM_DANH")
    who.add_argument("--person", metavar="MÃ_NGƯỜI", type=values.record_id)
    who.add_argument("--all", action="store_true", help="mọi người chưa có điểm danh của buổi này")
    mark.add_argument(
        "--status",
        choices=["present", "late", "excused", "absent"],
        required=True,
        help="present có mặt, late đi muộn, excused vắng có phép, absent vắng",
    )

    scan = att_sub.add_parser(
        "scan",
        help="đọc bảng ký tên đã ký từ bản quét PDF hoặc ảnh chụp (JPEG, PNG); --apply để ghi",
    )
    scan.add_argument("files", metavar="TỆP", type=Path, nargs="+")
    scan.add_argument(
        "--apply",
        action="store_true",
        help="ghi các ô đọc chắc chắn (ô chưa chắc và ô khác điểm danh đã ghi thì không)",
    )

    scores = sub.add_parser("scores", help="điểm kiểm tra")
    scores_sub = scores.add_subparsers(dest="scores_command", metavar="VIỆC", required=True)
    imp = scores_sub.add_parser(
        "import", help="nhập điểm (hoặc kết quả học trực tuyến) từ Excel/CSV"
    )
    imp.add_argument("file", metavar="TỆP", type=Path)
    imp.add_argument("--course", metavar="MÃ_KHÓA", required=True)
    imp.add_argument("--sheet", metavar="TÊN")
    imp.add_argument(
        "--online",
        action="store_true",
        help="tệp hoàn thành của nền tảng học trực tuyến (OneTouch)",
    )
    imp.add_argument(
        "--skip-unmatched", action="store_true", help="ghi các dòng khớp, bỏ qua dòng không khớp"
    )


def _pdf(path: Path) -> Path:
    """Checked before the database is opened: a refused file writes nothing, not even
    the audit entry of printing."""
    return files.output_file(path, (".pdf",), "Tệp in")


def _render(render, data, out: Path) -> int:  # type: ignore[no-untyped-def]
    """Draw into memory, then put the file in place whole (after the commit)."""
    buf = io.BytesIO()
    pages: int = render(data, buf)
    write_atomic(out, buf.getvalue())
    return pages


def cmd_sheet(args: argparse.Namespace) -> int:
    from app.documents.attendance_sheet import render_attendance_summary
    from app.services import sign_sheets

    if args.summary and (args.phones or args.qr):  # a usage error: exit 2, nothing done
        option = "--phones" if args.phones else "--qr"
        args.parser.error(
            f"{option} chỉ dùng cho danh sách ký tên một buổi, không dùng với --summary"
        )
    out = _pdf(args.out)
    db = open_database(args)
    with db.transaction() as s:  # writes check-in codes for anyone who had none
        course = courses.by_code(s, args.course)
        if args.summary:
            data = printing.summary(s, course.id, printed_on=date.today())
        else:  # recorded with its code and rows, to be read back when signed
            sheet = sign_sheets.print_sheet(
                s, course.id, args.session, args.blank, args.qr, show_phones=args.phones
            )
    if args.summary:
        n = _render(render_attendance_summary, data, out)
    else:
        write_atomic(out, sheet.pdf)
        n = sheet.pages
    print(f"Đã in {n} trang vào {out}")
    db.close()
    return EXIT_OK


def cmd_badges(args: argparse.Namespace) -> int:
    from app.documents.badges import render_badges

    out = _pdf(args.out)
    db = open_database(args)
    with db.transaction() as s:
        data = printing.badges(s, courses.by_code(s, args.course).id)
    n = _render(render_badges, data, out)
    print(f"Đã in {len(data.badges)} thẻ, {n} trang vào {out}")
    db.close()
    return EXIT_OK


def cmd_transcript(args: argparse.Namespace) -> int:
    from app.documents.transcript import render_transcript

    out = _pdf(args.out)
    db = open_database(args)  # printing personal data is recorded in the audit trail: a writer
    with db.transaction() as s:
        data = printing.transcript(s, args.person, printed_on=date.today())
    n = _render(render_transcript, data, out)
    print(f"Đã in hồ sơ học tập của {data.full_name} ({n} trang) vào {out}")
    db.close()
    return EXIT_OK


def cmd_attendance(args: argparse.Namespace) -> int:
    from models import Enrolment, Person

    if args.attendance_command == "scan":
        from app.cli.sheet_scan import cmd_scan

        return cmd_scan(args)
    db = open_database(args)
    with db.transaction() as s:
        course = courses.by_code(s, args.course)
        column = attendance.session_by_number(s, course.id, args.session)
        if args.all:
            if args.status != "present":
                raise InvalidValue("--all chỉ dùng với --status present (điểm danh cả lớp có mặt).")
            n = attendance.mark_all_present(s, course.id, column.id)
            print(f"Đã ghi có mặt cho {n} người ở buổi {args.session}.")
        else:
            if args.code is not None:
                person = s.scalars(
                    select(Person).where(Person.checkin_code == checkin.normalise(args.code))
                ).first()
                if person is None:
                    raise InvalidValue(f"Không nhận ra mã điểm danh “{args.code}”.")
            else:
                person = s.get(Person, args.person)
                if person is None:
                    raise InvalidValue(f"Không có người mã {args.person}.")
            e = s.scalars(
                select(Enrolment).where(
                    Enrolment.course_id == course.id, Enrolment.person_id == person.id
                )
            ).first()
            if e is None or e.status.value not in ("registered", "completed", "not_completed"):
                raise InvalidValue(
                    f"{person.full_name} chưa ghi danh vào {course.code}. Thêm như người đến lớp: "
                    + commands.command(s, f"enrol --course {course.code} --person {person.id}")
                )
            attendance.mark(s, course.id, column.id, e.id, args.status)
            said = labels.ATTENDANCE_STATUS[args.status].lower()
            print(
                f"Đã ghi {person.full_name}: {said} ở buổi {args.session} ({column.starts_at:%d/%m/%Y})."
            )
    db.close()
    return EXIT_OK


def cmd_scores(args: argparse.Namespace) -> int:
    args.file = files.input_file(args.file, "tệp điểm")
    db = open_database(args)
    with db.transaction() as s:
        course = courses.by_code(s, args.course)
        plan = outcomes.plan_scores(s, course.id, args.file, args.sheet, online=args.online)
        for line in plan.notes():
            print(line)
        if plan.unmatched:
            print(
                f"{len(plan.unmatched)} dòng không khớp hoặc có lỗi:\n{plan.describe_unmatched()}"
            )
        n = outcomes.apply_scores(
            s, course.id, plan, skip_unmatched=args.skip_unmatched, online=args.online
        )
    print(f"Đã ghi {n} dòng vào {args.course}.")
    db.close()
    return EXIT_OK


COMMANDS = {
    "attendance-sheet": cmd_sheet,
    "badges": cmd_badges,
    "transcript": cmd_transcript,
    "attendance": cmd_attendance,
    "scores": cmd_scores,
}
