"""CLI commands for courses: course add/list/show/finish, session add, enrol, export ics."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from app import labels
from app.cli import files, values
from app.cli.common import EXIT_OK, open_database
from app.services import courses, enrolment, exports, scheduling

_day, _hhmm = values.day, values.hhmm


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    course = sub.add_parser("course", help="khóa học: thêm, liệt kê, xem, kết thúc")
    csub = course.add_subparsers(dest="course_command", metavar="VIỆC", required=True)
    add = csub.add_parser("add", help="thêm khóa học (bản nháp)")
    add.add_argument("--code", metavar="MÃ", required=True)
    add.add_argument("--title", metavar="TÊN", required=True)
    add.add_argument(
        "--start", metavar="dd/mm/yyyy", type=_day, required=True, help=values.DATE_HELP
    )
    add.add_argument("--end", metavar="dd/mm/yyyy", type=_day, required=True, help=values.DATE_HELP)
    add.add_argument("--capacity", metavar="N", type=values.positive_int)
    add.add_argument(
        "--min-attendance",
        metavar="PCT",
        type=values.int_between(0, 100, "tỷ lệ phần trăm"),
        default=80,
        help="chuyên cần tối thiểu (%%, mặc định 80)",
    )
    add.add_argument(
        "--pass-score",
        metavar="X",
        type=values.number_between(0, 100, "điểm"),
        default=None,
        help="điểm đạt bài kiểm tra cuối (không ghi: khóa không có bài kiểm tra, xét hoàn "
        "thành theo chuyên cần)",
    )
    add.add_argument(
        "--validity-months",
        metavar="THÁNG",
        type=values.positive_int,
        help="giấy chứng nhận của khóa hết hạn sau số tháng này (mặc định: không thời hạn)",
    )
    _wording_options(add)
    edit = csub.add_parser(
        "edit", help="sửa căn cứ pháp lý và xếp loại in trên giấy chứng nhận của khóa"
    )
    edit.add_argument("code", metavar="MÃ")
    _wording_options(edit)
    edit.add_argument(
        "--no-grades", action="store_true", help="bỏ xếp loại (giấy chỉ ghi “Hoàn thành”)"
    )
    listing = csub.add_parser("list", help="liệt kê khóa học")
    listing.add_argument("--year", metavar="NĂM", type=values.year)
    show = csub.add_parser("show", help="xem một khóa học: buổi học, số ghi danh")
    show.add_argument("code", metavar="MÃ")
    finish = csub.add_parser(
        "finish", help="xét kết quả theo điều kiện hoàn thành rồi đóng khóa học"
    )
    finish.add_argument("code", metavar="MÃ")
    finish.add_argument(
        "--yes", action="store_true", help="vẫn kết thúc khi có buổi chưa điểm danh"
    )

    session = sub.add_parser("session", help="buổi học")
    ssub = session.add_subparsers(dest="session_command", metavar="VIỆC", required=True)
    sadd = ssub.add_parser("add", help="thêm một buổi học (kiểm tra trùng lịch)")
    sadd.add_argument("--course", metavar="MÃ_KHÓA", required=True)
    sadd.add_argument(
        "--date", metavar="dd/mm/yyyy", type=_day, required=True, help=values.DATE_HELP
    )
    sadd.add_argument("--start", metavar="HH:MM", type=_hhmm, required=True)
    sadd.add_argument("--end", metavar="HH:MM", type=_hhmm, required=True)
    sadd.add_argument("--venue", metavar="TÊN_ĐỊA_ĐIỂM")
    sadd.add_argument(
        "--trainer", metavar="MÃ_NGƯỜI", type=values.record_id, action="append", default=[]
    )
    sadd.add_argument("--title", metavar="TÊN")
    sadd.add_argument("--override", metavar="LÝ_DO", help="vẫn lưu khi trùng lịch, ghi lại lý do")

    enrol = sub.add_parser("enrol", help="ghi danh vào khóa học")
    enrol.add_argument("--course", metavar="MÃ_KHÓA", required=True)
    who = enrol.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--team",
        metavar="MÃ_TỔ",
        type=values.record_id,
        help="mọi thành viên đang hoạt động của tổ",
    )
    who.add_argument(
        "--person",
        metavar="MÃ_NGƯỜI",
        type=values.record_id,
        nargs="+",
        help="một hay nhiều người",
    )


def _wording_options(p: argparse.ArgumentParser) -> None:
    """What the course's certificates print besides the person: the legal basis, grades."""
    p.add_argument(
        "--legal-basis",
        metavar="CĂN_CỨ",
        help="dòng căn cứ in trên giấy chứng nhận, ví dụ “Căn cứ Quyết định số 123/QĐ-SKHCN "
        'ngày 20/02/2026 của …” ("" để bỏ)',
    )
    score = values.number_between(0, 100, "điểm")
    p.add_argument("--grade-excellent", metavar="X", type=score, help="xếp loại Giỏi từ điểm này")
    p.add_argument("--grade-good", metavar="X", type=score, help="xếp loại Khá từ điểm này")


def _edit(s, args: argparse.Namespace) -> courses.CourseRow:  # type: ignore[no-untyped-def]
    """course edit: only what was given changes; the rest of the course stays as it is."""
    course = courses.by_code(s, args.code)
    form, version, _status = courses.form_of(s, course.id)
    changes: dict[str, object] = {}
    if args.legal_basis is not None:
        changes["legal_basis"] = args.legal_basis.strip() or None
    if args.no_grades:
        changes["grade_excellent"] = changes["grade_good"] = None
    if args.grade_excellent is not None:
        changes["grade_excellent"] = args.grade_excellent
    if args.grade_good is not None:
        changes["grade_good"] = args.grade_good
    return courses.update(s, course.id, replace(form, **changes), version)  # type: ignore[arg-type]


def ics_parser(exp_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ics = exp_sub.add_parser("ics", help="lịch buổi học (.ics) của một khóa hoặc một giảng viên")
    which = ics.add_mutually_exclusive_group(required=True)
    which.add_argument("--course", metavar="MÃ_KHÓA")
    which.add_argument("--trainer", metavar="MÃ_NGƯỜI", type=values.record_id)
    ics.add_argument("file", metavar="TỆP", type=Path)


def cmd_course(args: argparse.Namespace) -> int:
    reads = args.course_command in ("list", "show")
    db = open_database(args, write=not reads)
    if args.course_command == "add":
        with db.transaction() as s:
            organiser, co = courses.defaults(s)
            form = courses.CourseForm(
                code=args.code,
                title=args.title,
                start_date=args.start,
                end_date=args.end,
                organiser=organiser,
                co_organiser=co,
                capacity=args.capacity,
                min_attendance_pct=args.min_attendance,
                pass_score=args.pass_score,
                validity_months=args.validity_months,
                legal_basis=args.legal_basis,
                grade_excellent=args.grade_excellent,
                grade_good=args.grade_good,
            )
            row = courses.create(s, form)
        print(f"Đã thêm khóa học {row.code} (mã {row.id}), trạng thái: Nháp.")
    elif args.course_command == "edit":
        with db.transaction() as s:
            row = _edit(s, args)
        print(f"Đã sửa khóa học {row.code}.")
    elif args.course_command == "list":
        with db.transaction(readonly=True) as s:
            found = courses.catalogue(s, courses.CourseFilter(year=args.year))
        for r in found:
            cap = f"/{r.capacity}" if r.capacity else ""
            print(
                f"{r.code:<14} {r.start_date:%d/%m/%Y}–{r.end_date:%d/%m/%Y}  {labels.COURSE_STATUS[r.status]:<18} "
                f"{r.enrolled:>4}{cap:<5} {r.sessions:>3} buổi  {r.title}"
            )
        print(f"({len(found)} khóa học)")
    elif args.course_command == "show":
        with db.transaction(readonly=True) as s:
            course = courses.by_code(s, args.code)
            r = courses.row(s, course.id)
            sessions = scheduling.course_sessions(s, course.id)
        print(f"{r.code} – {r.title}")
        print(
            f"Thời gian: {r.start_date:%d/%m/%Y}–{r.end_date:%d/%m/%Y}; trạng thái: {labels.COURSE_STATUS[r.status]}"
            + (" (tạm: chưa đủ số ghi danh tối thiểu)" if r.tentative else "")
        )
        print(
            f"Ghi danh: {r.enrolled}"
            + (f"/{r.capacity}" if r.capacity else "")
            + f"; chờ: {r.waitlisted}; "
            f"hoàn thành: {r.completed}; chứng nhận: {r.certificates}"
        )
        for x in sessions:
            print(
                f"  {x.starts_at:%d/%m/%Y %H:%M}–{x.ends_at:%H:%M}  {x.venue or ('trực tuyến' if x.mode == 'online' else '')}"
                + (f"  GV: {x.trainers}" if x.trainers else "")
            )
    else:
        with db.transaction() as s:
            course = courses.by_code(s, args.code)
            result = enrolment.finish(s, course.id, confirm=args.yes)
        print(result.describe())
    db.close(optimize=not reads)
    return EXIT_OK


def cmd_session(args: argparse.Namespace) -> int:
    db = open_database(args)
    with db.transaction() as s:
        course = courses.by_code(s, args.course)
        venue_id = scheduling.venue_by_name(s, args.venue) if args.venue else None
        form = scheduling.SessionForm(
            day=args.date,
            start=args.start,
            end=args.end,
            venue_id=venue_id,
            trainer_ids=tuple(args.trainer),
            title=args.title,
        )
        row = scheduling.add_session(s, course.id, form, override_reason=args.override)
    print(
        f"Đã thêm buổi {row.starts_at:%d/%m/%Y %H:%M}–{row.ends_at:%H:%M} vào {row.course_code} (mã buổi {row.id})."
    )
    db.close()
    return EXIT_OK


def cmd_enrol(args: argparse.Namespace) -> int:
    db = open_database(args)
    with db.transaction() as s:
        course = courses.by_code(s, args.course)
        if args.team is not None:
            result = enrolment.enrol_team(s, course.id, args.team)
        else:
            result = enrolment.enrol(s, course.id, args.person)
    print(result.describe())
    db.close()
    return EXIT_OK


def cmd_export_ics(args: argparse.Namespace) -> int:
    path = files.output_file(args.file)  # .ics: the export's rule
    db = open_database(args, write=False)
    with db.transaction(readonly=True) as s:
        n = exports.export_ics(s, path, course_code=args.course, trainer_id=args.trainer)
    print(f"Đã xuất {n} buổi học vào {path}")
    db.close(optimize=False)
    return EXIT_OK


COMMANDS = {"course": cmd_course, "session": cmd_session, "enrol": cmd_enrol}
