"""Vietnamese labels for stored values, and numbers written the Vietnamese way.

Keyed by the stored string values, so the GUI can use them without the ORM's enums.
"""

from __future__ import annotations

import math

GENDER = {"male": "Nam", "female": "Nữ"}

TEAM_ROLE = {"leader": "Tổ trưởng", "deputy": "Tổ phó", "member": "Thành viên"}

MEMBER_KIND = {
    "commune_leader": "Lãnh đạo UBND",
    "civil_servant": "Công chức",
    "mass_organisation": "Đoàn thể",
    "hamlet_head": "Trưởng ấp/khu phố",
    "telecom_staff": "Nhân viên viễn thông",
    "youth_union": "Đoàn viên thanh niên",
    "other": "Khác",
}

UNIT_LEVEL = {
    "province": "Tỉnh/thành phố",
    "district": "Huyện/quận (trước 2025)",
    "commune": "Xã/phường",
    "hamlet": "Ấp/khu phố",
}

TEAM_LEVEL = {
    "province": "Cấp tỉnh",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
    "hamlet": "Cấp ấp/khu phố",
}

COURSE_STATUS = {
    "draft": "Nháp",
    "planned": "Đã lên kế hoạch",
    "open": "Đang nhận ghi danh",
    "running": "Đang học",
    "finished": "Đã kết thúc",
    "cancelled": "Đã hủy",
}

ENROLMENT_STATUS = {
    "registered": "Đã ghi danh",
    "waitlisted": "Danh sách chờ",
    "withdrawn": "Đã rút",
    "completed": "Hoàn thành",
    "not_completed": "Chưa hoàn thành",
}

ATTENDANCE_STATUS = {
    "present": "Có mặt",
    "late": "Đi muộn",
    "excused": "Vắng có phép",
    "absent": "Vắng",
}

CERTIFICATE_STATUS = {"valid": "Còn hiệu lực", "revoked": "Đã thu hồi"}


def number(value: int) -> str:
    """4017 -> "4.017": Vietnamese groups thousands with dots."""
    return f"{value:,}".replace(",", ".")


def score(value: float | None) -> str:
    """8.5 -> "8,5": a decimal comma."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def score_decimal(value: float | None) -> str:
    """A score in a column of one decimal: 9 -> "9,0", 8.5 -> "8,5", and two decimals when
    it has them, 7.99 -> "7,99" (as the certificate prints it), never rounded up into the
    next grade band ("8,0" for 7,99 would be Giỏi): a third decimal is cut, not rounded."""
    if value is None:
        return ""
    cut = math.floor(round(value * 100, 6)) / 100
    places = 1 if round(cut * 10, 6).is_integer() else 2
    return decimal(cut, places)


def decimal(value: float | None, places: int = 1) -> str:
    """9 -> "9,0", 1449.26 -> "1.449,3": a fixed number of decimals, comma and dots."""
    if value is None:
        return ""
    text = f"{round(value, places) + 0.0:,.{places}f}"  # + 0.0: never "-0,0"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(value: float | None) -> str:
    """45.04 -> "45,0%", as printed documents write it; None -> "–" (no base to count on).
    The Báo cáo and Tổng quan pages write it as the report does."""
    return "–" if value is None else f"{decimal(value)}%"
