"""Business settings kept with the data: issuing body, signer, serial pattern, images,
and whether trainers may issue the certificates of the courses they teach."""

from __future__ import annotations

import base64
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands
from app.errors import InvalidValue
from app.services import access, audit, setting_images, sign_settings, targets, verify_links
from app.vn import names
from models import Setting

IMAGE_KEYS = ("logo", "signature", "seal", "background")
MAX_IMAGE_BYTES = setting_images.MAX_BYTES


@dataclass(frozen=True)
class Key:
    label: str
    default: str = ""
    required_to_issue: bool = False


KEYS: dict[str, Key] = {
    "issuer_parent": Key("Cơ quan chủ quản (dòng trên)", "UBND TỈNH"),
    "issuer": Key("Cơ quan cấp chứng nhận", "", required_to_issue=True),
    "place": Key("Địa danh ghi ngày tháng", ""),
    "signer_title": Key("Chức danh người ký", "GIÁM ĐỐC", required_to_issue=True),
    "signer_name": Key("Họ tên người ký", "", required_to_issue=True),
    "serial_pattern": Key(
        "Mẫu số hiệu ({seq}: số thứ tự, đếm lại từ 1 mỗi năm khi có {year}: năm)",
        "{seq:04d}/{year}/GCN",
    ),
    "verify_url": Key("Địa chỉ tra cứu chứng nhận (không bắt buộc)", ""),
    "template": Key("Mẫu giấy chứng nhận (classic, modern)", "classic"),
    "logo": Key("Logo (ảnh PNG/JPEG)"),
    "signature": Key("Chữ ký (ảnh PNG nền trong)"),
    "seal": Key("Con dấu (ảnh PNG nền trong)"),
    "background": Key("Hình nền hoặc khung viền (ảnh)"),
    "trainers_issue": Key("Giảng viên được cấp giấy chứng nhận cho khóa mình dạy", "off"),
    # The periodic report (Decree 30/2020): its number and symbol, and whom it goes to.
    "report_number": Key(
        "Số, ký hiệu báo cáo định kỳ (bỏ trống số để điền tay: …/BC-SKHCN)", "…/BC-SKHCN"
    ),
    "report_recipients": Key(
        "Nơi nhận báo cáo định kỳ (mỗi nơi một dòng)", "- UBND tỉnh (để báo cáo);\n- Lưu: VT."
    ),
    # This year's targets, shown against the year's figures on Tổng quan (app.services.targets).
    "target_people_trained": Key("Chỉ tiêu năm nay: số người được tập huấn"),
    "target_share_province": Key(
        "Chỉ tiêu năm nay: tỷ lệ thành viên Tổ cấp tỉnh được tập huấn (%)"
    ),
    "target_share_commune": Key("Chỉ tiêu năm nay: tỷ lệ thành viên Tổ cấp xã được tập huấn (%)"),
    "target_share_hamlet": Key(
        "Chỉ tiêu năm nay: tỷ lệ thành viên Tổ cấp ấp, khu phố được tập huấn (%)"
    ),
    "target_certificates": Key("Chỉ tiêu năm nay: số giấy chứng nhận cấp"),
    # Ký số (app.services.sign_settings): where the key is; its password or PIN never stored.
    "sign_p12": Key("Ký số: tệp chứng thư số .p12/.pfx"),
    "sign_pkcs11": Key("Ký số: thư viện PKCS#11 của thiết bị ký số (USB token, .dll/.so)"),
    "sign_pkcs11_token": Key("Ký số: nhãn thiết bị ký số (bỏ trống: thiết bị đầu tiên)"),
    "sign_tsa_url": Key("Ký số: địa chỉ máy chủ cấp dấu thời gian (không bắt buộc)"),
    "sign_box_classic": Key("Ký số: chỗ chữ ký số trên mẫu cổ điển, “x y rộng cao” mm"),
    "sign_box_modern": Key("Ký số: chỗ chữ ký số trên mẫu hiện đại, “x y rộng cao” mm"),
    "sign_trust_roots": Key("Ký số: chứng thư số của tổ chức cấp tin cậy (.pem/.cer/.crt/.p7b)"),
}
# Yes-or-no settings: stored "on" or "off"; typed in any of these words.
FLAG_KEYS = ("trainers_issue",)
FLAG_WORDS = {
    "on": ("on", "yes", "true", "1", "co", "có", "bat", "bật"),
    "off": ("off", "no", "false", "0", "khong", "không", "tat", "tắt"),
}
FLAG_SHOWN = {"on": "có", "off": "không"}
# Values compared as stored when the page saves (typed "1.500", stored "1500").
CHECKED_KEYS = (*FLAG_KEYS, *targets.KEYS)
# Names the first sessions wrote; read as fallbacks so older databases keep their values.
OLD_NAMES = {
    "issuer": "issuing_body",
    "issuer_parent": "issuing_body_parent",
    "serial_pattern": "certificate_serial_pattern",
}


def get(s: Session, key: str) -> str:
    """A text setting (images: their base64), the default when unset."""
    if key not in KEYS:
        raise InvalidValue(f"Không có thiết lập “{key}”. Các thiết lập: {', '.join(KEYS)}.")
    stored = _stored(s)
    value = stored.get(key) or stored.get(OLD_NAMES.get(key, ""))
    return str(value) if value not in (None, "") else KEYS[key].default


def _stored(s: Session) -> dict[str, Any]:
    """All settings rows, read once per session (issuing 1,000 certificates asks ~10,000
    times); set_value drops the copy."""
    if "settings" not in s.info:
        s.info["settings"] = {row.key: row.value for row in s.scalars(select(Setting))}
    return s.info["settings"]  # type: ignore[no-any-return]


def image(s: Session, key: str) -> bytes | None:
    images = s.info.setdefault("setting_images", {})
    if key not in images:
        text = get(s, key)
        images[key] = base64.b64decode(text) if text else None
    return images[key]  # type: ignore[no-any-return]


def flag(s: Session, key: str) -> bool:
    """A yes-or-no setting."""
    return get(s, key) == "on"


def all_settings(s: Session) -> dict[str, str]:
    return {k: get(s, k) for k in KEYS}


_SEQ_SPEC = re.compile(r"^(0[1-9])?d$")  # {seq}, {seq:d}, {seq:04d} … {seq:09d}


def check_pattern(pattern: str) -> str:
    """A serial pattern is text with {seq} (optionally zero-padded, {seq:04d}) and {year}:
    no other field, conversion, attribute, index or format, so no pattern can reach into
    Python objects or print a 99,999-character serial."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise InvalidValue(
            f"Mẫu số hiệu “{pattern}” không dùng được: dấu ngoặc {{ }} không khớp (muốn in "
            "dấu ngoặc thì viết {{ hoặc }})."
        ) from exc
    fields = [(name, spec, conv) for _, name, spec, conv in parts if name is not None]
    if not any(
        name == "seq" or name.startswith(("seq:", "seq!", "seq.", "seq[")) for name, _, _ in fields
    ):
        raise InvalidValue("Mẫu số hiệu phải có {seq}, ví dụ “{seq:04d}/{year}/GCN-SKHCN”.")
    for name, spec, conv in fields:
        shown = "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
        allowed = (name == "seq" and (not spec or _SEQ_SPEC.match(spec))) or (
            name == "year" and not spec
        )
        if conv or not allowed:
            raise InvalidValue(
                f"Mẫu số hiệu chỉ dùng {{seq}} (số thứ tự, có thể thêm số 0 phía trước "
                f"như {{seq:04d}}) và {{year}}; không dùng được “{shown}”."
            )
    sample = pattern.format(seq=123, year=2026)
    if len(sample) > 40:
        raise InvalidValue("Số hiệu dài quá 40 ký tự.")
    return pattern


def check_image(data: bytes, label: str, key: str | None = None) -> bytes:
    """The bytes to keep for an image setting (setting_images.check)."""
    return setting_images.check(data, label, key)


def normalise(key: str, value: str) -> str:
    """Check one value; returns what is stored (images: base64 of the file's bytes)."""
    if key not in KEYS:
        raise InvalidValue(f"Không có thiết lập “{key}”. Các thiết lập: {', '.join(KEYS)}.")
    text = names.nfc(value.replace("\\n", "\n")).strip()
    if key in FLAG_KEYS:
        word = text.lower()
        for stored, words in FLAG_WORDS.items():
            if word in words:
                return stored
        raise InvalidValue(
            f"{KEYS[key].label}: ghi “có” hoặc “không” (on/off), không phải “{text}”."
        )
    if key in targets.KEYS:
        return targets.check(key, KEYS[key].label, text)
    if key in sign_settings.KEYS:
        return sign_settings.check(key, KEYS[key].label, text)
    if key in IMAGE_KEYS:
        if not text:
            return ""
        data = setting_images.read(Path(text).expanduser(), KEYS[key].label, key)
        return base64.b64encode(data).decode("ascii")
    if key == "serial_pattern":
        return check_pattern(text)
    if key == "verify_url" and text and not re.match(r"^https?://[^\s]+$", text):
        raise InvalidValue(
            "Địa chỉ tra cứu phải bắt đầu bằng http:// hoặc https:// và không có khoảng trắng."
        )
    if key == "verify_url" and text and verify_links.has_code_parameter(text):
        raise InvalidValue(
            f"Địa chỉ tra cứu đã có tham số “{verify_links.CODE_PARAMETER}=”: chương trình tự "
            "thêm mã xác minh vào tham số đó; hãy bỏ nó khỏi địa chỉ."
        )
    if key == "template" and text not in ("classic", "modern"):
        raise InvalidValue("Mẫu giấy chứng nhận là “classic” (viền kép) hoặc “modern” (đơn giản).")
    if key in ("issuer", "signer_name", "signer_title") and not text:
        raise InvalidValue(f"{KEYS[key].label} không được để trống.")
    if key == "report_number" and len(text) > 40:
        raise InvalidValue(f"{KEYS[key].label} dài quá 40 ký tự.")
    limit = 1000 if key == "report_recipients" else 200  # a list of recipients, one a line
    if len(text) > limit:
        raise InvalidValue(f"{KEYS[key].label} dài quá {limit} ký tự.")
    return text


def set_value(s: Session, key: str, value: str) -> str:
    access.require(s, "settings")
    stored = normalise(key, value)
    s.info.pop("settings", None)
    s.info.pop("setting_images", None)
    row = s.get(Setting, key)
    before = row.value if row else None
    if row is None:
        s.add(Setting(key=key, value=stored))
    else:
        row.value = stored
    s.flush()

    def shown(v: str | None) -> str | None:  # what the trail keeps: not a whole image or PEM
        if v and key in IMAGE_KEYS:
            return f"<ảnh {len(v) * 3 // 4} byte>"
        if v and key == "sign_trust_roots":
            return sign_settings.trust_roots_shown(v)
        return v

    audit.record(
        s,
        "settings.set",
        entity="settings",
        before={key: shown(before)},
        after={key: shown(stored)},
    )
    return stored


def set_many(s: Session, values: dict[str, str]) -> list[str]:
    """Set the values that changed (the settings page's Lưu), all or none; the keys set."""
    access.require(s, "settings")
    changed = [
        k for k, v in values.items()
        if k in IMAGE_KEYS or get(s, k) != (normalise(k, v) if k in CHECKED_KEYS else names.nfc(v).strip())
    ]  # fmt: skip
    for key in changed:
        set_value(s, key, values[key])
    return changed


def missing_to_issue(s: Session) -> list[str]:
    """Settings a certificate cannot be issued without, with how to set them."""
    return [f"{KEYS[k].label} ({commands.command(s, f'settings set {k} …')})" for k, spec in KEYS.items()
            if spec.required_to_issue and not get(s, k)]  # fmt: skip


def display(s: Session) -> list[tuple[str, str, str]]:
    """(key, label, value shown) for `settings show` and the settings page."""
    out = []
    for key, spec in KEYS.items():
        value: Any = get(s, key)
        if key in IMAGE_KEYS:
            value = f"ảnh {len(base64.b64decode(value)) // 1024} KB" if value else "(chưa đặt)"
        elif key in FLAG_KEYS:
            value = FLAG_SHOWN.get(value, value)
        elif key == "sign_trust_roots" and value:
            value = sign_settings.trust_roots_shown(value)
        out.append((key, spec.label, str(value) if value else "(chưa đặt)"))
    return out
