"""The demo before and after 1 July 2025: a walk over everything dated on either side.

After the merger, no course, session, venue, team or address names a district, a "thị
trấn", Thành phố Bến Tre or a unit whose valid_to has passed; before it, records keep
their old units. The demo is built once for the module (scale 1, SQLite).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session as OrmSession

from app.db import Database
from app.demo import generate
from app.demo.base import DEMO_TODAY, ORGANISER_NEW, ORGANISER_OLD
from app.demo.certificates import WAITING_DAYS
from app.services import audit_verify
from app.services.overview import RECENT_DAYS
from app.vn.units import SCHEME_2025_FROM
from models import (
    Attendance,
    AuditEntry,
    Certificate,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Person,
    Team,
    TeamMembership,
    Unit,
    UnitLevel,
    UnitScheme,
    Venue,
)
from models import Session as CourseSession

MERGER = SCHEME_2025_FROM
OLD_WORDS = re.compile(r"\b(huyện|thị trấn|thành phố bến tre)\b", re.IGNORECASE)
COUNTS: dict[str, int] = {}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database(str(tmp_path_factory.mktemp("demo") / "demo.db"))
    db.upgrade()
    generate.fill(db, scale=1, seed=2022, today=DEMO_TODAY)
    yield db
    db.close()
    # The figures for the issue's note (pytest -s shows them).
    print("\nDemo walk, checked before / after 01/07/2025:", COUNTS)


@pytest.fixture
def s(demo: Database) -> Iterator[OrmSession]:
    with demo.transaction(readonly=True) as session:
        yield session


class Names:
    """What a post-merger text may not name: units gone by the day it is dated."""

    def __init__(self, s: OrmSession) -> None:
        units = s.execute(select(Unit.name, Unit.valid_from, Unit.valid_to, Unit.level)).all()
        alive = {n for n, _f, to, _lv in units if to is None or to >= MERGER}
        self.gone = {
            n
            for n, _f, to, lv in units
            if to is not None and to < MERGER and n not in alive and lv != UnitLevel.HAMLET
        }
        self.valid = {
            uid: (frm, to)
            for uid, frm, to in s.execute(select(Unit.id, Unit.valid_from, Unit.valid_to))
        }

    def bad_words(self, text: str) -> list[str]:
        found = [m.group(0) for m in OLD_WORDS.finditer(text)]
        folded = text.lower()
        return found + [n for n in self.gone if _names_unit(folded, n.lower())]

    def unit_alive(self, unit_id: int | None, on: date) -> bool:
        if unit_id is None:
            return True
        frm, to = self.valid[unit_id]
        return (frm is None or frm <= on) and (to is None or to >= on)

    def unit_old(self, unit_id: int | None) -> bool:
        if unit_id is None:
            return True
        frm, to = self.valid[unit_id]
        return frm is None or frm < MERGER


def _names_unit(text: str, name: str) -> bool:
    """The unit's whole name in the text, up to its end or a comma ("xã mỹ chánh" is not
    in "xã mỹ chánh hòa")."""
    return re.search(rf"(?<!\w){re.escape(name)}(?=\s*(?:$|[,;:|().]))", text) is not None


def test_after_the_merger_only_units_that_exist(s: OrmSession) -> None:
    names = Names(s)
    problems: list[str] = []
    courses = s.scalars(select(Course).where(Course.end_date >= MERGER)).all()
    for c in courses:
        if c.start_date < MERGER:
            problems.append(f"{c.code} straddles 01/07/2025")
        if c.organiser != ORGANISER_NEW:
            problems.append(f"{c.code} organiser {c.organiser}")
        for word in names.bad_words(c.title):
            problems.append(f"{c.code} title {c.title!r} names {word!r}")
        if not names.unit_alive(c.unit_id, c.start_date):
            problems.append(f"{c.code} unit {c.unit_id} gone")
    sessions = s.execute(
        select(CourseSession, Venue)
        .outerjoin(Venue, Venue.id == CourseSession.venue_id)
        .where(CourseSession.starts_at >= datetime.combine(MERGER, time.min))
    ).all()
    venues = {v.id: v for _, v in sessions if v is not None}
    for session, venue in sessions:
        if venue is None:
            continue
        for word in names.bad_words(f"{venue.name} | {venue.address or ''}"):
            problems.append(f"session {session.id} venue {venue.name!r} names {word!r}")
        if not names.unit_alive(venue.unit_id, session.starts_at.date()):
            problems.append(f"session {session.id} venue unit gone")
    teams = _teams_after(s)
    for t in teams:
        if t.level == UnitLevel.DISTRICT:
            problems.append(f"team {t.name!r} is a district team after the merger")
        for word in names.bad_words(t.name):
            problems.append(f"team {t.name!r} names {word!r}")
        if not names.unit_alive(t.unit_id, MERGER):
            problems.append(f"team {t.name!r} unit gone")
    people = s.scalars(
        select(Person).where(
            or_(
                Person.id.in_(select(TeamMembership.person_id).where(_active_after())),
                Person.id.in_(
                    select(Enrolment.person_id)
                    .join(Course, Course.id == Enrolment.course_id)
                    .where(Course.start_date >= MERGER)
                ),
            )
        )
    ).all()
    for p in people:
        for word in names.bad_words(p.workplace or ""):
            problems.append(f"person {p.id} workplace {p.workplace!r} names {word!r}")
        if not names.unit_alive(p.unit_id, DEMO_TODAY):
            problems.append(f"person {p.id} lives in a unit gone")
    assert problems == [], "\n".join(problems[:40])
    assert len(courses) > 30 and len(sessions) > 150 and len(teams) > 400 and len(people) > 2000
    COUNTS.update(
        courses_after=len(courses),
        sessions_after=len(sessions),
        venues_after=len(venues),
        teams_after=len(teams),
        people_after=len(people),
    )


def _active_after():  # type: ignore[no-untyped-def]
    return or_(TeamMembership.left_on.is_(None), TeamMembership.left_on >= MERGER)


def _teams_after(s: OrmSession) -> list[Team]:
    return list(
        s.scalars(
            select(Team).where(
                Team.id.in_(select(TeamMembership.team_id).where(_active_after()))
                | (Team.established_on >= MERGER)
            )
        )
    )


def test_before_the_merger_records_keep_their_old_units(s: OrmSession) -> None:
    names = Names(s)
    courses = s.scalars(select(Course).where(Course.end_date < MERGER)).all()
    problems = [
        f"{c.code} {c.organiser} / unit {c.unit_id}"
        for c in courses
        if c.organiser != ORGANISER_OLD or not names.unit_old(c.unit_id)
    ]
    in_districts = sum(1 for c in courses if OLD_WORDS.search(c.title))
    sessions = s.execute(
        select(CourseSession.id, Venue.unit_id)
        .join(Venue, Venue.id == CourseSession.venue_id)
        .where(CourseSession.starts_at < datetime.combine(MERGER, time.min))
    ).all()
    problems += [f"session {sid} venue unit {u}" for sid, u in sessions if not names.unit_old(u)]
    teams = s.scalars(select(Team).where(Team.established_on < MERGER)).all()
    problems += [f"team {t.name}" for t in teams if not names.unit_old(t.unit_id)]
    levels = {t.level for t in teams}
    assert problems == []
    assert levels == {UnitLevel.DISTRICT, UnitLevel.COMMUNE, UnitLevel.HAMLET}
    assert in_districts > len(courses) // 2  # "… Huyện Ba Tri" as they were titled then
    # The old teams' memberships end on 30/06/2025; nobody is left in a district team.
    still = s.scalar(
        select(func.count())
        .select_from(TeamMembership)
        .join(Team, Team.id == TeamMembership.team_id)
        .where(Team.established_on < MERGER, _active_after())
    )
    assert still == 0
    COUNTS.update(
        courses_before=len(courses), sessions_before=len(sessions), teams_before=len(teams)
    )


def test_teams_are_re_formed_under_the_new_communes(s: OrmSession) -> None:
    after = _teams_after(s)
    by_level = {lv: [t for t in after if t.level == lv] for lv in UnitLevel}
    assert by_level[UnitLevel.DISTRICT] == []
    communes = {t.id: t for t in by_level[UnitLevel.COMMUNE]}
    assert 30 <= len(communes) <= 60  # 129 old commune teams merged into the new communes
    unit_scheme = dict(s.execute(select(Unit.id, Unit.scheme)).all())
    assert {unit_scheme[t.unit_id] for t in after} == {UnitScheme.Y2025}
    # Hamlet teams carry on under a team of their new commune, with the same members.
    hamlets = by_level[UnitLevel.HAMLET]
    assert len(hamlets) == 427
    assert sum(1 for t in hamlets if t.parent_id in communes) > 400
    moved = s.scalar(
        select(func.count()).select_from(TeamMembership).where(TeamMembership.joined_on == MERGER)
    )
    assert moved and moved > 3000


def test_certificates_serials_follow_issue_dates(s: OrmSession) -> None:
    rows = s.execute(
        select(Certificate.serial, Certificate.issued_on, Course.end_date, Course.status)
        .join(Course, Course.id == Certificate.course_id)
        .order_by(Certificate.issued_on, Certificate.id)
    ).all()
    assert rows
    # The courses that ended in the overview's 90 days are certified, bar the last fortnight's.
    window = s.execute(
        select(Course.end_date, func.count(Enrolment.id), func.count(Certificate.id))
        .join(Enrolment, Enrolment.course_id == Course.id)
        .outerjoin(Certificate, Certificate.enrolment_id == Enrolment.id)
        .where(
            Course.status == CourseStatus.FINISHED,
            Enrolment.status == EnrolmentStatus.COMPLETED,
            Course.end_date >= DEMO_TODAY - timedelta(days=RECENT_DAYS),
        )
        .group_by(Course.id, Course.end_date)
    ).all()
    assert window
    for end, completed, certified in window:
        waits = end > DEMO_TODAY - timedelta(days=WAITING_DAYS)
        assert certified == (0 if waits else completed), end
    seqs: dict[int, list[int]] = {}
    for serial, issued, end, status in rows:
        assert status == CourseStatus.FINISHED
        assert end < issued <= DEMO_TODAY
        seq, year, _ = serial.split("/", 2)
        assert int(year) == issued.year
        seqs.setdefault(issued.year, []).append(int(seq))
    for year, found in seqs.items():
        assert found == list(range(1, len(found) + 1)), year
    # Each certificate is audited and the chain holds.
    issued = s.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "certificate.issue")
    )
    assert issued == len(rows)
    assert audit_verify.check(s).ok
    # Some finished courses still wait for theirs (the overview lists them).
    waiting = s.scalar(
        select(func.count(func.distinct(Enrolment.course_id))).where(
            Enrolment.status == EnrolmentStatus.COMPLETED,
            Enrolment.id.not_in(select(Certificate.enrolment_id)),
        )
    )
    assert waiting and waiting > 0


def test_the_weeks_around_today_have_work(s: OrmSession) -> None:
    soon = datetime.combine(DEMO_TODAY + timedelta(days=28), time.max)
    now = datetime.combine(DEMO_TODAY, time.max)
    upcoming = s.scalars(
        select(CourseSession).where(CourseSession.starts_at > now, CourseSession.starts_at <= soon)
    ).all()
    assert len(upcoming) >= 15
    assert len({x.starts_at.isocalendar()[1] for x in upcoming}) >= 4  # every week
    enrolled = (
        select(func.count())
        .select_from(Enrolment)
        .where(Enrolment.course_id == Course.id, Enrolment.status == EnrolmentStatus.REGISTERED)
        .scalar_subquery()
    )
    short = s.scalars(
        select(Course.code).where(
            Course.start_date > DEMO_TODAY,
            Course.start_date <= DEMO_TODAY + timedelta(days=28),
            Course.status.in_([CourseStatus.OPEN, CourseStatus.PLANNED]),
            enrolled < Course.min_enrolment,
            enrolled > 0,
        )
    ).all()
    assert len(short) >= 1
    marked = select(Attendance.session_id)
    unmarked = s.scalars(
        select(CourseSession.id)
        .join(Course, Course.id == CourseSession.course_id)
        .where(
            CourseSession.starts_at < datetime.combine(DEMO_TODAY, time.min),
            Course.status == CourseStatus.RUNNING,
            CourseSession.id.not_in(marked),
        )
    ).all()
    assert 1 <= len(unmarked) <= 5


def test_names_are_realistic(s: OrmSession) -> None:
    rows = s.execute(select(Person.family_name, Person.middle_name, Person.given_name)).all()
    odd = [r for r in rows if r[1] and (r[0].split()[-1] in r[1].split() or r[2] in r[1].split())]
    assert odd == []
    assert len(rows) > 3800
