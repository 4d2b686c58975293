"""What the verification site shows of one certificate: only what its paper shows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

FORMAT = 1  # of the JSON files; the page reads this version

# The statuses the page knows; "expiring" is valid on the site (the date is shown).
STATUSES = ("valid", "expired", "revoked", "replaced")
STATUS_WORDS = {
    "valid": "Hợp lệ",
    "expired": "Hết hạn",
    "revoked": "Đã thu hồi",
    "replaced": "Đã được thay thế",
}


@dataclass(frozen=True)
class PublicRecord:
    """One issued certificate as the site shows it: never a citizen ID, a phone, a full
    birth date, a unit or an address."""

    code: str  # the verification code printed on the paper: names the file, is not in it
    serial: str
    full_name: str
    birth_year: str | None
    course_title: str
    period: str  # "từ ngày 04/03/2024 đến ngày 06/03/2024", as printed
    issued_on: date
    issuer: str
    status: str  # one of STATUSES, on the day of publishing
    expires_on: date | None = None
    revoked_on: date | None = None
    revoked_reason: str | None = None
    replaced_by: str | None = None  # the serial of the certificate that replaced it


def code_key(code: str) -> str:
    """The file name (without .json) of a code: the hex SHA-256 of the code as printed
    (upper case, no spaces), so that the folder cannot be listed into codes."""
    return hashlib.sha256("".join(code.split()).upper().encode("ascii")).hexdigest()


def as_json(record: PublicRecord) -> dict[str, Any]:
    """The content of the record's file: empty fields left out, dates as yyyy-mm-dd."""
    found: dict[str, Any] = {
        "v": FORMAT,
        "serial": record.serial,
        "name": record.full_name,
        "birth_year": record.birth_year,
        "course": record.course_title,
        "period": record.period,
        "issued_on": record.issued_on.isoformat(),
        "issuer": record.issuer,
        "status": record.status,
        "expires_on": record.expires_on.isoformat() if record.expires_on else None,
        "revoked_on": record.revoked_on.isoformat() if record.revoked_on else None,
        "reason": record.revoked_reason,
        "replaced_by": record.replaced_by,
    }
    return {k: v for k, v in found.items() if v not in (None, "")}


# What makes a record's status: a change in any of these is "đổi trạng thái".
STATUS_FIELDS = ("status", "expires_on", "revoked_on", "reason", "replaced_by")


def status_of(content: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(content.get(k) for k in STATUS_FIELDS)
