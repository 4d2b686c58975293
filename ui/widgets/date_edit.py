"""A date field typed as dd/mm/yyyy (or left empty), checked with app.vn.dates."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from app.errors import InvalidValue
from app.vn.dates import format_date, parse_date


class DateEdit(QLineEdit):
    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("dd/mm/yyyy")
        self.set_date(value)

    def set_date(self, value: date | None) -> None:
        self.setText(format_date(value))

    def date_or_error(self) -> tuple[date | None, str | None]:
        text = self.text().strip()
        if not text:
            return None, None
        try:
            parsed = parse_date(text)
        except InvalidValue as exc:
            return None, exc.message
        if parsed.year_only:
            return None, f"“{text}”: hãy nhập đủ ngày/tháng/năm."
        return parsed.value, None
