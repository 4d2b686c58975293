"""Vietnamese public holidays: a shipped, editable list (dd/mm/yyyy;Tên), 2022–2030."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from app.errors import InvalidValue
from app.vn.dates import parse_date

FILE_NAME = "ngay-le.csv"


def parse(text: str, source: str = FILE_NAME) -> dict[date, str]:
    """Lines "dd/mm/yyyy;Tên"; blank lines and lines starting with # are ignored."""
    found: dict[date, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        day, _, name = line.partition(";")
        try:
            parsed = parse_date(day.strip())
        except InvalidValue as exc:
            raise InvalidValue(f"{source}, dòng {number}: {exc.message}") from exc
        if parsed.year_only:
            raise InvalidValue(f"{source}, dòng {number}: cần đủ ngày/tháng/năm.")
        found[parsed.value] = name.strip() or "Ngày lễ"
    return found


@lru_cache(maxsize=4)
def load(shipped: Path, override: Path | None = None) -> dict[date, str]:
    """The user's copy in the data folder if there is one, else the shipped list."""
    path = override if override is not None and override.is_file() else shipped
    return parse(path.read_text(encoding="utf-8-sig"), path.name)
