"""Property: whatever the layout of a roster, every person row lands with its gender, and
the rows of the sheet add up (titles, header, the header repeated, group headings, day
headings and subtotals between the people, template rows with only a number, blanks,
signatures, people, duplicates), whether rows or a decoy first sheet are hidden."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.db import Database
from app.services import imports
from app.vn import names
from models import Gender, Person

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Thạch", "Tôn Nữ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Kim", "Quốc"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Nam", "Oanh", "Phúc", "Sơn", "Thảo", "Tư", "Yến"]
GENDER_TEXT = {"male": ["Nam", "NAM", "nam"], "female": ["Nữ", "NỮ", "nữ", "Nu"]}
WORKPLACES = ["UBND xã Đại Điền", "Đoàn Thanh niên", "VNPT Vĩnh Long", "Bưu điện xã", "Hội Phụ nữ"]
TITLES = [
    "ỦY BAN NHÂN DÂN XÃ ĐẠI ĐIỀN",
    "DANH SÁCH HỌC VIÊN LỚP TẬP HUẤN CHUYỂN ĐỔI SỐ",
    "Tổ công nghệ số cộng đồng ấp Phú Hòa",
    "(Kèm theo Kế hoạch số 12/KH-UBND)",
]
SIGNATURES = [
    [("date", "Đại Điền, ngày 15 tháng 11 năm 2024")],
    [("name", "Người lập biểu"), ("last", "TM. ỦY BAN NHÂN DÂN")],
    [("first", "Tổng cộng: danh sách có {n} người")],
    [("name", "(Ký, ghi rõ họ tên)"), ("last", "CHỦ TỊCH")],
    [("last", "KT. CHỦ TỊCH"), ("name", "Thủ trưởng đơn vị")],
]
SIGNERS = [("name", "Nguyễn Văn Tư"), ("last", "Lê Thị Năm")]
# Rows between the people that are not people: (kind, text); "label" puts a Roman
# numeral in the STT column, "merged" merges the row across the table.
BREAKS = [
    ("subtotal", "Tổng cộng: {n} người"),
    ("day", "Ngày {d} tháng 11 năm 2024"),
    ("day", "Ngày {d} tháng 11 năm 2024 (buổi chiều)"),
    ("group", "XÃ PHÚ TÂN"),
    ("group", "Ấp Tân Lợi"),
    ("group", "Tổ 3"),
    ("label", "Xã An Thạnh"),
    ("merged", "DANH SÁCH ẤP PHÚ HÒA"),
    ("header", "upper"),
    ("header", "folded"),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI"]


@dataclass(frozen=True)
class Someone:
    name: str
    gender: str | None
    birth: date | None
    year_only: bool
    birth_cell: Any
    phone: str | None


@dataclass(frozen=True)
class Roster:
    columns: tuple[str, ...]  # "stt", "name", "birth", "gender", "phone", "work"
    grouped: bool  # "Năm sinh" over Nam | Nữ instead of a birth column
    female_first: bool
    merge_down: bool  # the other headings merged over both header rows
    titles: tuple[str, ...]
    merge_titles: bool
    gap_after_titles: bool
    people: tuple[Someone, ...]
    blank_before: tuple[bool, ...]
    repeats: tuple[int, ...]  # indexes of people written again at the end
    signatures: tuple[int, ...]
    breaks: tuple[tuple[int, int], ...]  # (before which listed person, BREAKS index)
    template_rows: int  # rows with only an STT number after the people
    hidden: tuple[int, ...]  # listed people whose rows Excel hides
    decoy_sheet: bool  # a hidden first sheet with other names


@st.composite
def someone(draw: st.DrawFn, full_name: str, grouped: bool, gender_column: bool) -> Someone:
    gender = draw(st.sampled_from(["male", "female"]))
    if not grouped and gender_column and draw(st.integers(0, 9)) == 0:
        gender = None  # a gender cell left empty
    if not grouped and not gender_column:
        gender = None
    born = draw(st.dates(date(1950, 1, 1), date(2006, 12, 31)))
    form = draw(st.sampled_from(["text", "cell", "year", "year-number", "serial"]))
    year_only = form in ("year", "year-number")
    cell: Any = {
        "text": born.strftime("%d/%m/%Y"),
        "cell": datetime(born.year, born.month, born.day),
        "year": str(born.year),
        "year-number": born.year,
        "serial": (born - date(1899, 12, 30)).days,
    }[form]
    if year_only:
        born = date(born.year, 1, 1)
    prefix = draw(st.sampled_from(["090", "091", "097", "086", "038", "070", "081", "059"]))
    phone = f"{prefix}{draw(st.integers(0, 9_999_999)):07d}"
    return Someone(full_name, gender, born, year_only, cell, phone)


@st.composite
def rosters(draw: st.DrawFn) -> Roster:
    grouped = draw(st.booleans())
    wanted = ["name", "birth"]
    gender_column = not grouped and draw(st.booleans())
    if gender_column:
        wanted.append("gender")
    for optional in ("stt", "phone", "work"):
        if draw(st.booleans()):
            wanted.append(optional)
    columns = tuple(draw(st.permutations(wanted)))
    if "stt" in columns and draw(st.integers(0, 3)):
        columns = ("stt", *(c for c in columns if c != "stt"))  # STT first, as usual
    full_names = draw(
        st.lists(
            st.tuples(st.sampled_from(FAMILY), st.sampled_from(MIDDLE), st.sampled_from(GIVEN)),
            min_size=1,
            max_size=12,
            unique=True,
        )
    )
    people = tuple(draw(someone(" ".join(n), grouped, gender_column)) for n in full_names)
    titles = tuple(draw(st.lists(st.sampled_from(TITLES), max_size=3, unique=True)))
    repeats = tuple(draw(st.lists(st.integers(0, len(people) - 1), max_size=2, unique=True)))
    listed = len(people) + len(repeats)
    return Roster(
        columns=columns,
        grouped=grouped,
        female_first=draw(st.booleans()),
        merge_down=draw(st.booleans()),
        titles=titles,
        merge_titles=draw(st.booleans()),
        gap_after_titles=bool(titles) and draw(st.booleans()),
        people=people,
        blank_before=tuple(i > 0 and draw(st.integers(0, 5)) == 0 for i in range(len(people))),
        repeats=repeats,
        signatures=tuple(
            draw(st.lists(st.integers(0, len(SIGNATURES) - 1), max_size=3, unique=True))
        ),
        breaks=tuple(
            draw(
                st.lists(
                    st.tuples(st.integers(0, listed - 1), st.integers(0, len(BREAKS) - 1)),
                    max_size=4,
                    unique_by=lambda b: b[0],
                )
            )
        ),
        template_rows=draw(st.integers(0, 3)) if "stt" in columns else 0,
        hidden=tuple(draw(st.lists(st.integers(0, listed - 1), max_size=2, unique=True))),
        decoy_sheet=draw(st.booleans()),
    )


HEADINGS = {
    "stt": "STT",
    "name": "Họ và tên",
    "birth": "Ngày sinh",
    "gender": "Giới tính",
    "phone": "SĐT",
    "work": "Đơn vị công tác",
}


@dataclass
class Written:
    path: Path
    rows: int
    head: int
    blank: int
    footer: int
    groups: list[int]  # rows of headings, day rows, subtotals
    template: list[int]  # rows with only an STT number
    hidden: list[int]  # rows of people hidden in Excel


def write(roster: Roster, path: Path) -> Written:
    """The roster as a real .xlsx; returns what each row of it is."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    layout: list[str] = []  # one entry a sheet column
    for c in roster.columns:
        layout += ["male", "female"] if c == "birth" and roster.grouped else [c]
    if roster.grouped and roster.female_first:
        i = layout.index("male")
        layout[i : i + 2] = ["female", "male"]
    width = len(layout)
    row = 1
    for title in roster.titles:
        ws.cell(row, 1, title)
        if roster.merge_titles and width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    row += roster.gap_after_titles
    header = row
    pair = next((i + 1 for i, w in enumerate(layout) if w in ("male", "female")), None)
    for col, what in enumerate(layout, start=1):
        if what in ("male", "female"):
            if col == pair:
                ws.cell(header, col, "Năm sinh")
                ws.merge_cells(
                    start_row=header, start_column=col, end_row=header, end_column=col + 1
                )
            ws.cell(header + 1, col, "Nam" if what == "male" else "Nữ")
        else:
            ws.cell(header, col, HEADINGS[what])
            if roster.grouped and roster.merge_down:
                ws.merge_cells(
                    start_row=header, start_column=col, end_row=header + 1, end_column=col
                )
    row = header + 1 + roster.grouped
    head = row - 1
    blank = 0
    groups: list[int] = []
    template: list[int] = []
    hidden: list[int] = []
    breaks = dict(roster.breaks)

    def header_again(style: str) -> None:
        nonlocal row, head

        def look(text: str) -> str:
            return text.upper() if style == "upper" else names.fold(text)

        for col, what in enumerate(layout, start=1):
            if what in ("male", "female"):
                if col == pair:
                    ws.cell(row, col, look("Năm sinh"))
                ws.cell(row + 1, col, look("Nam" if what == "male" else "Nữ"))
            else:
                ws.cell(row, col, look(HEADINGS[what]))
        row += 1 + roster.grouped
        head += 1 + roster.grouped

    def a_break(n: int, kind: str, text: str) -> None:
        nonlocal row
        if kind == "header":
            header_again(text)
            return
        name_col = layout.index("name") + 1
        text = text.format(n=n, d=10 + n)
        if kind == "merged":
            ws.cell(row, 1, text)
            if width > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        else:
            ws.cell(row, name_col, text)
            if kind == "label" and "stt" in layout:
                ws.cell(row, layout.index("stt") + 1, ROMAN[n % len(ROMAN)])
        groups.append(row)
        row += 1

    def person_row(number: int, p: Someone) -> None:
        for col, what in enumerate(layout, start=1):
            value: Any = {
                "stt": number,
                "name": p.name,
                "gender": GENDER_TEXT[p.gender][number % len(GENDER_TEXT[p.gender])]
                if p.gender
                else None,
                "birth": p.birth_cell,
                "male": p.birth_cell if p.gender == "male" else None,
                "female": p.birth_cell if p.gender == "female" else None,
                "phone": int(p.phone) if p.phone and number % 2 else p.phone,
                "work": WORKPLACES[len(p.name) % len(WORKPLACES)],
            }[what]
            ws.cell(row, col, value)

    listed = [*roster.people, *(roster.people[i] for i in roster.repeats)]
    for n, p in enumerate(listed):
        if n < len(roster.blank_before) and roster.blank_before[n]:
            row += 1
            blank += 1
        if n in breaks:
            a_break(n, *BREAKS[breaks[n]])
        person_row(n + 1, p)
        if n in roster.hidden:
            ws.row_dimensions[row].hidden = True
            hidden.append(row)
        row += 1
    for k in range(roster.template_rows):  # a template numbered in advance, not filled
        ws.cell(row, layout.index("stt") + 1, len(listed) + k + 1)
        template.append(row)
        row += 1
    footer_start = row
    where = {
        "name": layout.index("name") + 1,
        "last": width,
        "first": 1,
        "date": max(1, width - 1),
    }
    for k in roster.signatures:
        for place, text in SIGNATURES[k]:
            if ws.cell(row, where[place]).value is None:  # a narrow sheet: one text a cell
                ws.cell(row, where[place], text.format(n=len(roster.people)))
        row += 1
    if roster.signatures:
        row += 2  # room to sign
        for place, text in SIGNERS:
            ws.cell(row, where[place], text)
        row += 1
    if roster.decoy_sheet:  # lookup lists on a hidden first sheet, never imported
        decoy = wb.create_sheet("DM", 0)
        decoy.append(["Họ và tên", "Ghi chú"])
        decoy.append(["Nguyễn Văn Mẫu", "dòng mẫu"])
        decoy.sheet_state = "hidden"
        wb.active = 1
    wb.save(path)
    rows = row - 1
    return Written(path, rows, head, blank, rows - footer_start + 1, groups, template, hidden)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(roster=rosters())
def test_every_person_row_lands_with_its_gender_and_the_rows_add_up(
    sqlite_db: Database, tmp_path: Path, roster: Roster
) -> None:
    sheet = write(roster, tmp_path / "danh-sach.xlsx")
    gender = "gender column" if "gender" in roster.columns else "no gender column"
    event("birth: Năm sinh over Nam | Nữ" if roster.grouped else f"birth: one column, {gender}")
    event(f"STT column: {'stt' in roster.columns}; titles: {len(roster.titles)}")
    event(f"signature rows: {sheet.footer > 0}; folded duplicates: {bool(roster.repeats)}")
    event(f"rows between the people: {len(roster.breaks)}; template rows: {bool(sheet.template)}")
    event(f"hidden rows: {bool(roster.hidden)}; hidden first sheet: {roster.decoy_sheet}")
    # A repeat is the same person beyond doubt only with a full birth date; a repeat with a
    # birth year alone stays a second person, with a warning naming both rows.
    folded = [i for i in roster.repeats if not roster.people[i].year_only]
    kept_apart = [i for i in roster.repeats if roster.people[i].year_only]
    with sqlite_db.transaction() as s:
        plan = imports.plan(s, sheet.path)
        assert [i.describe() for i in plan.errors] == []
        warnings = [i.message for i in plan.warnings]
        summary = imports.apply(s, plan)
        landed = {
            (r.full_name, r.birth_date, r.birth_year_only, r.gender)
            for r in s.execute(
                select(Person.full_name, Person.birth_date, Person.birth_year_only, Person.gender)
            )
        }
        s.rollback()  # every list starts from an empty database
    assert len(warnings) == len(kept_apart)
    assert all(w.startswith("có thể trùng với dòng") for w in warnings)
    assert landed == {
        (
            names.normalise(p.name),
            p.birth,
            p.year_only,
            Gender(p.gender) if p.gender else None,
        )
        for p in roster.people
    }
    assert (summary.inserted, summary.folded, summary.errors) == (
        len(roster.people) + len(kept_apart),
        len(folded),
        0,
    )
    assert (plan.rows_in_sheet, plan.head_rows, plan.blank_rows, plan.footer_rows) == (
        sheet.rows,
        sheet.head,
        sheet.blank,
        sheet.footer,
    )
    assert [g.row for g in plan.groups] == sheet.groups
    assert plan.stt_only == sheet.template
    assert plan.hidden_rows == sheet.hidden
    assert plan.hidden_sheets == (["DM"] if roster.decoy_sheet else [])
    assert summary.tally.total == summary.tally.rows == sheet.rows
