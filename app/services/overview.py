"""What the head of department sees first (Tổng quan): the sessions of this week and the
next, what is left undone (attendance not entered, certificates not issued, courses short
of their minimum), and this year's figures against the targets set in Cài đặt; and the
counts of the shell's status bar.

Every part is a bounded query aggregated in SQL: the lists are of a fortnight's sessions
or capped, the figures are counts over the training facts (app.facts, app.services.reports),
not over the year's marks (1M rows at scale 25)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from app.report_data import CoverageRow, ReportFilter
from app.services import access, reports, scheduling, settings, targets
from app.services.courses import ACTIVE
from models import (
    Attendance,
    Certificate,
    CertificateStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Person,
    SessionFact,
    Team,
    TeamMembership,
    Unit,
)
from models import Session as CourseSession

SOON_DAYS = 14  # "starting soon": within the next two weeks
LIST_CAP = 10  # lines shown of a list that may grow; the total is said beside it
# Courses awaiting certificates are listed if they ended in this many days; older ones are
# counted in a line of their own (the Chứng nhận page lists them all).
RECENT_DAYS = 90


@dataclass(frozen=True)
class Counts:
    people: int
    teams: int
    units: int
    courses: int
    sessions: int
    attendance: int
    certificates: int


def counts(s: Session) -> Counts:
    """How many of each record the database holds."""

    def n(model: type) -> int:
        return s.scalar(select(func.count()).select_from(model)) or 0

    return Counts(
        people=s.scalar(select(func.count()).where(Person.archived_at.is_(None))) or 0,
        teams=_teams_in_being(s),
        units=n(Unit),
        courses=n(Course),
        sessions=n(CourseSession),
        attendance=n(Attendance),
        certificates=n(Certificate),
    )


def _teams_in_being(s: Session) -> int:
    """Teams not dissolved: with a member today, or new and still empty (as the Tổ CNSCĐ
    tree shows them: a team whose members have all left is dissolved)."""
    members = select(TeamMembership.id).where(TeamMembership.team_id == Team.id)
    active = members.where(TeamMembership.left_on.is_(None))
    q = select(func.count()).select_from(Team).where(active.exists() | ~members.exists())
    return s.scalar(q) or 0


@dataclass(frozen=True)
class SessionLine:
    session_id: int
    course_id: int
    course_code: str
    course_title: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    trainers: str
    enrolled: int


@dataclass(frozen=True)
class CourseLine:
    course_id: int
    course_code: str
    course_title: str
    start_date: date
    end_date: date
    count: int  # people without a certificate, or enrolled
    minimum: int | None = None  # the course's minimum enrolment


@dataclass(frozen=True)
class Capped:
    """The first LIST_CAP lines of a list and how many there are in all."""

    lines: tuple[SessionLine, ...] | tuple[CourseLine, ...]
    total: int


@dataclass(frozen=True)
class Figure:
    """A figure of the year and its target (None: no target set)."""

    value: int
    target: int | None


@dataclass(frozen=True)
class LevelShare:
    level: str  # the team level as stored: province, district, commune, hamlet
    members: int
    trained: int
    target_percent: int | None

    @property
    def percent(self) -> float | None:
        return 100 * self.trained / self.members if self.members else None


@dataclass(frozen=True)
class Overview:
    today: date
    this_week: tuple[date, date]  # Monday, Sunday
    this_week_sessions: tuple[SessionLine, ...]
    next_week_sessions: tuple[SessionLine, ...]
    unmarked: Capped  # sessions held with no attendance entered
    uncertified: Capped  # finished in RECENT_DAYS, completers holding no certificate in force
    uncertified_older: int  # such courses that ended before that
    short: tuple[CourseLine, ...]  # starting within SOON_DAYS below their minimum
    year: int
    people_trained: Figure  # present or late at one session or more this year
    certificates: Figure  # issued this year (reissues included, as in Báo cáo)
    shares: tuple[LevelShare, ...]  # team members trained this year, by team level

    @property
    def next_week(self) -> tuple[date, date]:
        monday = self.this_week[0] + timedelta(days=7)
        return monday, monday + timedelta(days=6)


def overview(s: Session, today: date, now: datetime | None = None) -> Overview:
    """The first page's parts on `today` (sessions "held" are those ended before `now`)."""
    access.require(s, "reports")
    now = now or datetime.combine(today, datetime.now().time())
    monday = today - timedelta(days=today.weekday())
    goals = targets.read(lambda key: settings.get(s, key))
    year_start = date(today.year, 1, 1)
    f = ReportFilter(year_start, today)
    uncertified, older = _uncertified(s, today - timedelta(days=RECENT_DAYS))
    return Overview(
        today=today,
        this_week=(monday, monday + timedelta(days=6)),
        this_week_sessions=_week(s, monday),
        next_week_sessions=_week(s, monday + timedelta(days=7)),
        unmarked=_unmarked(s, now),
        uncertified=uncertified,
        uncertified_older=older,
        short=_short(s, today),
        year=today.year,
        people_trained=Figure(_people_trained(s, f), goals.people_trained),
        certificates=Figure(
            _certificates(s, year_start, date(today.year, 12, 31)), goals.certificates
        ),
        shares=tuple(_share(row, goals.shares) for row in reports.coverage(s, f)),
    )


def _enrolled(s: Session, course_ids: set[int]) -> dict[int, int]:
    if not course_ids:
        return {}
    q = (
        select(Enrolment.course_id, func.count())
        .where(Enrolment.course_id.in_(sorted(course_ids)), Enrolment.status.in_(ACTIVE))
        .group_by(Enrolment.course_id)
    )
    return {cid: n for cid, n in s.execute(q)}


def _session_lines(s: Session, rows: list[scheduling.SessionRow]) -> tuple[SessionLine, ...]:
    enrolled = _enrolled(s, {r.course_id for r in rows})
    return tuple(
        SessionLine(
            r.id,
            r.course_id,
            r.course_code,
            r.course_title,
            r.starts_at,
            r.ends_at,
            r.venue or ("Trực tuyến" if r.mode == "online" else ""),
            r.trainers,
            enrolled.get(r.course_id, 0),
        )
        for r in rows
    )


def _week(s: Session, monday: date) -> tuple[SessionLine, ...]:
    return _session_lines(s, scheduling.between(s, monday, monday + timedelta(days=6)))


def _unmarked(s: Session, now: datetime) -> Capped:
    """Sessions ended before now, of a course someone is enrolled in, without any mark."""
    # A session with any mark has its counts in the session facts (a small table).
    marked = select(SessionFact.session_id).where(SessionFact.session_id == CourseSession.id)
    marked = marked.exists()
    someone = (
        select(Enrolment.id)
        .where(Enrolment.course_id == CourseSession.course_id, Enrolment.status.in_(ACTIVE))
        .exists()
    )
    q = (
        select(CourseSession.id)
        .join(Course, Course.id == CourseSession.course_id)
        .where(
            CourseSession.ends_at < now,
            ~marked,  # most sessions held have marks: the cheaper test first
            Course.status != CourseStatus.CANCELLED,
            someone,
        )
    )
    # All the ids (bounded by the sessions held) in one pass; the first LIST_CAP shown.
    ids = list(s.scalars(q.order_by(CourseSession.starts_at.desc(), CourseSession.id.desc())))
    return Capped(_session_lines(s, scheduling.session_rows(s, ids[:LIST_CAP])), len(ids))


def _uncertified(s: Session, since: date) -> tuple[Capped, int]:
    """Finished courses ended on or after `since`, with how many of those who completed hold
    no certificate in force; and how many such courses ended before `since`."""
    # Those who completed, less those of them holding a certificate in force (a few
    # hundred certificates): no look-up of a certificate per completed enrolment.
    finished = select(Course.id).where(Course.status == CourseStatus.FINISHED)
    done = (
        select(Enrolment.course_id.label("course_id"), func.count().label("n"))
        .where(Enrolment.course_id.in_(finished), Enrolment.status == EnrolmentStatus.COMPLETED)
        .group_by(Enrolment.course_id)
        .subquery()
    )
    certified = (
        select(
            Enrolment.course_id.label("course_id"),
            func.count(distinct(Certificate.enrolment_id)).label("n"),
        )
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .where(
            Certificate.status == CertificateStatus.VALID,
            Certificate.replaced_at.is_(None),
            Enrolment.status == EnrolmentStatus.COMPLETED,
            Enrolment.course_id.in_(finished),
        )
        .group_by(Enrolment.course_id)
        .subquery()
    )
    waiting = done.c.n - func.coalesce(certified.c.n, 0)
    q = (
        select(Course.id, Course.code, Course.title, Course.start_date, Course.end_date, waiting)
        .join(done, done.c.course_id == Course.id)
        .outerjoin(certified, certified.c.course_id == Course.id)
        .where(waiting > 0)
    )
    # One pass over the enrolments: every course's line (a few thousand at scale 25), the
    # first LIST_CAP shown. Counting them in a second query doubled the time.
    rows = s.execute(q.order_by(Course.end_date.desc(), Course.code)).all()
    recent = [row for row in rows if row.end_date >= since]
    lines = tuple(CourseLine(*row) for row in recent[:LIST_CAP])
    return Capped(lines, len(recent)), len(rows) - len(recent)


def _short(s: Session, today: date) -> tuple[CourseLine, ...]:
    """Courses starting today..SOON_DAYS ahead with fewer enrolled than their minimum."""
    enrolled = (
        select(func.count(Enrolment.id))
        .where(Enrolment.course_id == Course.id, Enrolment.status.in_(ACTIVE))
        .scalar_subquery()
    )
    q = (
        select(
            Course.id,
            Course.code,
            Course.title,
            Course.start_date,
            Course.end_date,
            enrolled,
            Course.min_enrolment,
        )
        .where(
            Course.start_date >= today,
            Course.start_date <= today + timedelta(days=SOON_DAYS),
            Course.status.not_in((CourseStatus.CANCELLED, CourseStatus.FINISHED)),
            Course.min_enrolment > 0,
            enrolled < Course.min_enrolment,
        )
        .order_by(Course.start_date, Course.code)
    )
    return tuple(CourseLine(*row) for row in s.execute(q))


def _people_trained(s: Session, f: ReportFilter) -> int:
    """People present or late at one session or more in the period (Báo cáo's "trained")."""
    return reports.people_trained_count(s, f)


def _certificates(s: Session, start: date, end: date) -> int:
    q = select(func.count(Certificate.id)).where(
        Certificate.issued_on >= start, Certificate.issued_on <= end
    )
    return s.scalar(q) or 0


def _share(row: CoverageRow, goals: dict[str, int | None]) -> LevelShare:
    return LevelShare(row.level, row.members, row.trained, goals.get(row.level))
