"""Import: write a checked plan in the caller's transaction, all or nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.labels import number
from app.services import access, audit, enrolment
from app.services import import_memo as memo
from app.services.import_insert import insert_people
from app.services.import_results import Enrolled, ImportFailed, ImportPlan, ImportSummary
from models import (
    Course,
    Gender,
    MemberKind,
    Person,
    Team,
    TeamMembership,
    TeamRole,
)
from models.base import utcnow


def _person_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        **memo.stored_fields(values["full_name"]),
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
    }


def apply(
    s: Session,
    plan_: ImportPlan,
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
            f"Không ghi gì: {number(len(plan_.bad_rows))} dòng có lỗi.\n{shown}"
            + (f"\n… và {number(more)} lỗi khác." if more > 0 else "")
            + ("\nĐang nhập chặt chẽ: mỗi cảnh báo được tính là lỗi." if plan_.strict else "")
            + "\nHãy sửa tệp rồi nhập lại, hoặc chọn bỏ qua các dòng lỗi."
        )
    course = _course(s, course_code) if course_code else None
    if course is not None:
        try:
            enrolment.require_open(course)
        except UserError as exc:
            raise ImportFailed(
                f"{exc.message} Không ghi gì: hãy chọn khóa học khác, hoặc nhập danh sách mà "
                "không ghi danh."
            ) from exc
    team = s.get(Team, team_id) if team_id is not None else None
    if team_id is not None and team is None:
        raise ImportFailed(f"Không có tổ mã {team_id}; không ghi gì.")
    actions = actions or {}
    inserted, updated, skipped = 0, 0, 0
    touched: list[tuple[int, int]] = []  # (row of the file, person): enrolled in file order
    new_rows: list[dict[str, Any]] = []
    new_at: list[int] = []
    for r in plan_.rows:
        if not r.ok:
            continue
        action = actions.get(r.row, "update" if r.match_id else "create")
        if action == "skip":
            skipped += 1
            if r.match_id:
                touched.append((r.row, r.match_id))
            continue
        if action == "create" or r.match_id is None:
            if r.values.get("citizen_id") and r.match_reason == "trùng số CCCD":
                holder = "trong sổ (hồ sơ khác)" if r.match_hidden else f"ở “{r.match_name}”"
                raise ImportFailed(
                    f"Dòng {r.row}: số CCCD {r.values['citizen_id']} đã có {holder}; "
                    "không thể thêm hồ sơ mới trùng CCCD. Không ghi gì."
                )
            new_rows.append(_person_values(r.values))
            new_at.append(r.row)
            continue
        person = s.get_one(Person, r.match_id)
        changes = dict(r.fills)
        if overwrite:
            changes.update({f: new for f, (_old, new) in r.differences.items()})
        if "birth_date" in changes:  # a year alone stays marked so, a full date unmarked
            changes["birth_year_only"] = bool(r.values.get("birth_year_only"))
        if changes:
            before = audit.snapshot(person, list(changes))
            for fld, value in changes.items():
                setattr(person, fld, Gender(value) if fld == "gender" and value else value)
            audit.record(
                s,
                "person.import_update",
                person,
                before=before,
                after=audit.snapshot(person, list(changes)),
                note=plan_.file,
            )
            updated += 1
        else:
            skipped += 1
        touched.append((r.row, person.id))
    if new_rows:
        s.flush()  # the matched people's updates first, as an ORM insert would autoflush
        new_ids = insert_people(s, new_rows, at=utcnow(), note=plan_.file)
        inserted = len(new_ids)
        touched.extend(zip(new_at, new_ids, strict=True))
    s.flush()
    people = [pid for _row, pid in sorted(touched)]
    enrolled = None
    if course is not None:
        result = enrolment.enrol(s, course.id, people, source="import")
        enrolled = Enrolled(course.code, result)
    added = _add_to_team(s, team, people) if team else 0
    return ImportSummary(
        inserted,
        updated,
        skipped,
        len(plan_.bad_rows),
        plan_.folded,
        enrolled.result.registered if enrolled else 0,
        added,
        tuple(plan_.errors),
        tuple(plan_.warnings),
        plan_.rows_in_sheet,
        plan_.head_rows,
        plan_.blank_rows,
        plan_.footer_rows,
        errors_skipped=bool(plan_.bad_rows),
        stt_only_rows=len(plan_.stt_only),
        group_rows=len(plan_.groups),
        notes=tuple(plan_.notes()),
        enrolment=enrolled,
    )


def _course(s: Session, code: str) -> Course:
    course = s.scalar(select(Course).where(Course.code == code.strip()))
    if course is None:
        raise ImportFailed(f"Không có khóa học mã “{code}”; không ghi gì.")
    return course


def _add_to_team(s: Session, team: Team, person_ids: list[int]) -> int:
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
        audit.record(s, "team.add_member", m, after={"team_id": team.id, "person_id": pid})
    return len(todo)
