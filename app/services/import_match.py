"""Import: which rows are people the database already has.

A row is someone already recorded when the CCCD is the same, or the name and the birth
date are (a full date against a full date, a year against a year), or the name and the
phone are with no birth date that disagrees. A year alone never matches a full date: the
record of Phạm Quốc Khánh born 01/01/1972 is not taken for a "Phạm Quốc Khánh, 1972" of a
file; the row is imported as a new person with a warning naming the possible match, and
nothing of the record changes. Two records that fit one row equally are an error that
asks for a CCCD or a phone to tell them apart.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import citizen_id_lookups
from app.services import import_memo as memo
from app.services.import_columns import FIELD_LABELS
from app.services.import_results import ImportPlan
from app.services.import_rows import Issue, PlannedRow
from app.vn import dates
from models import Gender, Person

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
_COMPARED = (
    Person.id,
    Person.search_key,
    Person.birth_year_only,
    *(getattr(Person, f) for f in PERSON_FIELDS),
)
BY_CCCD = "trùng số CCCD"
BY_BIRTH = "trùng họ tên và ngày sinh"
BY_YEAR = "trùng họ tên và năm sinh"
BY_PHONE = "trùng họ tên và số điện thoại"


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _born(p: Any) -> str:
    if p.birth_date is None:
        return "chưa có ngày sinh"
    return (
        f"sinh năm {p.birth_date.year}"
        if p.birth_year_only
        else (f"sinh {dates.format_date(p.birth_date)}")
    )


def _listing(people: list[Any]) -> str:
    return ", ".join(f"“{p.full_name}” (mã {p.id}, {_born(p)})" for p in people)


def _one(found: list[Any], phone: str | None) -> list[Any]:
    """Several records fit: the one with the row's phone, if only one has it."""
    if len(found) > 1 and phone:
        narrowed = [p for p in found if p.phone == phone]
        if len(narrowed) == 1:
            return narrowed
    return found


def _find(r: PlannedRow, candidates: list[Any]) -> tuple[Any, str | None]:
    """The record this row is, with the reason; warnings and errors go on the row."""
    v = r.values
    cccd, phone, born = v.get("citizen_id"), v.get("phone"), v.get("birth_date")
    year_only = bool(v.get("birth_year_only"))
    people = [p for p in candidates if not (cccd and p.citizen_id and p.citizen_id != cccd)]
    tries: list[tuple[list[Any], str]] = []
    if born is not None:
        same = [p for p in people if p.birth_date == born and bool(p.birth_year_only) == year_only]
        if year_only:  # a year is weak: a different phone says another person
            same = [p for p in same if not (phone and p.phone and p.phone != phone)]
        tries.append((same, BY_YEAR if year_only else BY_BIRTH))
    if phone:
        tries.append(
            (
                [p for p in people if p.phone == phone and not _births_differ(p, born, year_only)],
                BY_PHONE,
            )
        )
    for found, reason in tries:
        found = _one(found, phone)
        if len(found) == 1:
            return found[0], reason
        if len(found) > 1:
            r.issues.append(
                Issue(
                    r.row,
                    FIELD_LABELS["full_name"],
                    v["full_name"],
                    f"có {len(found)} người đã có cùng họ tên và "
                    f"{'số điện thoại' if reason == BY_PHONE else 'ngày sinh'}: "
                    f"{_listing(found)}; không biết là ai. Hãy ghi thêm số CCCD hoặc số điện "
                    "thoại trong tệp để phân biệt, hoặc gộp các hồ sơ trùng ở trang Học viên.",
                )
            )
            return None, None
    if born is not None:
        maybe = [
            p
            for p in people
            if p.birth_date is not None
            and p.birth_date.year == born.year
            and bool(p.birth_year_only) != year_only
        ]
        if maybe:
            which = "tệp chỉ ghi năm sinh" if year_only else "hồ sơ đã có chỉ ghi năm sinh"
            r.issues.append(
                Issue(
                    r.row,
                    FIELD_LABELS["full_name"],
                    v["full_name"],
                    f"có thể là người đã có {_listing(maybe)}; {which} nên không tự coi là cùng "
                    "một người: sẽ thêm hồ sơ mới, hồ sơ đã có giữ nguyên. Nếu là một người, "
                    "hãy ghi đủ ngày sinh trong tệp, hoặc gộp hai hồ sơ sau khi nhập.",
                    error=False,
                )
            )
    return None, None


def _births_differ(p: Any, born: Any, year_only: bool) -> bool:
    if born is None or p.birth_date is None:
        return False
    if p.birth_date.year != born.year:
        return True
    return not year_only and not p.birth_year_only and p.birth_date != born


def match_existing(s: Session, plan_: ImportPlan) -> None:
    """Match each good row of the plan against the people recorded; writes nothing."""
    good = [r for r in plan_.rows if r.ok]
    by_cccd: dict[str, Person] = {}
    cccds = [r.values["citizen_id"] for r in good if r.values.get("citizen_id")]
    for chunk in _chunks(cccds):
        for p in s.scalars(select(Person).where(Person.citizen_id.in_(chunk))):
            by_cccd[p.citizen_id] = p  # type: ignore[index]
    # Staff: every number tested is recorded, guessing is counted (and may be refused).
    hide = citizen_id_lookups.limited(s) is not None
    citizen_id_lookups.imported(
        s,
        f"nhập tệp {plan_.file}",
        [
            (r.row, r.values["citizen_id"], r.values["full_name"])
            for r in good
            if r.values.get("citizen_id")
        ],
        by_cccd,
    )
    keys = list({memo.search_key(r.values["full_name"]) for r in good})
    # The namesakes as plain rows of the columns compared, not ORM objects: a common
    # name has thousands of them in a province.
    by_name: dict[str, list[Any]] = {}
    for chunk in _chunks(keys):
        for p in s.execute(
            select(*_COMPARED)
            .where(Person.search_key.in_(chunk), Person.merged_into_id.is_(None))
            .order_by(Person.id)
        ):
            by_name.setdefault(p.search_key, []).append(p)
    for r in good:
        cccd = r.values.get("citizen_id")
        if cccd and cccd in by_cccd:
            found, reason = by_cccd[cccd], BY_CCCD
        else:
            found, reason = _find(r, by_name.get(memo.search_key(r.values["full_name"]), []))
        if found is None:
            continue
        r.match_id, r.match_name, r.match_reason = found.id, found.full_name, reason
        r.match_hidden = hide and reason == BY_CCCD
        if r.match_hidden:
            r.match_name = None
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
                r.differences[fld] = (None if r.match_hidden else stored, new)
