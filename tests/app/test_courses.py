"""Courses, sessions, clashes, enrolment and the completion rule."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import InvalidValue, UserError
from app.services import courses, enrolment, scheduling
from app.services.courses import CourseForm, NeedsConfirmation
from app.services.scheduling import ClashesFound, SeriesPattern, SessionForm
from models import Attendance, AttendanceStatus, AuditEntry, Course, Enrolment, Person, Venue
from models import Session as CourseSession
from tests.app import world

MON, TUE, WED, THU, FRI = range(5)


def form(
    code: str = "TH-2026-101", start: date = date(2026, 3, 2), end: date = date(2026, 3, 31), **kw
) -> CourseForm:  # type: ignore[no-untyped-def]
    return CourseForm(
        code=code,
        title="Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng",
        start_date=start,
        end_date=end,
        **kw,
    )


def count(db: Database, model: type) -> int:
    with db.transaction(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def setup(db: Database):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        hall = Venue(name="Hội trường UBND xã Đại Điền", capacity=2)
        s.add(hall)
        s.flush()
        trainer = world.person(s, "Phạm Quốc Khánh", is_trainer=True)
        learners = [world.person(s, n) for n in ("Nguyễn Thị Hà", "Trần Văn Bình", "Lê Văn An")]
        c1 = courses.create(s, form(capacity=2))
        c2 = courses.create(s, form("TH-2026-102"))
    return db, hall.id, trainer, learners, c1.id, c2.id


def test_course_rules_and_messages(db: Database) -> None:
    with db.transaction() as s:
        assert courses.suggest_code(s, 2026) == "TH-2026-001"
        courses.create(s, form("TH-2026-001"))
        assert courses.suggest_code(s, 2026) == "TH-2026-002"
    for bad, fragment in [
        (form("TH-2026-001"), "đã có; hãy dùng mã khác (gợi ý: TH-2026-002)"),
        (
            form("TH-2026-009", start=date(2026, 3, 31), end=date(2026, 3, 2)),
            "Ngày kết thúc 02/03/2026 trước ngày bắt đầu 31/03/2026",
        ),
        (form("TH 2026"), "chỉ gồm chữ không dấu"),
        (form("TH-2026-010", pass_score=12.0), "Điểm đạt phải từ 0 đến 10"),
    ]:
        with pytest.raises(InvalidValue) as err, db.transaction() as s:
            courses.create(s, bad)
        assert fragment in str(err.value)
    assert count(db, Course) == 1


def test_capacity_waitlist_and_promotion(setup) -> None:  # type: ignore[no-untyped-def]
    db, _hall, _trainer, learners, c1, _c2 = setup
    with db.transaction() as s:
        result = enrolment.enrol(s, c1, learners)
    assert (result.registered, result.waitlisted) == (2, 1)
    with db.transaction(readonly=True) as s:
        statuses = {r.full_name: r.status for r in enrolment.roster(s, c1)}
        assert statuses == {
            "Nguyễn Thị Hà": "registered",
            "Trần Văn Bình": "registered",
            "Lê Văn An": "waitlisted",
        }
        first = next(r for r in enrolment.roster(s, c1) if r.full_name == "Nguyễn Thị Hà")
    with db.transaction() as s:
        assert enrolment.withdraw(s, first.id, "bận việc") == "Lê Văn An"
    with db.transaction(readonly=True) as s:
        assert {r.full_name: r.status for r in enrolment.roster(s, c1)}["Lê Văn An"] == "registered"
        actions = set(s.scalars(select(AuditEntry.action)))
        assert {"enrolment.withdraw", "enrolment.promote"} <= actions
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        f, version, _ = courses.form_of(s, c1)
        courses.update(s, c1, CourseForm(**{**f.__dict__, "capacity": 1}), version)
    assert "Sĩ số tối đa 1 nhỏ hơn số đã ghi danh (2)" in str(err.value)


def test_clashes_listed_together_and_nothing_saved(setup) -> None:  # type: ignore[no-untyped-def]
    db, hall, trainer, learners, c1, c2 = setup
    with db.transaction() as s:
        enrolment.enrol(s, c1, learners[:2])
        enrolment.enrol(s, c2, learners[:1])
        scheduling.add_session(
            s,
            c2,
            SessionForm(date(2026, 3, 3), time(7, 30), time(11, 0), hall, trainer_ids=(trainer,)),
        )
    clash = SessionForm(date(2026, 3, 3), time(9, 0), time(11, 30), hall, trainer_ids=(trainer,))
    with pytest.raises(ClashesFound) as err, db.transaction() as s:
        scheduling.add_session(s, c1, clash)
    kinds = [c.kind for c in err.value.clashes]
    assert kinds == ["trainer", "venue", "people"]
    text = str(err.value)
    assert (
        "Giảng viên Phạm Quốc Khánh đã dạy khóa TH-2026-102 lúc 07:30–11:00 ngày 03/03/2026" in text
    )
    assert "1 học viên của khóa này (ví dụ Nguyễn Thị Hà) cũng học khóa TH-2026-102" in text
    assert count(db, CourseSession) == 1
    with db.transaction() as s:
        row = scheduling.add_session(s, c1, clash, override_reason="Giảng viên dạy ghép hai lớp")
    assert row.override_reason.startswith("Giảng viên dạy ghép hai lớp [chấp nhận:")


def test_holiday_outside_dates_and_seats(setup) -> None:  # type: ignore[no-untyped-def]
    db, hall, _trainer, learners, c1, _c2 = setup
    with db.transaction() as s:
        f, version, _ = courses.form_of(s, c1)
        courses.update(
            s,
            c1,
            CourseForm(
                **{
                    **f.__dict__,
                    "capacity": 5,
                    "start_date": date(2026, 4, 1),
                    "end_date": date(2026, 4, 30),
                }
            ),
            version,
        )
        enrolment.enrol(s, c1, learners)
    with pytest.raises(ClashesFound) as err, db.transaction() as s:
        scheduling.add_session(
            s, c1, SessionForm(date(2026, 4, 30), time(7, 30), time(11, 0), hall)
        )
    messages = [c.message for c in err.value.clashes]
    assert messages == [
        "Ngày 30/04/2026 là ngày nghỉ lễ (Ngày Giải phóng miền Nam, thống nhất đất nước): hội trường, cơ quan đóng cửa.",
        "Hội trường UBND xã Đại Điền có 2 chỗ, khóa học có 3 người ghi danh.",
    ]
    with pytest.raises(ClashesFound) as err, db.transaction() as s:
        scheduling.add_session(s, c1, SessionForm(date(2026, 5, 4), time(7, 30), time(11, 0)))
    assert "nằm ngoài thời gian khóa học (01/04/2026–30/04/2026)" in str(err.value)
    with pytest.raises(InvalidValue) as err2, db.transaction() as s:
        scheduling.add_session(s, c1, SessionForm(date(2026, 4, 6), time(11, 0), time(7, 30)))
    assert "Giờ kết thúc 07:30 phải sau giờ bắt đầu 11:00" in str(err2.value)
    assert count(db, CourseSession) == 0


def test_series_skips_holidays_and_says_which(setup) -> None:  # type: ignore[no-untyped-def]
    db, _hall, _trainer, _learners, _c1, _c2 = setup
    with db.transaction() as s:
        c = courses.create(s, form("TH-2026-201", date(2026, 4, 20), date(2026, 5, 31)))
        template = SessionForm(date(2026, 4, 20), time(13, 30), time(16, 30))
        result = scheduling.add_series(
            s, c.id, SeriesPattern(frozenset({THU, FRI}), date(2026, 4, 23), count=4), template
        )
    assert [x.starts_at.date() for x in result.sessions] == [
        date(2026, 4, 23),
        date(2026, 4, 24),
        date(2026, 5, 7),
        date(2026, 5, 8),
    ]
    assert result.skipped == [
        (date(2026, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
        (date(2026, 5, 1), "Ngày Quốc tế Lao động"),
    ]
    assert "Bỏ qua ngày lễ: 30/04/2026" in result.describe()


def test_series_with_no_date_is_refused(setup) -> None:  # type: ignore[no-untyped-def]
    _db, *_ = setup
    with pytest.raises(InvalidValue) as err:
        scheduling.series_dates(
            SeriesPattern(frozenset({MON}), date(2026, 4, 28), until=date(2026, 5, 3))
        )
    assert "Chuỗi buổi học không có ngày nào (Thứ Hai, từ 28/04/2026 đến 03/05/2026)" in str(
        err.value
    )
    with pytest.raises(InvalidValue) as err:
        scheduling.series_dates(
            SeriesPattern(frozenset({MON}), date(2026, 5, 3), until=date(2026, 4, 3))
        )
    assert "trước ngày bắt đầu" in str(err.value)


def test_series_with_a_clash_saves_none(setup) -> None:  # type: ignore[no-untyped-def]
    db, hall, _trainer, _learners, c1, c2 = setup
    with db.transaction() as s:
        scheduling.add_session(
            s, c2, SessionForm(date(2026, 3, 11), time(7, 30), time(11, 0), hall)
        )
    with pytest.raises(ClashesFound), db.transaction() as s:
        scheduling.add_series(
            s,
            c1,
            SeriesPattern(frozenset({MON, WED}), date(2026, 3, 2), count=4),
            SessionForm(date(2026, 3, 2), time(8, 0), time(10, 0), hall),
        )
    assert count(db, CourseSession) == 1


def test_move_copy_and_delete_sessions(setup) -> None:  # type: ignore[no-untyped-def]
    db, hall, _trainer, learners, c1, _c2 = setup
    with db.transaction() as s:
        x = scheduling.add_session(
            s, c1, SessionForm(date(2026, 3, 2), time(7, 30), time(11, 0), hall)
        )
        moved = scheduling.move_session(s, x.id, datetime(2026, 3, 4, 13, 30))
        assert (moved.starts_at, moved.ends_at) == (
            datetime(2026, 3, 4, 13, 30),
            datetime(2026, 3, 4, 17, 0),
        )
        copy = scheduling.copy_session(s, x.id, date(2026, 3, 6))
        assert copy.venue_id == hall and copy.id != x.id
        enrolment.enrol(s, c1, learners[:1])
        e = s.scalars(select(Enrolment)).first()
        s.add(Attendance(session_id=x.id, enrolment_id=e.id, status=AttendanceStatus.PRESENT))
    with pytest.raises(UserError) as err, db.transaction() as s:
        scheduling.delete_session(s, x.id)
    assert "đã có điểm danh nên không xóa được" in str(err.value)
    with db.transaction() as s:
        scheduling.delete_session(s, copy.id)
    assert count(db, CourseSession) == 1


def test_workflow_delete_cancel_duplicate(setup) -> None:  # type: ignore[no-untyped-def]
    db, hall, trainer, learners, c1, c2 = setup
    with db.transaction() as s:
        courses.set_status(s, c1, "planned")
        with pytest.raises(InvalidValue) as finishing:
            courses.set_status(s, c1, "finished")
        # Only enrolment.finish ends a course: it decides the results, a status change cannot.
        assert "bằng “Kết thúc và xét kết quả…” (dòng lệnh: course finish" in str(finishing.value)
        x = scheduling.add_session(
            s,
            c1,
            SessionForm(date(2026, 3, 2), time(7, 30), time(11, 0), hall, trainer_ids=(trainer,)),
        )
        enrolment.enrol(s, c1, learners[:1])
        e = s.scalars(select(Enrolment).where(Enrolment.course_id == c1)).one()
        s.add(Attendance(session_id=x.id, enrolment_id=e.id, status=AttendanceStatus.PRESENT))
    with pytest.raises(UserError) as err, db.transaction() as s:
        courses.delete_course(s, c1)
    assert "đã có điểm danh nên không xóa được; hãy hủy khóa học" in str(err.value)
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        courses.set_status(s, c1, "cancelled")
    assert "Hãy ghi lý do hủy" in str(err.value)
    with db.transaction() as s:
        courses.set_status(s, c1, "cancelled", reason="Trùng lịch họp của tỉnh")
        copy = courses.duplicate(s, c1, date(2027, 3, 1))
        assert copy.code == "TH-2027-001" and copy.status == "draft" and copy.enrolled == 0
        (cs,) = scheduling.course_sessions(s, copy.id)
        assert (cs.starts_at, cs.trainer_ids) == (datetime(2027, 3, 1, 7, 30), (trainer,))
        courses.delete_course(s, c2)
    with db.transaction(readonly=True) as s:
        assert s.get_one(Course, c1).cancelled_reason == "Trùng lịch họp của tỉnh"
        assert s.scalar(select(func.count()).select_from(Attendance)) == 1


def test_finish_by_the_rule_with_override_and_confirmation(setup) -> None:  # type: ignore[no-untyped-def]
    db, _hall, _trainer, learners, c1, _c2 = setup
    with db.transaction() as s:
        f, version, _ = courses.form_of(s, c1)
        courses.update(s, c1, CourseForm(**{**f.__dict__, "capacity": None}), version)
        sessions = [
            scheduling.add_session(
                s, c1, SessionForm(date(2026, 3, d), time(7, 30), time(11, 0))
            ).id
            for d in (2, 3, 4, 5, 6)
        ]
        enrolment.enrol(s, c1, learners)
        rows = {r.full_name: r.id for r in enrolment.roster(s, c1)}
        marks = {"Nguyễn Thị Hà": "PPPPA", "Trần Văn Bình": "PPPAA", "Lê Văn An": "PPPPP"}
        scores = {"Nguyễn Thị Hà": 8.0, "Trần Văn Bình": 9.0, "Lê Văn An": 4.0}
        for name, pattern in marks.items():
            e = s.get_one(Enrolment, rows[name])
            e.post_score = scores[name]
            for sid, m in zip(sessions[:4], pattern, strict=False):
                s.add(
                    Attendance(
                        session_id=sid,
                        enrolment_id=e.id,
                        status=AttendanceStatus.PRESENT if m == "P" else AttendanceStatus.ABSENT,
                    )
                )
        lai = s.get_one(Enrolment, rows["Lê Văn An"])
        lai.completion_override, lai.override_reason = "completed", "Thi lại đạt 7 điểm"
    with pytest.raises(NeedsConfirmation) as err, db.transaction() as s:
        enrolment.finish(s, c1)
    assert "1 buổi chưa điểm danh (06/03/2026)" in str(err.value)
    with db.transaction() as s:
        result = enrolment.finish(s, c1, confirm=True)
    assert (result.completed, result.not_completed) == (2, 1)
    with db.transaction(readonly=True) as s:
        status = {r.full_name: r.status for r in enrolment.roster(s, c1)}
        # Hà: 4/5 = 80 % and 8 points; Bình: 3/5 = 60 %; An: 4 points but overridden.
        assert status == {
            "Nguyễn Thị Hà": "completed",
            "Trần Văn Bình": "not_completed",
            "Lê Văn An": "completed",
        }
        assert courses.row(s, c1).status == "finished"


def test_walk_in_needs_only_a_name_and_phone(setup) -> None:  # type: ignore[no-untyped-def]
    db, *_rest, c1, _c2 = setup
    with db.transaction() as s:
        row = enrolment.walk_in(s, c1, "võ  thị mỹ", "0939 222 333")
    assert (row.full_name, row.phone, row.source) == ("Võ Thị Mỹ", "0939222333", "walk-in")
    with pytest.raises(InvalidValue), db.transaction() as s:
        enrolment.walk_in(s, c1, "", "0939222333")
    with db.transaction(readonly=True) as s:
        assert (
            s.scalar(
                select(func.count()).select_from(Person).where(Person.full_name == "Võ Thị Mỹ")
            )
            == 1
        )
