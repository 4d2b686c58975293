"""What a publish says, in Vietnamese, on the command line and in the window alike."""

from __future__ import annotations

from app import labels
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
        from urllib.parse import urlsplit

        folder = urlsplit(verify_url)._replace(query="", fragment="").geturl()
        return (
            f"Chép cả thư mục lên cổng thông tin, đúng địa chỉ {folder} (theo verify_url): "
            "mã QR trên giấy mở trang đó."
        )
    return (
        "Chưa đặt verify_url: mã QR trên giấy chưa mở trang này. Chép thư mục lên cổng "
        "thông tin rồi đặt địa chỉ của nó: taphuan settings set verify_url https://…/tra-cuu/"
    )


def report(result: Published, verify_url: str) -> str:
    """The whole message: what was written, what changed, where it belongs."""
    return "\n".join([summary(result), *changes_lines(result.changes), address_line(verify_url)])
