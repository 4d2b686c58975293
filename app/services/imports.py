"""Import people from Excel or CSV: read, check, match, then write all or nothing.

`plan()` reads and checks the file and matches existing people without writing;
`apply()` writes the plan in the caller's transaction. A plan with errors writes nothing
unless the caller chose to skip bad rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.errors import InvalidValue, UserError
from app.services import access, audit, checkin
from app.services.import_columns import (
    FIELD_LABELS,
    HEADER_SCAN_ROWS,
    HeaderGuess,
    guess_header,
)
from app.spreadsheet import MergedRange, SpreadsheetError, Table, cached_values, open_table
from app.vn import dates, ids, names
from models import (
    Course,
    Enrolment,
    Gender,
    MemberKind,
    Person,
    Team,
    TeamMembership,
    TeamRole,
    Unit,
    UnitLevel,
)
from models.base import utcnow

PERSON_FIELDS = (
    "full_name",
    "birth_date",
    "gender",
    "citizen_id",
    "phone",
    "email",
    "workplace",
    "position",
    "unit_id",
    "note",
)
_FOOTER = re.compile(
    r"^(nguoi lap|thu truong|xac nhan|giam doc|truong phong|pho giam doc|tm\b|kt\b|"
    r"\(ky|ky,? ghi ro|ky ten|tong cong|tong so|danh sach (nay|co|tren)|.*ngay\W*\d*\W*thang)"
)
Progress = Callable[[int], None]


class ImportFailed(UserError):
    """The file has rows that cannot be written; nothing was written."""


@dataclass(frozen=True)
class Issue:
    row: int
    column: str
    value: str
    message: str
    error: bool = True

    def describe(self) -> str:
        where = f"Dòng {self.row}" + (f", cột “{self.column}”" if self.column else "")
        shown = f", giá trị “{self.value}”" if self.value else ""
        return f"{where}{shown}: {self.message}"


@dataclass
class PlannedRow:
    row: int
    values: dict[str, Any]
    issues: list[Issue] = field(default_factory=list)
    match_id: int | None = None
    match_name: str | None = None
    match_reason: str | None = None
    fills: dict[str, Any] = field(default_factory=dict)  # empty fields of the match to fill
    differences: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # stored, file
    folded_rows: list[int] = field(default_factory=list)  # duplicate rows of the file

    @property
    def ok(self) -> bool:
        return not any(i.error for i in self.issues)


@dataclass
class ImportPlan:
    file: str
    sheet: str
    header: HeaderGuess
    rows: list[PlannedRow]
    blank_rows: int = 0
    footer_row: int | None = None

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


@dataclass(frozen=True)
class ImportSummary:
    inserted: int
    updated: int
    skipped: int
    errors: int
    folded: int
    enrolled: int = 0
    added_to_team: int = 0
    bad: tuple[Issue, ...] = ()

    def describe(self) -> str:
        lines = [
            f"Thêm mới: {self.inserted}",
            f"Cập nhật: {self.updated}",
            f"Bỏ qua: {self.skipped}",
            f"Dòng lỗi: {self.errors}",
            f"Dòng trùng trong tệp đã gộp: {self.folded}",
        ]
        if self.enrolled:
            lines.append(f"Ghi danh vào khóa học: {self.enrolled}")
        if self.added_to_team:
            lines.append(f"Thêm vào tổ: {self.added_to_team}")
        return "\n".join(lines)


# -- reading ---------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return names.nfc(str(value)).strip()


def _is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=") and len(value) > 1


def read(
    path: Path, sheet: str | None = None, mapping: dict[int, str] | None = None
) -> tuple[Table, HeaderGuess, list[tuple[int, list[Any]]]]:
    """Open the file, find the header, and return the data rows (header and titles removed)."""
    table = open_table(path, sheet)
    head = _head(table)
    guess = guess_header(head)
    if guess is None and mapping is None:
        raise SpreadsheetError(
            f"Không tìm thấy dòng tiêu đề trong “{table.name}”: cần ít nhất cột “Họ và tên”. "
            "Hãy kiểm tra trang tính hoặc chọn cột bằng tay."
        )
    if mapping is not None:
        base = guess or HeaderGuess(head[0][0] if head else 1, {}, {})
        guess = HeaderGuess(base.row, dict(mapping), base.headings)
    assert guess is not None
    fields = set(guess.mapping.values())
    if "full_name" not in fields and not {"family_middle", "given_name"} <= fields:
        raise SpreadsheetError(
            f"Trang “{table.name}” không có cột họ tên (“Họ và tên”, “Họ tên”…); "
            f"các cột tìm thấy: {', '.join(guess.headings.values()) or 'không có'}."
        )
    data = [item for item in head if item[0] > guess.row]

    def rest():  # type: ignore[no-untyped-def]
        yield from data
        yield from table.rows

    return table, guess, list(rest())


def guess(
    path: Path, sheet: str | None = None
) -> tuple[list[str], HeaderGuess | None, list[tuple[int, list[Any]]]]:
    """Sheets, the guessed header and the first rows: enough for the wizard's column page."""
    table = open_table(path, sheet)
    head = _head(table)
    return table.sheets, guess_header(head), head


def _head(table: Table) -> list[tuple[int, list[Any]]]:
    """The first rows, where titles and the header are; the rest stays in the stream."""
    head: list[tuple[int, list[Any]]] = []
    for item in table.rows:
        head.append(item)
        if len(head) >= HEADER_SCAN_ROWS + 10:
            break
    return head


# -- checking --------------------------------------------------------------------


def _parse_row(number: int, values: list[Any], guess: HeaderGuess) -> PlannedRow:
    planned = PlannedRow(number, {})
    raw: dict[str, Any] = {}
    for col, fld in guess.mapping.items():
        value = values[col] if col < len(values) else None
        if value is not None and not (isinstance(value, str) and not value.strip()):
            raw[fld] = value

    def heading(fld: str) -> str:
        col = next((c for c, f in guess.mapping.items() if f == fld), None)
        return guess.headings.get(col, FIELD_LABELS[fld]) if col is not None else FIELD_LABELS[fld]

    def fail(fld: str, value: Any, message: str, error: bool = True) -> None:
        planned.issues.append(Issue(number, heading(fld), _text(value), message, error))

    name = raw.get("full_name")
    if name is None and ("family_middle" in raw or "given_name" in raw):
        name = f"{_text(raw.get('family_middle'))} {_text(raw.get('given_name'))}"
    try:
        planned.values["full_name"] = names.validate(_text(name))
    except InvalidValue as exc:
        fail(
            "full_name" if "full_name" in guess.mapping.values() else "given_name",
            name,
            exc.message,
        )

    birth_field = next((f for f in ("birth_date", "birth_male", "birth_female") if f in raw), None)
    if birth_field:
        try:
            parsed = dates.parse_date(raw[birth_field])
            if parsed.value > date.today():
                raise InvalidValue("Ngày sinh ở tương lai.")
            planned.values["birth_date"] = parsed.value
            planned.values["birth_year_only"] = parsed.year_only
            if birth_field != "birth_date":
                planned.values["gender"] = "male" if birth_field == "birth_male" else "female"
        except InvalidValue as exc:
            fail(birth_field, raw[birth_field], exc.message)
    if "gender" in raw:
        g = names.fold(_text(raw["gender"]))
        if g in ("nam", "m", "male", "trai"):
            planned.values["gender"] = "male"
        elif g in ("nu", "f", "female", "gai"):
            planned.values["gender"] = "female"
        else:
            fail("gender", raw["gender"], "Giới tính phải là “Nam” hoặc “Nữ”.", error=False)
    for fld, fn in (("citizen_id", ids.normalise_citizen_id), ("phone", ids.phone)):
        if fld in raw:
            try:
                planned.values[fld] = fn(raw[fld])
            except InvalidValue as exc:
                fail(fld, raw[fld], exc.message)
    if "email" in raw:
        email = _text(raw["email"])
        if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            planned.values["email"] = email
        else:
            fail(
                "email", email, "Địa chỉ thư điện tử không hợp lệ; bỏ qua giá trị này.", error=False
            )
    for fld in ("workplace", "position", "note", "commune", "hamlet"):
        if fld in raw:
            planned.values[fld] = " ".join(_text(raw[fld]).split())[:200]
    if planned.values.get("citizen_id") and planned.values.get("birth_date"):
        info = ids.citizen_id(planned.values["citizen_id"])
        if info.birth_year % 100 != planned.values["birth_date"].year % 100:
            fail(
                "citizen_id",
                planned.values["citizen_id"],
                f"Số CCCD ghi năm sinh {info.birth_year}, khác năm sinh "
                f"{planned.values['birth_date'].year} trong tệp.",
                error=False,
            )
    return planned


def _identities(values: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The keys that say two rows are one person: CCCD, name + birth date, name + phone."""
    keys: list[tuple[Any, ...]] = []
    if values.get("citizen_id"):
        keys.append(("cccd", values["citizen_id"]))
    name = names.search_key(values.get("full_name", ""))
    if values.get("birth_date"):
        keys.append(("birth", name, values["birth_date"]))
    if values.get("phone"):
        keys.append(("phone", name, values["phone"]))
    return keys


def _fold_duplicate(first: PlannedRow, dup: PlannedRow) -> None:
    first.folded_rows.append(dup.row)
    for fld, value in dup.values.items():
        if fld not in first.values:
            first.values[fld] = value
        elif first.values[fld] != value and fld != "birth_year_only":
            first.issues.append(
                Issue(
                    dup.row,
                    FIELD_LABELS.get(fld, fld),
                    _text(value),
                    f"trùng người ở dòng {first.row} nhưng khác giá trị; giữ giá trị của dòng {first.row}.",
                    error=False,
                )
            )


def _merged_issues(merged: list[MergedRange], guess: HeaderGuess) -> dict[int, Issue]:
    """Merged cells in the data area of a mapped column: each covered row is an error."""
    out: dict[int, Issue] = {}
    for m in merged:
        if m.max_row <= guess.row or m.min_row == m.max_row:
            continue
        cols = [c for c in range(m.min_col, m.max_col + 1) if c in guess.mapping]
        if not cols:
            continue
        label = guess.headings.get(cols[0], FIELD_LABELS[guess.mapping[cols[0]]])
        for row in range(max(m.min_row, guess.row + 1), m.max_row + 1):
            out[row] = Issue(
                row,
                label,
                "",
                f"ô gộp (Merge) dòng {m.min_row}–{m.max_row} trong vùng dữ liệu; hãy bỏ gộp ô và "
                "điền giá trị cho từng dòng.",
            )
    return out


def plan(
    s: Session,
    path: Path,
    sheet: str | None = None,
    mapping: dict[int, str] | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read and check the file and match existing people; writes nothing."""
    access.require(s, "import")
    table, guess, rows = read(path, sheet, mapping)
    merged = _merged_issues(table.merged, guess)
    name_cols = [c for c, f in guess.mapping.items() if f in ("full_name", "given_name")]
    formulas = {
        (number, col)
        for number, values in rows
        for col in guess.mapping
        if col < len(values) and _is_formula(values[col])
    }
    cached = cached_values(table.path, table.name, formulas) if formulas and table.path else {}
    planned: list[PlannedRow] = []
    seen: dict[tuple[Any, ...], PlannedRow] = {}
    blank = 0
    footer_row = None
    for n, (number, values) in enumerate(rows):
        if progress and n % 1000 == 0:
            progress(n)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            blank += 1
            continue
        joined = names.fold(" ".join(_text(v) for v in values if v is not None))
        name_empty = all(c >= len(values) or values[c] is None for c in name_cols)
        if _FOOTER.match(joined) and (
            name_empty or _FOOTER.match(names.fold(_text(values[name_cols[0]])))
        ):
            footer_row = number
            break
        row_values = list(values)
        formula_issues = []
        for col in guess.mapping:
            if (number, col) in formulas:
                value = cached.get((number, col))
                if value is None:
                    formula_issues.append(
                        Issue(
                            number,
                            guess.headings.get(col, ""),
                            str(values[col]),
                            "ô chứa công thức chưa được Excel tính giá trị; hãy mở tệp bằng Excel, lưu lại "
                            "hoặc dán giá trị (Paste Values) rồi nhập.",
                        )
                    )
                row_values[col] = value
        p = _parse_row(number, row_values, guess)
        p.issues[:0] = formula_issues
        if number in merged:
            p.issues.insert(0, merged[number])
        keys = _identities(p.values) if p.ok else []
        first = next((seen[k] for k in keys if k in seen), None)
        other_cccd = first is not None and {
            first.values.get("citizen_id"),
            p.values.get("citizen_id"),
        } - {None}
        if first is not None and len(other_cccd or ()) <= 1:
            _fold_duplicate(first, p)
            for k in _identities(first.values):
                seen.setdefault(k, first)
            continue
        for k in keys:
            seen.setdefault(k, p)
        planned.append(p)
    result = ImportPlan(path.name, table.name, guess, planned, blank, footer_row)
    _resolve_units(s, result)
    _match(s, result)
    return result


# -- matching --------------------------------------------------------------------


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _match(s: Session, plan_: ImportPlan) -> None:
    good = [r for r in plan_.rows if r.ok]
    by_cccd: dict[str, Person] = {}
    cccds = [r.values["citizen_id"] for r in good if r.values.get("citizen_id")]
    for chunk in _chunks(cccds):
        for p in s.scalars(select(Person).where(Person.citizen_id.in_(chunk))):
            by_cccd[p.citizen_id] = p  # type: ignore[index]
    keys = list({names.search_key(r.values["full_name"]) for r in good})
    by_name: dict[str, list[Person]] = {}
    for chunk in _chunks(keys):
        for p in s.scalars(
            select(Person).where(Person.search_key.in_(chunk), Person.merged_into_id.is_(None))
        ):
            by_name.setdefault(p.search_key, []).append(p)
    for r in good:
        found, reason = None, None
        cccd = r.values.get("citizen_id")
        if cccd and cccd in by_cccd:
            found, reason = by_cccd[cccd], "trùng số CCCD"
        else:
            for p in by_name.get(names.search_key(r.values["full_name"]), []):
                if r.values.get("birth_date") and p.birth_date == r.values["birth_date"]:
                    found, reason = p, "trùng họ tên và ngày sinh"
                    break
                if r.values.get("phone") and p.phone == r.values["phone"]:
                    found, reason = p, "trùng họ tên và số điện thoại"
                    break
            if found is not None and cccd and found.citizen_id and found.citizen_id != cccd:
                found, reason = None, None  # same name and birth, but another citizen ID
        if found is None:
            continue
        r.match_id, r.match_name, r.match_reason = found.id, found.full_name, reason
        for fld in PERSON_FIELDS:
            if fld not in r.values or fld == "full_name":
                continue
            stored = getattr(found, fld)
            if isinstance(stored, Gender):
                stored = stored.value
            new = r.values[fld]
            if stored in (None, ""):
                r.fills[fld] = new
            elif stored != new:
                r.differences[fld] = (stored, new)


def _resolve_units(s: Session, plan_: ImportPlan) -> None:
    """Xã/phường and ấp/khu phố columns -> a unit, preferring the department's province."""
    wanted = {r.values.get("commune") for r in plan_.rows if r.values.get("commune")}
    if not wanted:
        return
    communes: dict[str, list[Unit]] = {}
    for u in s.scalars(select(Unit).where(Unit.level == UnitLevel.COMMUNE)):
        communes.setdefault(_bare_key(u.name), []).append(u)
    home = _home_province(s)
    for r in plan_.rows:
        commune_name = r.values.pop("commune", None)
        hamlet_name = r.values.pop("hamlet", None)
        if not commune_name:
            continue
        options = communes.get(_bare_key(commune_name), [])
        if len(options) > 1 and home is not None:
            options = [u for u in options if _province_of(s, u) in home] or options
        if len(options) != 1:
            why = "không có trong danh mục" if not options else "trùng tên ở nhiều tỉnh"
            r.issues.append(
                Issue(
                    r.row,
                    FIELD_LABELS["commune"],
                    commune_name,
                    f"đơn vị {why}; chưa gán đơn vị cho người này.",
                    error=False,
                )
            )
            continue
        unit = options[0]
        r.values["unit_id"] = unit.id
        if hamlet_name:
            hamlet = s.scalar(
                select(Unit.id).where(
                    Unit.parent_id == unit.id,
                    Unit.level == UnitLevel.HAMLET,
                    Unit.search_key.like(f"%{_bare_key(hamlet_name)}"),
                )
            )
            if hamlet is not None:
                r.values["unit_id"] = hamlet
            else:
                r.issues.append(
                    Issue(
                        r.row,
                        FIELD_LABELS["hamlet"],
                        hamlet_name,
                        f"chưa có trong danh mục của {unit.name}; đã gán vào {unit.name}.",
                        error=False,
                    )
                )


_KIND_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|ap|khu pho|thon|khom|to dan pho)\s+")


def _bare_key(name: str) -> str:
    return _KIND_PREFIX.sub("", names.fold(name))


def _home_province(s: Session) -> set[int] | None:
    from models import Setting

    setting = s.get(Setting, "home_province_codes")
    codes = setting.value if setting else None
    if not codes:
        return None
    return set(
        s.scalars(select(Unit.id).where(Unit.level == UnitLevel.PROVINCE, Unit.code.in_(codes)))
    )


def _province_of(s: Session, unit: Unit) -> int | None:
    current: Unit | None = unit
    while current is not None and current.level != UnitLevel.PROVINCE:
        current = s.get(Unit, current.parent_id) if current.parent_id else None
    return current.id if current else None


# -- writing ---------------------------------------------------------------------


def _person_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        **names.stored_fields(values["full_name"]),
        "birth_date": values.get("birth_date"),
        "birth_year_only": values.get("birth_year_only", False),
        "gender": Gender(values["gender"]) if values.get("gender") else None,
        "citizen_id": values.get("citizen_id"),
        "phone": values.get("phone"),
        "email": values.get("email"),
        "unit_id": values.get("unit_id"),
        "workplace": values.get("workplace"),
        "position": values.get("position"),
        "is_trainer": False,
        "note": values.get("note"),
        "archived_at": None,
        "merged_into_id": None,
        "checkin_code": checkin.new_code(),
    }


def apply(
    s: Session,
    plan_: ImportPlan,
    by: str,
    *,
    actions: dict[int, str] | None = None,
    overwrite: bool = False,
    skip_bad_rows: bool = False,
    course_code: str | None = None,
    team_id: int | None = None,
) -> ImportSummary:
    """Write the plan: insert new people, update matches (fill empty fields; overwrite
    differing ones only when asked), enrol or add to a team. `actions` maps a row number
    to "create", "update" or "skip" for rows that matched someone."""
    access.require(s, "import")
    if plan_.bad_rows and not skip_bad_rows:
        shown = "\n".join(i.describe() for i in plan_.errors[:20])
        more = len(plan_.errors) - 20
        raise ImportFailed(
            f"Không ghi gì: {len(plan_.bad_rows)} dòng có lỗi.\n{shown}"
            + (f"\n… và {more} lỗi khác." if more > 0 else "")
            + "\nHãy sửa tệp rồi nhập lại, hoặc chọn bỏ qua các dòng lỗi."
        )
    course = _course(s, course_code) if course_code else None
    team = s.get(Team, team_id) if team_id is not None else None
    if team_id is not None and team is None:
        raise ImportFailed(f"Không có tổ mã {team_id}; không ghi gì.")
    actions = actions or {}
    inserted, updated, skipped, touched = 0, 0, 0, []
    new_rows: list[dict[str, Any]] = []
    for r in plan_.rows:
        if not r.ok:
            continue
        action = actions.get(r.row, "update" if r.match_id else "create")
        if action == "skip":
            skipped += 1
            if r.match_id:
                touched.append(r.match_id)
            continue
        if action == "create" or r.match_id is None:
            if r.values.get("citizen_id") and r.match_reason == "trùng số CCCD":
                raise ImportFailed(
                    f"Dòng {r.row}: số CCCD {r.values['citizen_id']} đã có ở “{r.match_name}”; "
                    "không thể thêm hồ sơ mới trùng CCCD. Không ghi gì."
                )
            new_rows.append(_person_values(r.values))
            continue
        person = s.get_one(Person, r.match_id)
        changes = dict(r.fills)
        if overwrite:
            changes.update({f: new for f, (_old, new) in r.differences.items()})
        if changes:
            before = audit.snapshot(person, list(changes))
            for fld, value in changes.items():
                setattr(person, fld, Gender(value) if fld == "gender" and value else value)
            audit.record(
                s,
                by,
                "person.import_update",
                person,
                before=before,
                after=audit.snapshot(person, list(changes)),
                note=plan_.file,
            )
            updated += 1
        else:
            skipped += 1
        touched.append(person.id)
    if new_rows:
        stamp = utcnow()
        for row in new_rows:
            row.update(version=1, created_at=stamp, updated_at=stamp)
        new_ids = list(
            s.scalars(insert(Person).returning(Person.id, sort_by_parameter_order=True), new_rows)
        )
        audit.record_rows(
            s,
            [
                {
                    "at": stamp,
                    "user": audit.who(s, by),
                    "action": "person.import",
                    "entity": "people",
                    "entity_id": pid,
                    "before": None,
                    "after": {"full_name": row["full_name"]},
                    "note": plan_.file,
                }
                for pid, row in zip(new_ids, new_rows, strict=True)
            ],
        )
        inserted = len(new_ids)
        touched.extend(new_ids)
    s.flush()
    enrolled = _enrol(s, course, touched, by) if course else 0
    added = _add_to_team(s, team, touched, by) if team else 0
    return ImportSummary(
        inserted,
        updated,
        skipped,
        len(plan_.bad_rows),
        plan_.folded,
        enrolled,
        added,
        tuple(plan_.errors),
    )


def _course(s: Session, code: str) -> Course:
    course = s.scalar(select(Course).where(Course.code == code.strip()))
    if course is None:
        raise ImportFailed(f"Không có khóa học mã “{code}”; không ghi gì.")
    return course


def _enrol(s: Session, course: Course, person_ids: list[int], by: str) -> int:
    have = set(s.scalars(select(Enrolment.person_id).where(Enrolment.course_id == course.id)))
    todo = [pid for pid in dict.fromkeys(person_ids) if pid not in have]
    for pid in todo:
        e = Enrolment(course_id=course.id, person_id=pid, source="import")
        s.add(e)
        s.flush()
        audit.record(s, by, "enrolment.create", e, after={"course_id": course.id, "person_id": pid})
    return len(todo)


def _add_to_team(s: Session, team: Team, person_ids: list[int], by: str) -> int:
    have = set(
        s.scalars(
            select(TeamMembership.person_id).where(
                TeamMembership.team_id == team.id, TeamMembership.left_on.is_(None)
            )
        )
    )
    todo = [pid for pid in dict.fromkeys(person_ids) if pid not in have]
    for pid in todo:
        m = TeamMembership(
            team_id=team.id,
            person_id=pid,
            role=TeamRole.MEMBER,
            kind=MemberKind.OTHER,
            joined_on=date.today(),
        )
        s.add(m)
        s.flush()
        audit.record(s, by, "team.add_member", m, after={"team_id": team.id, "person_id": pid})
    return len(todo)
