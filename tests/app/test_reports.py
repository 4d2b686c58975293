"""Report figures: each one SQL aggregate, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.db import Database
from app.services import reports
from app.services.reports import Figures, ReportFilter
from models import (
    AttendanceStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    SessionMode,
    Team,
    TeamMembership,
    UnitLevel,
)
from models import Session as CourseSession
from tests.app import world

P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT
YEAR_2024 = ReportFilter(date(2024, 1, 1), date(2024, 12, 31))


def build(db: Database) -> world.World:
    """Four people in a three-session course (the last session online): Hà and Bình live
    in the old commune's hamlet, An in the new commune, Cúc nowhere known; Cúc never
    came. Hà and An are team members; Hà completed the course."""
    with db.transaction() as s:
        w = world.build(s)
        s.get_one(CourseSession, w.sessions[2]).mode = SessionMode.ONLINE
        ha = world.person(s, "Nguyễn Thị Hà", unit_id=w.hamlet)
        binh = world.person(s, "Trần Văn Bình", unit_id=w.hamlet)
        an = world.person(s, "Lê Văn An", unit_id=w.new_commune)
        cuc = world.person(s, "Võ Thị Cúc")
        e_ha = world.enrol(s, w, ha, [P, P, L], pre=4, post=9)
        world.enrol(s, w, binh, [P, A, A])
        e_an = world.enrol(s, w, an, [A, A, P])
        world.enrol(s, w, cuc, [A, A, A])
        s.get_one(Enrolment, e_ha).status = EnrolmentStatus.COMPLETED
        s.get_one(Enrolment, e_an).status = EnrolmentStatus.NOT_COMPLETED
        world.member(s, w, ha)
        hamlet_team = Team(name="Tổ ấp Thạnh Hòa", level=UnitLevel.HAMLET, unit_id=w.hamlet)
        s.add(hamlet_team)
        s.flush()
        for pid in (an, cuc):
            s.add(
                TeamMembership(team_id=hamlet_team.id, person_id=pid, role="member", kind="other")
            )
        leaver = TeamMembership(
            team_id=hamlet_team.id, person_id=binh, role="member", kind="other",
            left_on=date(2024, 2, 1),
        )  # fmt: skip
        s.add(leaver)
    return w


def test_summary_splits_in_person_and_online(db: Database) -> None:
    build(db)
    with db.transaction(readonly=True) as s:
        got = reports.summary(s, YEAR_2024)
    # 12 marks, 5 present or late: sessions 1–2 in person (8 marks, 3 present: Hà twice,
    # Bình once), session 3 online (4 marks: Hà late, An present). Of the two with a
    # result, Hà completed; the course itself is not online.
    assert got.total == Figures(3, 1, 3, 41.7, 50.0, 0)
    assert got.by_mode["in_person"] == Figures(2, 1, 2, 37.5, 50.0, 0)
    assert got.by_mode["online"] == Figures(2, 1, 1, 50.0, None, 0)
    with db.transaction(readonly=True) as s:
        courses = reports.per_course(s, YEAR_2024)
    assert [(c.code, c.mode, c.sessions, c.present, c.marked) for c in courses] == [
        ("TH-2024-001", "in_person", 2, 3, 8),
        ("TH-2024-001", "online", 1, 2, 4),
    ]
    assert courses[0].attendance_rate == 37.5
    with db.transaction(readonly=True) as s:
        empty = reports.summary(s, ReportFilter(date(2025, 1, 1), date(2025, 12, 31)))
    assert empty.total == Figures(0, 0, 0, None, None, 0)


def test_unit_filter_and_roll_up_to_the_new_commune(db: Database) -> None:
    w = build(db)
    old = ReportFilter(YEAR_2024.start, YEAR_2024.end, unit_id=w.old_commune)
    new = ReportFilter(YEAR_2024.start, YEAR_2024.end, unit_id=w.new_commune)
    rolled = ReportFilter(YEAR_2024.start, YEAR_2024.end, unit_id=w.new_commune, roll_up=True)
    with db.transaction(readonly=True) as s:
        assert reports.summary(s, old).total.people_trained == 2  # Hà, Bình (in the hamlet)
        assert reports.summary(s, new).total.people_trained == 1  # An
        assert reports.summary(s, rolled).total.people_trained == 3
        # Two unit scopes in one statement (the members and the trained): Hà only, as
        # An and Cúc of the hamlet team live elsewhere.
        got = [(c.level, c.members, c.trained) for c in reports.coverage(s, old)]
        assert got == [("commune", 1, 1)]
        plain = reports.by_commune(s, YEAR_2024)
        merged = reports.by_commune(s, ReportFilter(YEAR_2024.start, YEAR_2024.end, roll_up=True))
    assert [(r.label, r.count) for r in plain] == [("Xã Tân Phong", 2), ("Xã Đại Điền", 1)]
    assert [(r.key, r.label, r.count) for r in merged] == [(w.new_commune, "Xã Đại Điền", 3)]


def test_months_topics_and_team_coverage(db: Database) -> None:
    w = build(db)
    with db.transaction() as s:  # a second month: Cúc comes to a session in April
        cs = CourseSession(
            course_id=w.course,
            starts_at=datetime(2024, 4, 2, 7, 30),
            ends_at=datetime(2024, 4, 2, 11, 0),
        )
        s.add(cs)
        s.flush()
        cuc_enrolment = s.query(Enrolment).order_by(Enrolment.id.desc()).first()
        from models import Attendance

        s.add(Attendance(session_id=cs.id, enrolment_id=cuc_enrolment.id, status=P))
    with db.transaction(readonly=True) as s:
        months = reports.per_month(s, YEAR_2024)
        topics = reports.by_topic(s, YEAR_2024)
        cover = reports.coverage(s, YEAR_2024)
    # Every month of the year is there, those without anyone trained as 0.
    assert [r.label for r in months] == [f"{m:02d}/2024" for m in range(1, 13)]
    assert [r.count for r in months] == [0, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert [(r.label, r.count) for r in topics] == [("Ứng dụng VNeID và định danh điện tử", 2)]
    # Commune team: Hà (trained). Hamlet team: An (trained), Cúc (trained in April);
    # Bình left in February and is not counted.
    assert [(c.level, c.members, c.trained) for c in cover] == [
        ("commune", 1, 1),
        ("hamlet", 2, 2),
    ]
    assert cover[0].percent == 100.0


def test_course_results_attendance_completion_and_scores(db: Database) -> None:
    w = build(db)
    with db.transaction() as s:  # a course on a scale of 100 that ended in 2024 too
        other = Course(
            code="TH-2024-002", title="Thanh toán QR", organiser="Sở", score_scale=100,
            start_date=date(2024, 5, 2), end_date=date(2024, 5, 2),
        )  # fmt: skip
        s.add(other)
        s.flush()
        binh = s.query(Enrolment).filter_by(course_id=w.course).order_by(Enrolment.id).all()[1]
        s.add(Enrolment(course_id=other.id, person_id=binh.person_id, pre_score=50, post_score=80))
        an = binh.person_id + 1
        s.add(Enrolment(course_id=other.id, person_id=an, pre_score=40))
    with db.transaction(readonly=True) as s:
        got = reports.course_results(s, YEAR_2024)
        latest = reports.course_results(s, YEAR_2024, limit=1)
        in_new = reports.course_results(
            s, ReportFilter(YEAR_2024.start, YEAR_2024.end, unit_id=w.new_commune)
        )
    assert [r.code for r in got] == ["TH-2024-002", "TH-2024-001"]  # the latest first
    assert [r.code for r in latest] == ["TH-2024-002"]
    qr, first = got
    # Only Bình sat both tests of the QR course: 50 and 80 of 100 are 5 and 8 of 10.
    assert (qr.pre, qr.post, qr.scored, qr.marked, qr.attendance_rate) == (5.0, 8.0, 1, 0, None)
    assert (first.present, first.marked, first.attendance_rate) == (5, 12, 41.7)
    assert (first.completed, first.finished, first.completion_rate) == (1, 2, 50.0)
    assert (first.pre, first.post, first.scored) == (4.0, 9.0, 1)
    # An alone lives in the new commune: in the QR course without marks or a post-test;
    # in the first, one present mark of three, not completed.
    assert [(r.code, r.present, r.marked, r.completed, r.finished, r.scored) for r in in_new] == [
        ("TH-2024-002", 0, 0, 0, 0, 0),
        ("TH-2024-001", 1, 3, 0, 1, 0),
    ]


def test_people_behind_each_bar(db: Database) -> None:
    w = build(db)
    rolled = ReportFilter(YEAR_2024.start, YEAR_2024.end, roll_up=True)
    with db.transaction(readonly=True) as s:

        def names(f: ReportFilter, dimension: str, keys: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
            total, lines = reports.people_behind(s, f, dimension, keys)
            assert total == len(lines)
            return [(x.full_name, x.sessions) for x in lines]

        march = names(YEAR_2024, "month", ["2024-03"])
        assert march == [("Lê Văn An", 1), ("Trần Văn Bình", 1), ("Nguyễn Thị Hà", 3)]
        assert names(YEAR_2024, "month", ["2024-04"]) == []
        assert names(YEAR_2024, "commune", [w.old_commune]) == [
            ("Trần Văn Bình", 1),
            ("Nguyễn Thị Hà", 3),
        ]
        assert len(names(rolled, "commune", [w.new_commune])) == 3
        assert names(YEAR_2024, "topic", [w.topic]) == [("Trần Văn Bình", 1), ("Nguyễn Thị Hà", 1)]
        assert names(YEAR_2024, "level", ["commune"]) == [("Nguyễn Thị Hà", 3)]
        assert names(YEAR_2024, "level", ["hamlet"]) == [("Lê Văn An", 1)]
        assert names(YEAR_2024, "course", [w.course]) == march
        total, first = reports.people_behind(s, YEAR_2024, "course", [w.course], limit=1)
        assert (total, [x.full_name for x in first]) == (3, ["Lê Văn An"])
        assert first[0].unit == "Xã Đại Điền"
        hamlet = reports.people_behind(s, YEAR_2024, "commune", [w.old_commune])[1][0]
        assert hamlet.unit == "Ấp Thạnh Hòa, Xã Tân Phong"


def test_dashboard_gathers_every_figure_with_timings(db: Database) -> None:
    build(db)
    with db.transaction(readonly=True) as s:
        d = reports.dashboard(s, YEAR_2024)
    assert d.summary.total.people_trained == 3
    assert [r.count for r in d.months if r.count] == [3]
    assert [r.code for r in d.courses] == ["TH-2024-001"]
    assert set(d.timings) == {
        "marks",
        "summary",
        "months",
        "communes",
        "topics",
        "courses",
        "coverage",
        "course_count",
    }
    assert d.course_count == 1
    with db.transaction(readonly=True) as s:  # the temporary copy is gone, the figures agree
        assert reports.per_month(s, YEAR_2024) == d.months
        assert reports.summary(s, YEAR_2024) == d.summary
        assert reports.coverage(s, YEAR_2024) == d.coverage
        assert reports.by_topic(s, YEAR_2024) == d.topics


def test_course_results_leave_out_courses_not_ended_yet(db: Database) -> None:
    """A period reaching past today lists the courses that have ended, not the ones still
    running or to come, which have no results yet."""
    today = date.today()
    period = ReportFilter(today - timedelta(days=60), today + timedelta(days=60))
    with db.transaction() as s:
        ended = world.course(s, "TH-XONG", today - timedelta(days=10), today - timedelta(days=1),
                             CourseStatus.FINISHED)  # fmt: skip
        later = world.course(s, "TH-SAU", today, today + timedelta(days=30), CourseStatus.RUNNING)
        for c, name in ((ended, "Nguyễn Văn An"), (later, "Trần Thị Bình")):
            world.enrolment(s, c, world.person(s, name))
    with db.transaction(readonly=True) as s:
        rows = reports.course_results(s, period)
    assert [r.code for r in rows] == ["TH-XONG"]


def test_course_averages_are_the_exact_mean_of_the_scores_typed(db: Database) -> None:
    """Averages are of the scores as stored, summed exactly: a float average depends on
    the order the rows are read in (an index rebuilt changed five report figures), and
    the binary 2.675 rounds down where the mean of 2.6 and 2.75 is 2.675 exactly: 2.68;
    a half goes up, as in Excel's ROUND (8.2 and 8.25: 8.23, not the even 8.22)."""
    w = build(db)
    with db.transaction() as s:
        course = Course(
            code="TH-2024-003", title="Sổ sức khỏe điện tử", organiser="Sở", score_scale=10,
            start_date=date(2024, 6, 3), end_date=date(2024, 6, 3),
        )  # fmt: skip
        s.add(course)
        s.flush()
        people = [e.person_id for e in s.query(Enrolment).filter_by(course_id=w.course)][:2]
        for person, pre, post in zip(people, (2.6, 2.75), (8.2, 8.25), strict=True):
            s.add(Enrolment(course_id=course.id, person_id=person, pre_score=pre, post_score=post))
    with db.transaction(readonly=True) as s:
        row = next(r for r in reports.course_results(s, YEAR_2024) if r.code == "TH-2024-003")
    assert (row.pre, row.post, row.scored) == (2.68, 8.23, 2)
