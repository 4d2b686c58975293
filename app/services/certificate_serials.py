"""Certificate serials: the next number from its counter, unique forever, and each
person's file name.

A pattern with {year} counts from 1 every year (the year keeps the serials apart); a
pattern without it never restarts: its numbers come from one counter kept for all years
(FOREVER), which starts after the highest number the pattern already gave, so a
department that used such a pattern before goes on where it was.
"""

from __future__ import annotations

import re
import string
import unicodedata

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.vn import names
from models import Certificate, RegisterCounter, SerialCounter

FOREVER = 0  # the counter row of patterns without {year}


def has_year(pattern: str) -> bool:
    return any(name == "year" for _, name, _, _ in string.Formatter().parse(pattern))


def counter_key(pattern: str, year: int) -> int:
    """The counter a pattern takes its numbers from: the year's, or the one for ever."""
    return year if has_year(pattern) else FOREVER


def _matcher(pattern: str) -> re.Pattern[str]:
    """The serials a pattern without {year} gives, with the number as group 1."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "seq":
            parts.append(r"(\d+)")
    return re.compile("".join(parts))


def _highest_used(s: Session, pattern: str) -> int:
    """The highest number among the serials this pattern has given (read once, when its
    counter is made)."""
    matcher, highest = _matcher(pattern), 0
    for serial in s.scalars(select(Certificate.serial)):
        found = matcher.fullmatch(serial)
        if found:
            highest = max(highest, int(found.group(1)))
    return highest


def _start(s: Session, pattern: str, key: int) -> int:
    return _highest_used(s, pattern) if key == FOREVER else 0


def take(s: Session, pattern: str, year: int, count: int = 1) -> int:
    """Take the next `count` numbers from the pattern's counter row, locked until commit,
    and return the first (the others follow it): a second program issuing at the same
    time waits for this one, then counts on from it. The row is created if missing
    without racing (INSERT … ON CONFLICT DO NOTHING), so two programs starting a new year
    cannot both create it."""
    upsert = _upsert(s)
    key = counter_key(pattern, year)
    if s.get(SerialCounter, key) is None:
        s.execute(
            upsert(SerialCounter)
            .values(year=key, last=_start(s, pattern, key))
            .on_conflict_do_nothing(index_elements=[SerialCounter.year])
        )
    number = s.execute(
        update(SerialCounter)
        .where(SerialCounter.year == key)
        .values(last=SerialCounter.last + count)
        .returning(SerialCounter.last)
    ).scalar_one()
    return int(number) - count + 1


def peek(s: Session, pattern: str, year: int) -> int:
    """The number the next certificate would get, taking nothing."""
    key = counter_key(pattern, year)
    last = s.scalar(select(SerialCounter.last).where(SerialCounter.year == key))
    return (last if last is not None else _start(s, pattern, key)) + 1


def take_register(s: Session, count: int = 1) -> int:
    """The next "số vào sổ" (the first of the next `count`), from the register's own
    counter (one row, locked until commit like a serial's): unique, never reused, never
    restarted."""
    upsert = _upsert(s)
    if s.get(RegisterCounter, 1) is None:  # 0011 made it; made again if someone removed it
        highest = s.scalar(select(func.max(Certificate.register_no))) or 0
        s.execute(
            upsert(RegisterCounter)
            .values(id=1, last=highest)
            .on_conflict_do_nothing(index_elements=[RegisterCounter.id])
        )
    number = s.execute(
        update(RegisterCounter)
        .where(RegisterCounter.id == 1)
        .values(last=RegisterCounter.last + count)
        .returning(RegisterCounter.last)
    ).scalar_one()
    return int(number) - count + 1


def peek_register(s: Session) -> int:
    """The number in the register the next certificate would get, taking nothing."""
    last = s.scalar(select(RegisterCounter.last).where(RegisterCounter.id == 1))
    if last is None:
        last = s.scalar(select(func.max(Certificate.register_no))) or 0
    return int(last) + 1


def _upsert(s: Session):  # type: ignore[no-untyped-def]
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _ascii(text: str) -> str:
    """Letters without their marks, case kept ("Đ" -> "D")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def file_name(serial: str, full_name: str) -> str:
    """ "0001-2026-GCN-SKHCN_Nguyen-Thi-Thanh-Ha.pdf": the whole serial, so two people of
    one name never share a file and no run overwrites another's; safe on Windows."""
    number = "-".join(re.findall(r"[A-Za-z0-9]+", _ascii(serial))) or "GCN"
    words = re.sub(r"[^a-z0-9 ]", "", names.fold(full_name)).split()
    person = "-".join(w.capitalize() for w in words) or "hoc-vien"
    return f"{number}_{person}.pdf"
