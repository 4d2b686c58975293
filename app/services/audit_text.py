"""An audit entry's change, as Nhật ký shows it: field names, stored values (statuses,
roles, kinds, yes/no) and dates in Vietnamese; "Họ tên: An → Ân; Trạng thái: Đã ghi danh →
Hoàn thành". Entries store plain values (English enum values, ISO dates): the words are
chosen here, when they are read."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from app import labels
from app.services.access import ROLE_NAMES
from app.vn.dates import format_date, format_datetime

FIELDS = {
    "full_name": "Họ tên", "birth_date": "Ngày sinh", "birth_year_only": "Chỉ năm sinh",
    "gender": "Giới tính", "citizen_id": "Số CCCD", "phone": "Điện thoại", "email": "Thư điện tử",
    "unit_id": "Mã đơn vị", "workplace": "Đơn vị công tác", "position": "Chức vụ",
    "is_trainer": "Giảng viên", "pre_score": "Điểm đầu vào",
    "post_score": "Điểm cuối khóa", "status": "Trạng thái", "role": "Vai trò",
    "active": "Đang hoạt động", "username": "Tên đăng nhập", "person_id": "Mã người",
    "course_id": "Mã khóa", "course": "Khóa học", "team_id": "Mã tổ", "title": "Tên khóa",
    "code": "Mã", "organiser": "Đơn vị tổ chức", "co_organiser": "Đơn vị phối hợp",
    "audience": "Đối tượng", "start_date": "Ngày bắt đầu", "end_date": "Ngày kết thúc",
    "capacity": "Sĩ số tối đa", "min_enrolment": "Sĩ số tối thiểu", "is_online": "Học trực tuyến",
    "min_attendance_pct": "Chuyên cần tối thiểu (%)", "score_scale": "Thang điểm",
    "pass_score": "Điểm đạt", "validity_months": "Hiệu lực giấy chứng nhận (tháng)",
    "default_venue_id": "Mã địa điểm mặc định", "at": "Lúc", "starts_at": "Bắt đầu",
    "ends_at": "Kết thúc", "venue_id": "Mã địa điểm", "session_id": "Mã buổi học",
    "enrolment_id": "Mã ghi danh", "source": "Cách ghi danh", "completed_on": "Ngày hoàn thành",
    "override": "Kết quả quyết định", "reason": "Lý do", "cancelled_reason": "Lý do hủy",
    "replaced_by": "Thay bằng số", "serial": "Số hiệu", "sha256": "Mã băm SHA-256",
    "kind": "Thành phần", "left_on": "Ngày rời tổ", "joined_on": "Ngày vào tổ", "name": "Tên",
    "parent_id": "Mã đơn vị cấp trên", "successors": "Mã đơn vị kế thừa",
    "dropped_id": "Mã hồ sơ bị gộp", "merge_id": "Mã lần gộp", "changes": "Số bản ghi chuyển",
    "issuer_parent": "Cơ quan chủ quản", "issuer": "Cơ quan cấp", "place": "Địa danh",
    "signer_title": "Chức danh người ký", "signer_name": "Họ tên người ký",
    "serial_pattern": "Mẫu số hiệu", "verify_url": "Địa chỉ tra cứu", "template": "Mẫu giấy",
    "logo": "Logo", "signature": "Chữ ký", "seal": "Con dấu", "background": "Hình nền",
    "sign_in": "Hỏi đăng nhập", "home_province_codes": "Tỉnh của Sở",
    "trainers_issue": "Giảng viên được cấp giấy chứng nhận", "failed_logins": "Số lần sai mật khẩu",
    "locked_until": "Chờ đến", "mode": "Hình thức", "method": "Cách điểm danh",
    "check_in_at": "Giờ điểm danh", "note": "Ghi chú",
    # a search by a full citizen ID (i13-fix-certs records these)
    "so_cccd": "Số CCCD", "khop": "Có trong sổ", "nguon": "Từ", "tinh": "Tính vào hạn mức",
    "gan": "Gần số của hồ sơ mã", "dau_vet": "Dấu vết của số",
}  # fmt: skip
ORDER = {key: n for n, key in enumerate(FIELDS)}
ENTITIES = {  # what an entry is about: its table's name as people say it
    "people": "Học viên", "teams": "Tổ", "courses": "Khóa học", "sessions": "Buổi học",
    "enrolments": "Ghi danh", "attendance": "Điểm danh", "certificates": "Giấy chứng nhận",
    "users": "Tài khoản", "settings": "Thiết lập", "team_memberships": "Thành viên tổ",
    "units": "Đơn vị", "audit_entries": "Nhật ký", "person_merges": "Gộp hồ sơ",
    "venues": "Địa điểm", "topics": "Chuyên đề", "session_trainers": "Giảng viên buổi học",
}  # fmt: skip

STATUS_OF = {  # a status means what its record's table says
    "enrolments": labels.ENROLMENT_STATUS,
    "courses": labels.COURSE_STATUS,
    "attendance": labels.ATTENDANCE_STATUS,
    "certificates": labels.CERTIFICATE_STATUS,
}
ROLE_OF = {"users": ROLE_NAMES, "team_memberships": labels.TEAM_ROLE}
VALUES = {  # the same words whatever the record
    "gender": labels.GENDER,
    "kind": labels.MEMBER_KIND,
    "override": labels.ENROLMENT_STATUS,
    "source": {"manual": "nhập tay", "team": "theo tổ", "filter": "theo danh sách lọc",
               "import": "nhập từ Excel", "walk-in": "tại lớp", "online": "học trực tuyến"},
    "mode": {"in_person": "trực tiếp", "online": "trực tuyến"},
    "method": {"manual": "nhập tay", "scan": "quét mã", "import": "nhập từ tệp"},
    "trainers_issue": {"on": "có", "off": "không"},
    "sign_in": {"required": "có", "skip": "không"},
    "template": {"classic": "cổ điển", "modern": "hiện đại"},
}  # fmt: skip
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")


def entity_name(entity: str | None) -> str:
    """ "Giấy chứng nhận" for "certificates"; an unknown table keeps its name."""
    return ENTITIES.get(entity or "", entity or "")


def target(entity: str | None, entity_id: int | None) -> str:
    """ "Giấy chứng nhận #78": what the entry is about, with its record's number."""
    name = entity_name(entity)
    return name if entity_id is None else f"{name} #{entity_id}"


def describe(entity: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
             note: str | None) -> str:  # fmt: skip
    """ "Họ tên: An → Ân; …", then the note."""
    parts = []
    # In the order of FIELDS, then the rest by name: entries store their keys sorted.
    keys = sorted({*(before or {}), *(after or {})}, key=lambda k: (ORDER.get(k, len(ORDER)), k))
    for key in keys:
        old, new = (before or {}).get(key), (after or {}).get(key)
        field = FIELDS.get(key, key)
        if before is None:
            parts.append(f"{field}: {value(entity, key, new)}")
        elif after is None:
            parts.append(f"{field}: {value(entity, key, old)} → (bỏ)")
        elif old != new:
            parts.append(f"{field}: {value(entity, key, old)} → {value(entity, key, new)}")
        else:
            parts.append(f"{field}: {value(entity, key, new)} (không đổi)")
    if note:
        parts.append(note)
    return "; ".join(parts)


def value(entity: str, key: str, stored: Any) -> str:
    """One stored value in words: a status, a role, a date dd/mm/yyyy, a number 8,5."""
    if stored is None or stored == "":
        return "(trống)"
    if isinstance(stored, bool):
        return "có" if stored else "không"
    if isinstance(stored, float):
        return f"{stored:g}".replace(".", ",")
    if isinstance(stored, str):
        words = (STATUS_OF.get(entity) if key == "status" else None) or (
            ROLE_OF.get(entity) if key == "role" else None
        ) or VALUES.get(key)  # fmt: skip
        if words and stored in words:
            return words[stored]
        return _short(_when(stored))
    if isinstance(stored, list):
        return _short(", ".join(value(entity, key, v) for v in stored))
    return _short(stored if isinstance(stored, int) else json.dumps(stored, ensure_ascii=False))


def _when(text: str) -> str:
    """An ISO date or time (as entries store them) the Vietnamese way; else the text."""
    try:
        if _ISO_DATE.fullmatch(text):
            return format_date(date.fromisoformat(text))
        if _ISO_TIME.fullmatch(text):
            return format_datetime(datetime.fromisoformat(text))
    except ValueError:
        pass
    return text


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"
