"""Learning outcomes: scores, completion overrides, score and online-completion imports,
and the person × topic matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import InvalidValue, UserError
from app.services import access, audit, citizen_id_lookups, imports
from app.services.courses import ACTIVE, get_course
from app.services.import_layout import SkippedRow, sort_rows
from app.services.import_results import spans
from app.services.people import ATTENDED
from app.services.units import unit_scope
from app.vn import dates, names
from models import (
    Attendance,
    Course,
    Enrolment,
    EnrolmentStatus,
    Person,
    SessionTopic,
    TeamMembership,
    Topic,
)
from models import Session as CourseSession
from models.base import utcnow


def _check_score(value: float | None, scale: int, what: str) -> float | None:
    if value is None:
        return None
    if not 0 <= value <= scale:
        raise InvalidValue(f"{what} {value:g} nằm ngoài thang điểm 0–{scale}.")
    return round(float(value), 2)


def set_scores(s: Session, enrolment_id: int, pre: float | None, post: float | None) -> None:
    """Pre- and post-test scores on the course's scale (10 or 100)."""
    access.require_enrolment(s, "scores", enrolment_id)
    e = s.get(Enrolment, enrolment_id)
    if e is None:
        raise UserError("Không có lượt ghi danh này.")
    course = get_course(s, e.course_id)
    new = (
        _check_score(pre, course.score_scale, "Điểm đầu vào"),
        _check_score(post, course.score_scale, "Điểm cuối khóa"),
    )
    before = {"pre_score": e.pre_score, "post_score": e.post_score}
    e.pre_score, e.post_score = new
    after = {"pre_score": e.pre_score, "post_score": e.post_score}
    if before != after:
        s.flush()
        audit.record(s, "scores.set", e, before=before, after=after)


def set_override(s: Session, enrolment_id: int, result: str | None, reason: str | None) -> None:
    """Completed / not completed by hand, whatever the rule says; needs a reason. None clears."""
    access.require_enrolment(s, "scores", enrolment_id)
    e = s.get(Enrolment, enrolment_id)
    if e is None:
        raise UserError("Không có lượt ghi danh này.")
    if result is not None:
        if result not in ("completed", "not_completed"):
            raise InvalidValue("Kết quả phải là hoàn thành hoặc chưa hoàn thành.")
        if not (reason and reason.strip()):
            raise InvalidValue(
                "Hãy ghi lý do khi quyết định kết quả khác với điều kiện của khóa học."
            )
    before = {
        "override": e.completion_override.value if e.completion_override else None,
        "reason": e.override_reason,
    }
    e.completion_override = EnrolmentStatus(result) if result else None
    e.override_reason = names.nfc(reason.strip()) if result and reason else None
    s.flush()
    audit.record(
        s,
        "completion.override",
        e,
        before=before,
        after={"override": result, "reason": e.override_reason},
    )


@dataclass(frozen=True)
class Improvement:
    per_person: dict[int, float]  # enrolment id -> post - pre
    average: float | None


def improvement(s: Session, course_id: int) -> Improvement:
    access.require_course(s, "scores", course_id)
    pairs = s.execute(
        select(Enrolment.id, Enrolment.pre_score, Enrolment.post_score).where(
            Enrolment.course_id == course_id,
            Enrolment.status.in_(ACTIVE),
            Enrolment.pre_score.is_not(None),
            Enrolment.post_score.is_not(None),
        )
    ).all()
    per = {eid: round(post - pre, 2) for eid, pre, post in pairs}
    return Improvement(per, round(sum(per.values()) / len(per), 2) if per else None)


# -- imports of scores and online completions --------------------------------------


@dataclass
class ScoreLine:
    row: int
    name: str
    enrolment_id: int | None = None
    person_id: int | None = None
    pre: float | None = None
    post: float | None = None
    completed_on: date | None = None
    issue: str | None = None


@dataclass
class ScoresPlan:
    file: str
    lines: list[ScoreLine] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)  # headers, headings, signatures
    stt_only: list[int] = field(default_factory=list)

    def notes(self) -> list[str]:
        """The rows that are not people, by row and text: none is left out unseen."""
        out = [f"Không phải người, không nhập: {r.describe()}" for r in self.skipped]
        if self.stt_only:
            out.append(f"Dòng chỉ có STT, chưa điền (không nhập): {spans(self.stt_only)}.")
        return out

    @property
    def unmatched(self) -> list[ScoreLine]:
        return [x for x in self.lines if x.issue]

    def describe_unmatched(self, limit: int = 30) -> str:
        shown = "\n".join(f"Dòng {x.row}: {x.name} – {x.issue}" for x in self.unmatched[:limit])
        more = len(self.unmatched) - limit
        return shown + (f"\n… và {more} dòng khác." if more > 0 else "")


class ScoresUnmatched(UserError):
    pass


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise InvalidValue(f"“{value}” không phải là điểm số.") from None


def _match(
    s: Session, values: dict[str, Any], within: set[int] | None
) -> tuple[Person | None, str | None]:
    """By citizen ID, then phone, then name + birth date (as the people import does)."""
    q = select(Person).where(Person.merged_into_id.is_(None))
    if within is not None:
        q = q.where(Person.id.in_(within))
    if values.get("citizen_id"):
        found = s.scalars(q.where(Person.citizen_id == values["citizen_id"])).all()
        if found:
            return found[0], None
    key = names.search_key(values.get("full_name", ""))
    if values.get("phone"):
        found = s.scalars(q.where(Person.phone == values["phone"])).all()
        same = [p for p in found if p.search_key == key] or (found if len(found) == 1 else [])
        if len(same) == 1:
            return same[0], None
    if values.get("birth_date"):
        found = s.scalars(
            q.where(Person.search_key == key, Person.birth_date == values["birth_date"])
        ).all()
        if len(found) == 1:
            return found[0], None
        if len(found) > 1:
            return None, "nhiều người cùng họ tên và ngày sinh"
    return None, "không khớp ai (theo CCCD, số điện thoại, họ tên + ngày sinh)"


def plan_scores(
    s: Session, course_id: int, path: Path, sheet: str | None = None, online: bool = False
) -> ScoresPlan:
    """Read a scores (or an online platform's completions) file and match each row; writes nothing.

    Scores match people enrolled in the course; online completions match anyone recorded.
    """
    access.require_course(s, "scores", course_id)
    course = get_course(s, course_id)
    _table, guess, rows = imports.read(path, sheet)
    enrolled = {
        pid: eid
        for pid, eid in s.execute(
            select(Enrolment.person_id, Enrolment.id).where(
                Enrolment.course_id == course_id, Enrolment.status != EnrolmentStatus.WITHDRAWN
            )
        )
    }
    fields = set(guess.mapping.values())
    if not online and not fields & {"pre_score", "post_score", "score"}:
        raise imports.SpreadsheetError(
            "Tệp không có cột điểm (“Điểm đầu vào”, “Điểm cuối khóa”, “Điểm”…)."
        )
    plan = ScoresPlan(path.name)
    # Online completions match anyone in the register by citizen ID: for staff, each
    # number is a lookup (recorded, budgeted), and whose it is stays unsaid.
    hide = online and citizen_id_lookups.limited(s) is not None
    tried: list[tuple[int, str, str]] = []
    holders: dict[str, Person] = {}
    found = sort_rows(rows, guess, _table.merged)  # the people import's rules for the rows
    plan.skipped = sorted(found.headers + found.groups + found.footer, key=lambda r: r.row)
    plan.stt_only = found.stt_only
    for number, values in found.people:
        planned = imports._parse_row(number, values, guess)
        name = planned.values.get("full_name", "")
        line = ScoreLine(number, name)
        errors = [i for i in planned.issues if i.error]
        if errors:
            line.issue = errors[0].message
            plan.lines.append(line)
            continue
        raw = {fld: values[col] for col, fld in guess.mapping.items() if col < len(values)}
        try:
            line.pre = _check_score(
                _number(raw.get("pre_score")), course.score_scale, "Điểm đầu vào"
            )
            line.post = _check_score(
                _number(raw.get("post_score", raw.get("score"))),
                course.score_scale,
                "Điểm cuối khóa",
            )
            if raw.get("completion_date") not in (None, ""):
                line.completed_on = dates.parse_date(raw["completion_date"]).value
        except InvalidValue as exc:
            line.issue = exc.message
            plan.lines.append(line)
            continue
        person, why = _match(s, planned.values, None if online else set(enrolled))
        cccd = planned.values.get("citizen_id")
        by_cccd = person is not None and cccd is not None and person.citizen_id == cccd
        if hide and cccd:
            tried.append((number, cccd, name))
            if by_cccd:
                holders[cccd] = person  # type: ignore[assignment]
        if person is None:
            line.issue = why
        else:
            line.person_id = person.id
            line.enrolment_id = enrolled.get(person.id)
            line.name = name if hide and by_cccd else person.full_name
        plan.lines.append(line)
    if tried:  # refused (nothing shown) once the account's guessing is over budget
        citizen_id_lookups.imported(s, f"nhập hoàn thành trực tuyến {path.name}", tried, holders)
    return plan


def apply_scores(
    s: Session,
    course_id: int,
    plan: ScoresPlan,
    skip_unmatched: bool = False,
    online: bool = False,
) -> int:
    """Write the matched rows; with unmatched rows nothing is written unless asked."""
    access.require_course(s, "scores", course_id)
    if plan.unmatched and not skip_unmatched:
        raise ScoresUnmatched(
            f"Không ghi gì: {len(plan.unmatched)} dòng không khớp hoặc có lỗi.\n{plan.describe_unmatched()}\n"
            "Sửa tệp rồi nhập lại, hoặc chọn bỏ qua các dòng này."
        )
    course = get_course(s, course_id)
    written = 0
    for line in plan.lines:
        if line.issue or line.person_id is None:
            continue
        eid = line.enrolment_id
        if eid is None and online:
            e = Enrolment(
                course_id=course_id,
                person_id=line.person_id,
                source="online",
                status=EnrolmentStatus.REGISTERED,
                registered_at=utcnow(),
            )
            s.add(e)
            s.flush()
            audit.record(
                s, "enrolment.create", e, after={"course_id": course_id, "source": "online"}
            )
            eid = e.id
        if eid is None:
            continue
        e = s.get_one(Enrolment, eid)
        set_scores(
            s,
            eid,
            line.pre if line.pre is not None else e.pre_score,
            line.post if line.post is not None else e.post_score,
        )
        if online:
            before = e.status.value
            passed = course.pass_score is None or (
                line.post is not None and line.post >= course.pass_score
            )
            e.status = EnrolmentStatus.COMPLETED if passed else EnrolmentStatus.NOT_COMPLETED
            e.completed_on = (line.completed_on or course.end_date) if passed else None
            s.flush()
            audit.record(
                s,
                "online.completion",
                e,
                before={"status": before},
                after={"status": e.status.value, "completed_on": e.completed_on},
                note=plan.file,
            )
        written += 1
    return written


# -- who has learned what ---------------------------------------------------------


@dataclass(frozen=True)
class TopicMatrix:
    topics: list[tuple[int, str]]
    people: list[tuple[int, str]]
    learned: dict[tuple[int, int], date]  # (person, topic) -> first day learned

    def coverage(self, topic_id: int) -> int:
        return sum(1 for (_p, t) in self.learned if t == topic_id)


def topic_matrix(s: Session, team_id: int | None = None, unit_id: int | None = None) -> TopicMatrix:
    """People of a team (active members) or a unit (old or new) by topics, with dates."""
    access.require(s, "people")
    if (team_id is None) == (unit_id is None):
        raise InvalidValue("Hãy chọn một tổ hoặc một đơn vị hành chính.")
    q = select(Person.id, Person.full_name).where(Person.archived_at.is_(None))
    if team_id is not None:
        q = q.where(
            Person.id.in_(
                select(TeamMembership.person_id).where(
                    TeamMembership.team_id == team_id, TeamMembership.left_on.is_(None)
                )
            )
        )
    else:
        q = q.where(Person.unit_id.in_(sorted(unit_scope(s, unit_id))))  # type: ignore[arg-type]
    people = [(pid, name) for pid, name in s.execute(q.order_by(Person.sort_key, Person.id))]
    topics = [
        (t.id, t.name)
        for t in s.scalars(select(Topic).where(Topic.active.is_(True)).order_by(Topic.sort_order))
    ]
    learned: dict[tuple[int, int], date] = {}
    ids = [pid for pid, _ in people]
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        rows = s.execute(
            select(Enrolment.person_id, SessionTopic.topic_id, func.min(CourseSession.starts_at))
            .join(Attendance, Attendance.enrolment_id == Enrolment.id)
            .join(CourseSession, CourseSession.id == Attendance.session_id)
            .join(SessionTopic, SessionTopic.session_id == CourseSession.id)
            .where(Enrolment.person_id.in_(chunk), Attendance.status.in_(ATTENDED))
            .group_by(Enrolment.person_id, SessionTopic.topic_id)
        )
        for pid, tid, first in rows:
            learned[(pid, tid)] = first.date() if hasattr(first, "date") else first
    # Online completions count as learning the course's planned topics.
    from models import CourseTopic

    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        rows = s.execute(
            select(Enrolment.person_id, CourseTopic.topic_id, func.min(Enrolment.completed_on))
            .join(Course, Course.id == Enrolment.course_id)
            .join(CourseTopic, CourseTopic.course_id == Course.id)
            .where(
                Enrolment.person_id.in_(chunk),
                Course.is_online.is_(True),
                Enrolment.status == EnrolmentStatus.COMPLETED,
            )
            .group_by(Enrolment.person_id, CourseTopic.topic_id)
        )
        for pid, tid, first in rows:
            if first is not None and ((pid, tid) not in learned or first < learned[(pid, tid)]):
                learned[(pid, tid)] = first
    return TopicMatrix(topics, people, learned)


def export_matrix(s: Session, matrix: TopicMatrix, path: Path, title: str) -> int:
    """The matrix to .xlsx (learned cells green with the date) or .csv; recorded."""
    from app.documents.table_export import Column, write_table

    access.require(s, "export")

    columns = [Column("Họ và tên", width=28)] + [
        Column(name, "date", 14) for _, name in matrix.topics
    ]
    rows = (
        [name] + [matrix.learned.get((pid, tid)) for tid, _ in matrix.topics]
        for pid, name in matrix.people
    )
    count = write_table(path, title, columns, rows, fill_dates="C6EFCE")
    audit.disclosed(s, "export.topic_matrix", f"{count} người vào {path.name}")
    return count
