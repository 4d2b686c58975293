"""`taphuan certificates publish --out DIR`: the static verification site, and what changed
since the folder was published before."""

from __future__ import annotations

import argparse
import sys

from app import labels
from app.cli.common import EXIT_OK, open_database
from app.verify_site.publish import Changes, Published

SHOWN = 20  # status changes listed one by one; the rest counted


def changes_lines(changes: Changes) -> list[str]:
    """What changed since the folder was published before, in Vietnamese."""
    if changes.previous_at is None:
        return ["Lần xuất đầu tiên vào thư mục này."]
    n = labels.number
    lines = [
        f"So với lần xuất trước ({changes.previous_at}): {n(changes.new)} giấy mới, "
        f"{n(len(changes.changed))} đổi trạng thái, {n(changes.gone)} không còn công bố, "
        f"{n(changes.unchanged)} không đổi."
    ]
    for change in changes.changed[:SHOWN]:
        lines.append(f"  {change.serial}: {change.before} → {change.after}")
    if len(changes.changed) > SHOWN:
        lines.append(f"  … và {n(len(changes.changed) - SHOWN)} giấy khác đổi trạng thái.")
    return lines


def summary(result: Published) -> str:
    size = result.size / 1_000_000
    return (
        f"Đã xuất trang tra cứu vào {result.out}: {labels.number(result.certificates)} giấy "
        f"chứng nhận, {labels.number(result.files)} tệp, {labels.decimal(size, 1)} MB; dữ "
        f"liệu lúc {result.published_at} (giờ Việt Nam)."
    )


def address_line(verify_url: str) -> str:
    if verify_url:
        return (
            f"Chép cả thư mục lên cổng thông tin, đúng địa chỉ {verify_url} (verify_url): mã "
            "QR trên giấy mở trang đó."
        )
    return (
        "Chưa đặt verify_url: mã QR trên giấy chưa mở trang này. Chép thư mục lên cổng "
        "thông tin rồi đặt địa chỉ của nó: taphuan settings set verify_url https://…/tra-cuu/"
    )


def cmd_publish(args: argparse.Namespace) -> int:
    from app.services import settings, verify_publish
    from app.verify_site import publish

    out = args.out.expanduser().absolute()
    publish.check_folder(out)  # before the database: a refusal reads and writes nothing
    db = open_database(args, write=False)
    try:
        with db.transaction(readonly=True) as s:  # one moment's data, holding no write lock
            records = verify_publish.public_records(s)
            verify_url = settings.get(s, "verify_url")
    finally:
        db.close(optimize=False)
    result = publish.publish(out, records, verify_publish.vietnam_now())
    print(summary(result))
    for line in changes_lines(result.changes):
        print(line)
    print(address_line(verify_url), file=sys.stderr if not verify_url else sys.stdout)
    return EXIT_OK
