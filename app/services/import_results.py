"""What an import found (the plan) and did (the summary), and the tally of the sheet's rows.

Every row of the sheet falls in exactly one category, so the counts add up to the rows of
the sheet: that sum is shown to the user, who can see that no one went missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import UserError
from app.labels import number
from app.services.import_columns import HeaderGuess
from app.services.import_rows import Issue, PlannedRow

HEAD, BLANK, FOOTER = "Dòng tiêu đề", "Dòng trống", "Dòng ký tên, cuối bảng"
FOLDED, ERRORS = "Dòng trùng trong tệp, đã gộp", "Dòng lỗi"


class ImportFailed(UserError):
    """The file has rows that cannot be written; nothing was written."""


@dataclass(frozen=True)
class Tally:
    """The rows of the sheet by what became of them."""

    rows: int
    parts: tuple[tuple[str, int], ...]
    errors_skipped: bool = False

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.parts)

    def lines(self) -> list[str]:
        out = [f"Trang tính có {number(self.rows)} dòng:"]
        for label, n in self.parts:
            note = (
                " (đã bỏ qua, không ghi)" if label == ERRORS and n and self.errors_skipped else ""
            )
            out.append(f"  {label}: {number(n)}{note}")
        if self.total == self.rows:
            out.append(f"  Cộng: {number(self.total)} dòng, khớp với trang tính.")
        else:  # a bug, said out loud rather than hidden
            out.append(
                f"  Cộng: {number(self.total)} dòng, KHÔNG khớp với {number(self.rows)} dòng "
                "của trang tính."
            )
        return out

    def describe(self) -> str:
        return "\n".join(self.lines())

    def sentence(self) -> str:
        """One line for a dialog: "13 dòng của trang tính = dòng tiêu đề 5; …; dòng lỗi 0." """
        parts = "; ".join(f"{label.lower()} {number(n)}" for label, n in self.parts)
        check = "" if self.total == self.rows else f" (cộng {number(self.total)}: KHÔNG khớp)"
        return f"{number(self.rows)} dòng của trang tính = {parts}.{check}"


@dataclass
class ImportPlan:
    file: str
    sheet: str
    header: HeaderGuess
    rows: list[PlannedRow]
    blank_rows: int = 0
    footer_row: int | None = None
    rows_in_sheet: int = 0
    head_rows: int = 0  # titles and the header, down to the header's last row
    footer_rows: int = 0  # from the first signature row to the end
    strict: bool = False

    @property
    def bad_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def errors(self) -> list[Issue]:
        return [i for r in self.rows for i in r.issues if i.error]

    @property
    def warnings(self) -> list[Issue]:
        return [i for r in self.rows for i in r.issues if not i.error]

    @property
    def folded(self) -> int:
        return sum(len(r.folded_rows) for r in self.rows)

    def tally(self) -> Tally:
        """Before writing: people new to the database, and people it already has."""
        good = [r for r in self.rows if r.ok]
        matched = sum(1 for r in good if r.match_id)
        return Tally(
            self.rows_in_sheet,
            (
                (HEAD, self.head_rows),
                (BLANK, self.blank_rows),
                (FOOTER, self.footer_rows),
                ("Người mới", len(good) - matched),
                ("Trùng người đã có", matched),
                (FOLDED, self.folded),
                (ERRORS, len(self.bad_rows)),
            ),
        )


@dataclass(frozen=True)
class ImportSummary:
    inserted: int
    updated: int
    skipped: int  # matched someone and nothing was written: nothing new, or the user said so
    errors: int
    folded: int
    enrolled: int = 0
    added_to_team: int = 0
    bad: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    rows_in_sheet: int = 0
    head_rows: int = 0
    blank_rows: int = 0
    footer_rows: int = 0
    errors_skipped: bool = False

    @property
    def tally(self) -> Tally:
        return Tally(
            self.rows_in_sheet,
            (
                (HEAD, self.head_rows),
                (BLANK, self.blank_rows),
                (FOOTER, self.footer_rows),
                ("Thêm mới", self.inserted),
                ("Cập nhật", self.updated),
                ("Đã có, không đổi", self.skipped),
                (FOLDED, self.folded),
                (ERRORS, self.errors),
            ),
            self.errors_skipped,
        )

    def describe(self) -> str:
        lines = self.tally.lines()
        if self.warnings:
            lines.append(f"Cảnh báo: {number(len(self.warnings))}")
        if self.enrolled:
            lines.append(f"Ghi danh vào khóa học: {number(self.enrolled)}")
        if self.added_to_team:
            lines.append(f"Thêm vào tổ: {number(self.added_to_team)}")
        return "\n".join(lines)
