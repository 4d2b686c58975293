"""Argument values for the command line: numbers within what the database stores, dates
within the years TapHuan accepts, and no byte a file name or a database cannot hold.

A bad value is a usage error (exit 2) said in Vietnamese by argparse; its `__name__`
names the kind of value in the message.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time

from app import labels
from app.vn import dates

INT_MAX = 2_147_483_647  # PostgreSQL's integer, and every id TapHuan hands out


def int_between(low: int, high: int, name: str) -> Callable[[str], int]:
    """An integer from low to high; past them, a Vietnamese usage error."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{_short(text)}” không phải số nguyên") from None
        if not low <= value <= high:
            span = f"{labels.number(low)}–{labels.number(high)}" if high > 9999 else f"{low}–{high}"
            raise argparse.ArgumentTypeError(
                f"{_short(text)} không phải {name} trong khoảng {span}"
            )
        return value

    parse.__name__ = name
    return parse


positive_int = int_between(1, INT_MAX, "số nguyên dương")
record_id = int_between(1, INT_MAX, "mã")
year = int_between(dates.MIN_YEAR, dates.MAX_YEAR, "năm")


def number_between(low: float, high: float, name: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text.strip().replace(",", "."))
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{_short(text)}” không phải là số") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{_short(text)} không phải {name} trong khoảng {low:g}–{high:g}"
            )
        return value

    parse.__name__ = name
    return parse


DATE_FORMS = "dd/mm/yyyy hoặc YYYY-MM-DD"
DATE_HELP = f"ngày dạng {DATE_FORMS}"
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def day(text: str) -> date:
    """A date as people write it (dd/mm/yyyy) or as scripts do (YYYY-MM-DD), within the
    years TapHuan accepts; argparse names the option ("tham số --start: …")."""
    shown = text.strip()
    found = _DMY.fullmatch(shown)
    try:
        if found:
            value = date(int(found[3]), int(found[2]), int(found[1]))
        else:
            value = date.fromisoformat(shown)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"cần một ngày có thật, dạng {DATE_FORMS} (không phải “{_short(text)}”)"
        ) from None
    if not dates.MIN_YEAR <= value.year <= dates.MAX_YEAR:
        raise argparse.ArgumentTypeError(
            f"{value.day:02d}/{value.month:02d}/{value.year:04d} nằm ngoài khoảng năm "
            f"{dates.MIN_YEAR}–{dates.MAX_YEAR}"
        )
    return value


def hhmm(text: str) -> time:
    try:
        return datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise argparse.ArgumentTypeError("cần dạng HH:MM") from None


day.__name__ = "ngày"
hhmm.__name__ = "giờ"


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def bad_text(argv: Sequence[str]) -> str | None:
    """Why an argument cannot be used at all: a NUL byte (no file name or database holds
    one) or bytes that are not text in the system's encoding; None when all are fine."""
    for arg in argv:
        if "\x00" in arg:
            return f"tham số “{_short(arg.replace(chr(0), '␀'))}” chứa ký tự NUL"
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "replace").decode("utf-8")
            return f"tham số “{_short(shown)}” không phải chữ hợp lệ (sai bảng mã)"
    return None
