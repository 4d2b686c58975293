"""The training facts stay equal to a recount of the marks after every service that
changes marks, enrolments, sessions or people (app.facts)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import facts
from app.db import Database
from app.services import (
    attendance,
    courses,
    enrolment,
    merges,
    outcomes,
    person_edit,
    reports,
    scheduling,
)
from app.services.reports import ReportFilter
from models import (
    ALL_TOPICS,
    AttendanceStatus,
    Course,
    CourseStatus,
    Person,
    SessionFact,
    SessionMode,
    Topic,
    TrainingFact,
)
from tests.app import sheets, world

P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT


def stored(s) -> set[tuple]:  # type: ignore[no-untyped-def]
    return {tuple(r) for r in s.execute(select(*TrainingFact.__table__.c))}


def recounted(s) -> set[tuple]:  # type: ignore[no-untyped-def]
    return {tuple(r) for r in s.execute(facts.facts_of(facts.marks()))}


def agree(db: Database) -> set[tuple]:
    """The facts as a recount of the marks gives them (and `check` finds no difference):
    (person_id, month, mode, topic_id, sessions), their previous months checked too."""
    with db.transaction(readonly=True) as s:
        rows = stored(s)
        assert rows == recounted(s)
        sessions = {tuple(r) for r in s.execute(select(*SessionFact.__table__.c))}
        assert sessions == {tuple(r) for r in s.execute(facts.session_counts())}
        assert facts.differences(s) == 0
    return {r[:5] for r in rows}


def person_rows(rows: set[tuple], person_id: int) -> set[tuple]:
    return {r[1:] for r in rows if r[0] == person_id}


@pytest.fixture
def klass(db: Database):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        w = world.build(s)
        s.get_one(Course, w.course).status = CourseStatus.OPEN
        ids = {
            n: world.person(s, full, birth_date=date(1980 + i, 1, 1))
            for i, (n, full) in enumerate(
                (("ha", "Nguyễn Thị Hà"), ("binh", "Trần Văn Bình"), ("an", "Lê Văn An"))
            )
        }
        enr = {n: world.enrol(s, w, pid, []) for n, pid in ids.items()}
        codes = {n: s.get_one(Person, pid).checkin_code for n, pid in ids.items()}
    return db, w, ids, enr, codes


def _online_course(db: Database) -> int:
    with db.transaction() as s:
        c = Course(code="OT-2025-001", title="Kỹ năng số cơ bản (OneTouch)",
                   organiser="Cục Chuyển đổi số quốc gia", start_date=date(2025, 1, 1),
                   end_date=date(2025, 12, 31), is_online=True, pass_score=5)  # fmt: skip
        s.add(c)
        s.flush()
        return c.id


def test_every_writer_keeps_the_facts_equal_to_a_recount(klass, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, w, ids, enr, codes = klass
    s1, s2, s3 = w.sessions  # 4, 5 and 6 March 2024; s1 carries the topic
    assert agree(db) == set()

    with db.transaction() as s:  # one mark
        attendance.mark(s, w.course, s1, enr["ha"], "present")
    rows = agree(db)
    assert person_rows(rows, ids["ha"]) == {
        (202403, "in_person", ALL_TOPICS, 1),
        (202403, "in_person", w.topic, 1),
    }

    with db.transaction() as s:  # the whole class
        assert attendance.mark_all_present(s, w.course, s2) == 3
    assert len(person_rows(agree(db), ids["an"])) == 1

    with db.transaction() as s:  # scanned codes: present, then late
        attendance.check_in(s, w.course, s1, codes["binh"], at=datetime(2024, 3, 4, 7, 31))
        attendance.check_in(s, w.course, s3, codes["an"], at=datetime(2024, 3, 6, 8, 30))
    assert (202403, "in_person", ALL_TOPICS, 2) in person_rows(agree(db), ids["an"])

    with db.transaction() as s:  # a mark changed to absent, another cleared
        attendance.mark(s, w.course, s2, enr["an"], "absent")
        attendance.mark(s, w.course, s1, enr["ha"], None)
    rows = agree(db)
    assert person_rows(rows, ids["ha"]) == {(202403, "in_person", ALL_TOPICS, 1)}

    with db.transaction() as s:  # a session moved to April and held online
        form, version, _ = scheduling.form_of(s, s2)
        moved = replace(form, day=date(2024, 4, 2), mode=SessionMode.ONLINE.value,
                        online_link="https://meet.example.vn/th")  # fmt: skip
        scheduling.update_session(s, s2, moved, version, "Học bù")
    rows = agree(db)
    assert (202404, "online", ALL_TOPICS, 1) in person_rows(rows, ids["ha"])

    with db.transaction() as s:  # the topic taken off s1, another put on s3
        other = Topic(code="QR", name="Thanh toán không dùng tiền mặt")
        s.add(other)
        s.flush()
        for session_id, topics in ((s1, ()), (s3, (other.id,))):
            form, version, _ = scheduling.form_of(s, session_id)
            scheduling.update_session(s, session_id, replace(form, topic_ids=topics), version)
        other_id = other.id
    rows = agree(db)
    assert not any(r[3] == w.topic for r in rows)
    assert (ids["an"], 202403, "in_person", other_id, 1) in rows

    with db.transaction() as s:  # moved by the calendar's drag
        scheduling.move_session(s, s3, datetime(2024, 5, 7, 7, 30), "Học bù")
    assert (ids["an"], 202405, "in_person", ALL_TOPICS, 1) in agree(db)

    with db.transaction() as s:  # scores and the course's end do not change the facts
        outcomes.set_scores(s, enr["ha"], 5, 8)
        enrolment.finish(s, w.course, confirm=True)
    agree(db)

    online_course = _online_course(db)  # completions imported: enrolments, no marks
    scores = sheets.simple_workbook(
        tmp_path / "onetouch.xlsx",
        ["Họ tên", "Ngày sinh", "Ngày hoàn thành", "Điểm"],
        [["Nguyễn Thị Hà", "01/01/1980", "12/05/2025", 9]],
    )
    with db.transaction() as s:
        plan = outcomes.plan_scores(s, online_course, scores, online=True)
        assert outcomes.apply_scores(s, online_course, plan, online=True) == 1
    agree(db)

    with db.transaction() as s:  # a walk-in scanned at a session of a new course
        c = world.course(s, "TH-2025-002", date(2025, 6, 2), date(2025, 6, 2), CourseStatus.OPEN)
        cs = world.session(s, c, datetime(2025, 6, 2, 7, 30))
        attendance.add_walk_in_from_scan(s, c, ids["ha"])
        attendance.check_in(s, c, cs, codes["ha"], at=datetime(2025, 6, 2, 7, 31))
        enrolment.enrol(s, c, [ids["binh"]])
        binh = s.scalars(select(enrolment.Enrolment.id).where(
            enrolment.Enrolment.course_id == c, enrolment.Enrolment.person_id == ids["binh"]
        )).one()  # fmt: skip
        attendance.mark(s, c, cs, binh, "late")
    rows = agree(db)
    assert (ids["ha"], 202506, "in_person", ALL_TOPICS, 1) in rows

    with db.transaction() as s:  # withdrawn: the marks stay and still count
        enrolment.withdraw(s, binh, "Chuyển công tác")
    assert (ids["binh"], 202506, "in_person", ALL_TOPICS, 1) in agree(db)

    with db.transaction() as s:  # Bình's record merged into Hà's: his marks are hers now
        merges.merge(s, ids["ha"], ids["binh"])
    rows = agree(db)  # his scan of 4 March moved to her; a session both came to stays his
    assert (ids["ha"], 202403, "in_person", ALL_TOPICS, 1) in rows
    assert (202403, "in_person", ALL_TOPICS, 1) not in person_rows(rows, ids["binh"])

    with db.transaction() as s:  # and undone
        merges.undo_last(s)
    rows = agree(db)
    assert (ids["binh"], 202506, "in_person", ALL_TOPICS, 1) in rows

    with db.transaction() as s:  # erased on request: the marks still count, no one's
        person_edit.erase(s, ids["an"], "Theo yêu cầu của người học")
    assert person_rows(agree(db), ids["an"])

    with db.transaction() as s:  # a course cancelled, a session without marks deleted
        c3 = world.course(s, "TH-2026-003", date(2026, 1, 5), date(2026, 1, 6))
        empty = world.session(s, c3, datetime(2026, 1, 5, 7, 30))
        courses.set_status(s, c3, "cancelled", "Thiếu kinh phí")
        scheduling.delete_session(s, empty)
        courses.delete_course(s, c3)
    agree(db)

    with db.transaction() as s:  # a person with no history deleted
        gone = world.person(s, "Đỗ Văn Em")
    with db.transaction() as s:
        assert person_edit.delete_or_archive(s, gone) == "deleted"
    agree(db)


def test_a_rollback_leaves_the_facts_as_they_were(klass) -> None:  # type: ignore[no-untyped-def]
    db, w, _ids, enr, _codes = klass
    with db.transaction() as s:
        attendance.mark(s, w.course, w.sessions[0], enr["ha"], "present")
    before = agree(db)
    with pytest.raises(RuntimeError), db.transaction() as s:
        attendance.mark_all_present(s, w.course, w.sessions[1])
        raise RuntimeError("Hủy")
    assert agree(db) == before


def test_rebuild_repairs_and_differences_count_the_wrong_rows(klass) -> None:  # type: ignore[no-untyped-def]
    db, w, ids, enr, _codes = klass
    with db.transaction() as s:
        attendance.mark_all_present(s, w.course, w.sessions[0])
    good = agree(db)
    with db.transaction() as s:  # damaged behind the program's back
        s.execute(TrainingFact.__table__.delete().where(TrainingFact.person_id == ids["ha"]))
        s.execute(TrainingFact.__table__.update().values(sessions=9))
    with db.transaction(readonly=True) as s:
        assert facts.differences(s) == len(good) * 2 - 2  # 2 of Hà missing; the rest wrong
    with db.transaction() as s:
        assert facts.rebuild(s) == len(good)
    assert agree(db) == good


def test_partial_months_are_counted_from_the_marks(klass) -> None:  # type: ignore[no-untyped-def]
    """A period that starts or ends inside a month counts only that month's days."""
    db, w, ids, enr, _codes = klass
    with db.transaction() as s:
        attendance.mark(s, w.course, w.sessions[0], enr["ha"], "present")  # 4 March
        attendance.mark(s, w.course, w.sessions[2], enr["binh"], "late")  # 6 March
    with db.transaction(readonly=True) as s:

        def trained(start: date, end: date) -> int:
            return reports.summary(s, ReportFilter(start, end)).total.people_trained

        assert trained(date(2024, 3, 1), date(2024, 3, 31)) == 2
        assert trained(date(2024, 3, 5), date(2024, 12, 31)) == 1
        assert trained(date(2024, 1, 1), date(2024, 3, 5)) == 1
        assert trained(date(2024, 3, 5), date(2024, 3, 5)) == 0
        assert trained(date(2024, 2, 5), date(2024, 3, 4)) == 1
        assert trained(date(2023, 1, 1), date(2024, 2, 29)) == 0
        topics = reports.by_topic(s, ReportFilter(date(2024, 3, 4), date(2024, 3, 4)))
        assert [(t.key, t.count) for t in topics] == [(w.topic, 1)]
        months = reports.per_month(s, ReportFilter(date(2024, 3, 6), date(2024, 4, 30)))
        assert [(m.key, m.count) for m in months] == [("2024-03", 1), ("2024-04", 0)]


def test_the_upgrade_fills_the_facts_from_the_marks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A database of revision 0012 with marks gets its facts at the upgrade to 0013."""

    db = world.database_at(str(tmp_path / "old.db"), "0012")
    with db.engine.begin() as conn:  # marks written before the facts existed
        s = Session(bind=conn)
        w = world.build(s)
        ha = _person(s)
        world.enrol(s, w, ha, [P, L, A])
        assert recounted(s)
    db.upgrade()
    rows = agree(db)
    assert (ha, 202403, "in_person", ALL_TOPICS, 2) in rows
    assert (ha, 202403, "in_person", w.topic, 1) in rows
    db.close()


def _person(s) -> int:  # type: ignore[no-untyped-def]
    p = Person(full_name="Nguyễn Thị Hà", family_name="Nguyễn", middle_name="Thị",
               given_name="Hà", sort_key="ha", search_key="nguyen thi ha")  # fmt: skip
    s.add(p)
    s.flush()
    return p.id


def test_two_desks_marking_one_persons_month_at_once_on_postgresql(db: Database) -> None:
    """Desk A has recounted Hà's March and not yet committed when desk B marks her at
    another March session: B waits for A's lock, then recounts with both marks."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time")
    import threading
    import time

    from models import Attendance, Enrolment

    with db.transaction() as s:
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà")
        e = world.enrol(s, w, ha, [])
    finished: list[BaseException | None] = []

    def desk_b() -> None:
        try:
            with db.transaction() as s:
                s.add(Attendance(session_id=w.sessions[1], enrolment_id=e, status=P))
            finished.append(None)
        except BaseException as exc:  # reported by the main thread
            finished.append(exc)

    b = threading.Thread(target=desk_b)
    with db.transaction() as s:
        s.add(Attendance(session_id=w.sessions[0], enrolment_id=e, status=L))
        s.flush()
        facts.refresh(s, [ha])  # A holds Hà's row lock until it commits
        b.start()
        time.sleep(1.5)
        assert b.is_alive(), "desk B did not wait for desk A's recount"
    b.join(30)
    assert finished == [None]
    rows = agree(db)
    assert (ha, 202403, "in_person", ALL_TOPICS, 2) in rows
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(Enrolment.person_id).where(Enrolment.id == e)) == ha
