"""Rows of one file that are the same person: folded only beyond doubt.

Two rows are one person when they have the same name and the same CCCD, or the same name
and the same full birth date with no identity field that disagrees (CCCD, phone, gender,
commune, hamlet). Anything weaker (the same name and only the same birth year, the same
name and phone) stays two people, with a warning naming both rows: Nguyễn Văn Hùng born
1980 may well be two men in two hamlets. Two names under one CCCD are both errors: one of
them is mistyped, and the file must say which.
"""

from __future__ import annotations

from typing import Any

from app.services import import_memo as memo
from app.services.import_columns import FIELD_LABELS
from app.services.import_rows import Issue, PlannedRow, display

# Fields that tell two people apart when both rows have them and they differ.
IDENTITY = ("citizen_id", "phone", "gender", "commune", "hamlet")
FOLDED_NOTE = "trùng người ở dòng {row}"


def _key(row: PlannedRow) -> str:
    return memo.search_key(row.values.get("full_name", ""))


def _full_birth(row: PlannedRow) -> Any:
    born = row.values.get("birth_date")
    return born if born is not None and not row.values.get("birth_year_only") else None


def _same(field: str, a: Any, b: Any) -> bool:
    if field in ("commune", "hamlet"):
        return memo.fold(str(a)) == memo.fold(str(b))
    return bool(a == b)


def _conflicts(a: PlannedRow, b: PlannedRow) -> list[str]:
    return [
        f
        for f in IDENTITY
        if a.values.get(f) is not None
        and b.values.get(f) is not None
        and not _same(f, a.values[f], b.values[f])
    ]


def _fold(first: PlannedRow, dup: PlannedRow) -> None:
    first.folded_rows.append(dup.row)
    for fld, value in dup.values.items():
        if fld not in first.values:
            first.values[fld] = value
        elif not _same(fld, first.values[fld], value) and fld != "birth_year_only":
            first.issues.append(
                Issue(
                    dup.row,
                    FIELD_LABELS.get(fld, fld),
                    display(fld, value),
                    f"{FOLDED_NOTE.format(row=first.row)} nhưng khác giá trị; giữ giá trị của "
                    f"dòng {first.row}.",
                    error=False,
                )
            )


def _why_alike(a: PlannedRow, b: PlannedRow) -> str:
    same = ["cùng họ tên"]
    born_a, born_b = a.values.get("birth_date"), b.values.get("birth_date")
    if born_a is not None and born_b is not None and born_a.year == born_b.year:
        if _full_birth(a) and _full_birth(b) and born_a == born_b:
            same.append(f"cùng ngày sinh {display('birth_date', born_a)}")
        else:
            same.append(f"cùng năm sinh {born_a.year}")
    if a.values.get("phone") and a.values.get("phone") == b.values.get("phone"):
        same.append("cùng số điện thoại")
    differ = [FIELD_LABELS.get(f, f) for f in _conflicts(a, b)]
    return ", ".join(same) + (f" nhưng khác {', '.join(differ)}" if differ else "")


def fold_duplicates(rows: list[PlannedRow]) -> list[PlannedRow]:
    """The rows with the duplicates of one person folded into the first; the others
    kept, with a warning or an error (see the module's docstring)."""
    kept: list[PlannedRow] = []
    by_cccd: dict[str, PlannedRow] = {}
    by_birth: dict[tuple[str, Any], list[PlannedRow]] = {}
    by_year: dict[tuple[str, int], PlannedRow] = {}
    by_phone: dict[tuple[str, str], PlannedRow] = {}
    named_in_conflict: set[int] = set()

    def remember(r: PlannedRow) -> None:
        key = _key(r)
        if r.values.get("citizen_id"):
            by_cccd.setdefault(r.values["citizen_id"], r)
        if _full_birth(r) is not None:
            group = by_birth.setdefault((key, _full_birth(r)), [])
            if r not in group:
                group.append(r)
        if r.values.get("birth_date") is not None:
            by_year.setdefault((key, r.values["birth_date"].year), r)
        if r.values.get("phone"):
            by_phone.setdefault((key, r.values["phone"]), r)

    for r in rows:
        if not r.ok:
            kept.append(r)
            continue
        key, cccd = _key(r), r.values.get("citizen_id")
        target = None
        if cccd and cccd in by_cccd:
            other = by_cccd[cccd]
            if _key(other) != key:
                _name_conflict(other, r, cccd, named_in_conflict)
                kept.append(r)
                continue
            target = other
        if target is None and _full_birth(r) is not None:
            target = next(
                (q for q in by_birth.get((key, _full_birth(r)), []) if not _conflicts(q, r)),
                None,
            )
        if target is not None:
            _fold(target, r)
            remember(target)
            continue
        born = r.values.get("birth_date")
        alike = (by_year.get((key, born.year)) if born is not None else None) or (
            by_phone.get((key, r.values["phone"])) if r.values.get("phone") else None
        )
        if alike is not None:
            r.issues.append(
                Issue(
                    r.row,
                    FIELD_LABELS["full_name"],
                    r.values["full_name"],
                    f"có thể trùng với dòng {alike.row} ({_why_alike(alike, r)}); đã tính là hai "
                    "người khác nhau. Nếu là một người, hãy xóa một dòng (hoặc ghi đủ ngày sinh, "
                    "số CCCD giống nhau) rồi nhập lại.",
                    error=False,
                )
            )
        remember(r)
        kept.append(r)
    return kept


def _name_conflict(first: PlannedRow, other: PlannedRow, cccd: str, named: set[int]) -> None:
    """Both rows are errors: one CCCD cannot belong to two names."""
    label = FIELD_LABELS["citizen_id"]
    if first.row not in named:
        named.add(first.row)
        first.issues.append(
            Issue(
                first.row,
                label,
                cccd,
                f"cùng số CCCD với dòng {other.row} (“{other.values['full_name']}”) nhưng khác "
                f"họ tên (“{first.values['full_name']}”); một trong hai dòng ghi sai, hãy sửa.",
            )
        )
    other.issues.append(
        Issue(
            other.row,
            label,
            cccd,
            f"cùng số CCCD với dòng {first.row} (“{first.values['full_name']}”) nhưng khác họ "
            f"tên (“{other.values['full_name']}”); một trong hai dòng ghi sai, hãy sửa.",
        )
    )
