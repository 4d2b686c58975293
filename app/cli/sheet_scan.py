"""`taphuan attendance scan FILE… [--apply]`: signed sign-in sheets read back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import scan
from app.cli.common import EXIT_OK, open_database
from app.errors import InvalidValue
from app.scan import ink
from app.services import sheet_scan


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the system, a NUL in it
        return False


def cmd_scan(args: argparse.Namespace) -> int:
    for path in args.files:
        if not _is_file(path):
            raise InvalidValue(f"Không có tệp “{path}”. Chưa đọc, chưa ghi gì.")
    db = open_database(args)

    def read(fn):  # type: ignore[no-untyped-def]
        with db.transaction(readonly=True) as s:
            return fn(s)

    readings = []
    for reading in scan.read_files(args.files, sheet_scan.Geometries(read)):
        readings.append(reading)
        # A long batch says where it is (stderr: the output stays the result).
        print(f"Đã đọc {len(readings)} trang ({reading.source.name}, trang {reading.index})",
              file=sys.stderr, flush=True)  # fmt: skip
    with db.transaction(readonly=True) as s:
        found = sheet_scan.plan(s, readings)
    read = [p for p in found.pages if p.problem is None]
    for page in found.pages:
        said = page.title if page.problem is None else f"bỏ qua: {page.problem}"
        print(f"{page.source}: {said}")
    if not read:
        raise InvalidValue("Không đọc được trang bảng ký tên nào. Chưa ghi gì.")
    props = found.proposals
    signed = sum(p.state == ink.SIGNED for p in props)
    empty = sum(p.state == ink.EMPTY for p in props)
    unsure = [p for p in props if p.proposed is None]
    conflicts = [p for p in props if p.conflict]
    print(
        f"Đọc được {len(read)} trang: {signed} ô có chữ ký, {empty} ô trống, "
        f"{len(unsure)} ô chưa chắc hoặc cần xem lại; {len(conflicts)} ô khác điểm danh đã ghi."
    )
    for p in props:  # every person read, so a dry run shows what --apply would write
        if p.proposed is not None and not p.conflict:
            said = "có mặt" if p.proposed == sheet_scan.PRESENT else "vắng"
            print(f"  {said}: {p.full_name} ({p.source})")
    for p in unsure:
        print(f"  chưa chắc: {p.full_name} ({p.source})")
    for p in conflicts:
        print(f"  khác điểm danh đã ghi: {p.full_name} ({p.source})")
    if found.walk_ins:
        print(f"{len(found.walk_ins)} dòng trống có tên viết tay: xem trong cửa sổ Điểm danh.")
    if not args.apply:
        print("Chưa ghi gì. Thêm --apply để ghi các ô đọc chắc chắn.")
        return EXIT_OK
    with db.transaction() as s:
        done = sheet_scan.apply(s, props)
    print(
        f"Đã ghi {done.written} điểm danh. Không ghi {done.left} ô (chưa chắc, khác điểm danh đã "
        "ghi, hoặc người đã rời khóa học): xem lại trong cửa sổ Điểm danh."
    )
    db.close()
    return EXIT_OK
