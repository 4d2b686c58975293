"""The pure per-value checks of an import, each worked out once per distinct value.

A roster repeats itself: a 10,000-row list has a few hundred names, two genders, one
workplace, a few thousand birth dates. Folding a name, deriving its sort key or reading a
date costs tens of microseconds; done once per distinct value instead of once per cell,
the checks of a column cost what its distinct values cost. The results are the functions'
own: an exception is raised again as it was first raised. Keys carry the value's type, so
that 1, 1.0 and True, equal in Python, stay apart.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from app.vn import chars, dates, names

T = TypeVar("T")
_SIZE = 1 << 16


def _remember(fn: Callable[..., T]) -> Callable[..., T]:
    """fn, with its results and its exceptions kept by (type, value) of the arguments."""

    @lru_cache(maxsize=_SIZE)
    def outcome(*key: Any) -> tuple[bool, Any]:
        try:
            return True, fn(*key[1::2])
        except Exception as exc:  # kept, raised again for the same value
            return False, exc

    def call(*args: Any) -> T:
        ok, result = outcome(*(x for a in args for x in (type(a), a)))
        if ok:
            return result  # type: ignore[no-any-return]
        raise result.with_traceback(None)

    call.cache_clear = outcome.cache_clear  # type: ignore[attr-defined]
    return call


fold = _remember(names.fold)
search_key = _remember(names.search_key)
validate = _remember(names.validate)
hidden_character = _remember(chars.hidden_character)
_stored = _remember(names.stored_fields)
_parse_date = _remember(lambda value, _today: dates.parse_date(value))


def stored_fields(full_name: str) -> dict[str, str]:
    """names.stored_fields, a fresh dict each time."""
    return dict(_stored(full_name))


def parse_date(value: Any) -> dates.ParsedDate:
    """dates.parse_date as of today (a two-digit year reads against today)."""
    return _parse_date(value, date.today())
