"""What an import found (the plan) and did (the summary), and the tally of the sheet's rows.

Every row of the sheet falls in exactly one category, so the counts add up to the rows of
the sheet: that sum is shown to the user, who can see that no one went missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.errors import UserError
from app.labels import number
from app.services.enrolment import EnrolResult
from app.services.import_columns import HeaderGuess
from app.services.import_layout import SkippedRow
from app.services.import_rows import Issue, PlannedRow
from app.spreadsheet import MAX_COLUMNS, column_letters

HEAD, BLANK, FOOTER = "Dòng tiêu đề", "Dòng trống", "Dòng ký tên, cuối bảng"
STT_ONLY, GROUPS = "Dòng chỉ có STT, chưa điền", "Dòng nhóm / tổng cộng"
FOLDED, ERRORS = "Dòng trùng trong tệp, đã gộp", "Dòng lỗi"
LISTED = 30  # rows of one kind listed by number and text before "… và N dòng khác"


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
        parts = "; ".join(f"{label[:1].lower()}{label[1:]} {number(n)}" for label, n in self.parts)
        check = "" if self.total == self.rows else f" (cộng {number(self.total)}: KHÔNG khớp)"
        return f"{number(self.rows)} dòng của trang tính = {parts}.{check}"


def spans(rows: list[int]) -> str:
    """[4, 5, 6, 9] -> "4–6, 9"."""
    out: list[str] = []
    for n in sorted(rows):
        if out and out[-1].split("–")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('–')[0]}–{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


def _listed(title: str, rows: list[SkippedRow]) -> list[str]:
    if not rows:
        return []
    out = [title] + [f"  {r.describe()}" for r in rows[:LISTED]]
    if len(rows) > LISTED:
        out.append(f"  … và {number(len(rows) - LISTED)} dòng khác.")
    return out


@dataclass
class ImportPlan:
    file: str
    sheet: str
    header: HeaderGuess
    rows: list[PlannedRow]
    blank_rows: int = 0
    footer_row: int | None = None
    rows_in_sheet: int = 0
    head_rows: int = 0  # titles, the header down to its last row, and the header repeated
    footer_rows: int = 0  # from the first signature row to the end
    strict: bool = False
    stt_only: list[int] = field(default_factory=list)  # template rows numbered, not filled
    headers: list[SkippedRow] = field(default_factory=list)  # the header repeated below
    groups: list[SkippedRow] = field(default_factory=list)  # headings, day rows, subtotals
    footer: list[SkippedRow] = field(default_factory=list)  # the signature rows with text
    hidden_rows: list[int] = field(default_factory=list)  # hidden in Excel, imported
    hidden_sheets: list[str] = field(default_factory=list)  # not read
    unused_columns: list[tuple[int, str]] = field(default_factory=list)  # column, heading
    wide_cells: int = 0  # cells right of column MAX_COLUMNS, left out
    first_wide: str = ""

    def notes(self) -> list[str]:
        """Where the rows that are not people went, and what of the sheet was not used:
        listed by row and text, so nothing is left out unseen."""
        out: list[str] = []
        out += _listed("Dòng tiêu đề lặp lại (không nhập):", self.headers)
        out += _listed("Dòng nhóm / tổng cộng (không phải người, không nhập):", self.groups)
        if self.stt_only:
            out.append(
                f"Dòng chỉ có STT, chưa điền (không nhập): {number(len(self.stt_only))} dòng "
                f"({spans(self.stt_only)})."
            )
        if self.footer_row:
            out += _listed(
                f"Phần ký tên cuối bảng, từ dòng {self.footer_row} (không nhập):", self.footer
            )
        if self.hidden_rows:
            out.append(
                f"Dòng đang bị ẩn trong Excel (vẫn nhập như các dòng khác): "
                f"{number(len(self.hidden_rows))} dòng ({spans(self.hidden_rows)})."
            )
        if self.unused_columns:
            out.append(
                "Cột không dùng: "
                + ", ".join(
                    f"{column_letters(c)} “{h}”" if h else f"{column_letters(c)} (không có tiêu đề)"
                    for c, h in self.unused_columns
                )
                + "."
            )
        if self.wide_cells:
            out.append(
                f"Bỏ qua {number(self.wide_cells)} ô ở ngoài cột {column_letters(MAX_COLUMNS - 1)} "
                f"(cột thứ {MAX_COLUMNS}), ví dụ ô {self.first_wide}: danh sách không dùng cột xa "
                "như vậy."
            )
        if self.hidden_sheets:
            out.append(
                "Trang tính ẩn, không đọc: " + ", ".join(f"“{n}”" for n in self.hidden_sheets) + "."
            )
        return out

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
                (STT_ONLY, len(self.stt_only)),
                (GROUPS, len(self.groups)),
                (FOOTER, self.footer_rows),
                ("Người mới", len(good) - matched),
                ("Trùng người đã có", matched),
                (FOLDED, self.folded),
                (ERRORS, len(self.bad_rows)),
            ),
        )


@dataclass(frozen=True)
class Enrolled:
    """What the enrolment of the imported people into a course did, by the enrol rules."""

    course: str
    result: EnrolResult

    def describe(self) -> str:
        return f"Khóa học {self.course}: {self.result.describe()}"


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
    stt_only_rows: int = 0
    group_rows: int = 0
    notes: tuple[str, ...] = ()
    enrolment: Enrolled | None = None

    @property
    def tally(self) -> Tally:
        return Tally(
            self.rows_in_sheet,
            (
                (HEAD, self.head_rows),
                (BLANK, self.blank_rows),
                (STT_ONLY, self.stt_only_rows),
                (GROUPS, self.group_rows),
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
        if self.enrolment is not None:
            lines.append(self.enrolment.describe())
        if self.added_to_team:
            lines.append(f"Thêm vào tổ: {number(self.added_to_team)}")
        return "\n".join(lines)
