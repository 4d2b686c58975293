"""Personal check-in codes: what the QR on a sign-in sheet or badge carries."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Person

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(scanned: str) -> str:
    """What a scanner typed, as stored: upper case, no spaces (keyboard layouts vary)."""
    return "".join(scanned.split()).upper()


def free_code(s: Session) -> str:
    while True:
        code = new_code()
        if s.scalar(select(Person.id).where(Person.checkin_code == code)) is None:
            return code


def ensure_codes(s: Session, person_ids: list[int]) -> None:
    """Give a code to each of these people who has none (people added before codes)."""
    for p in s.scalars(
        select(Person).where(Person.id.in_(person_ids), Person.checkin_code.is_(None))
    ):
        p.checkin_code = free_code(s)
