"""Commands on the people: list (in Vietnamese name order), erase on request."""

from __future__ import annotations

import argparse
import sys

from app import labels
from app.cli import values
from app.cli.common import EXIT_OK, open_database
from app.services import people
from app.services.people import PeopleFilter
from app.vn.ids import mask_citizen_id


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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
        "--limit",
        metavar="N",
        type=values.positive_int,
        default=50,
        help="số dòng tối đa (mặc định 50)",
    )

    erase = people_sub.add_parser(
        "erase",
        help="xóa dữ liệu cá nhân của một người theo yêu cầu (quản trị; giữ số liệu ẩn danh)",
    )
    erase.add_argument("person_id", metavar="MÃ_NGƯỜI", type=values.record_id)
    erase.add_argument("--reason", metavar="LÝ_DO", required=True, help="ghi vào nhật ký")


def cmd_people(args: argparse.Namespace) -> int:
    db = open_database(args, write=args.people_command == "erase")
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


COMMANDS = {"people": cmd_people}
