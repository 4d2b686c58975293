"""Tổng quan: each part of the first page from a small world, on SQLite and PostgreSQL;
the year's targets set in Cài đặt and by `taphuan settings set`, bad values refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import InvalidValue
from app.services import overview, settings, targets
from models import AttendanceStatus, CourseStatus, EnrolmentStatus, TeamMembership, UnitLevel
from tests.app import world
from tests.app.clirun import run

TODAY = date(2026, 11, 18)  # a Wednesday
NOW = datetime(2026, 11, 18, 12, 0)
P = AttendanceStatus.PRESENT


@dataclass
class Ids:
    running: int
    held_unmarked: int
    held_marked: int
    thursday: int
    next_tuesday: int
    finished: int
    short: int


def build(s) -> Ids:  # type: ignore[no-untyped-def]
    w = world.build(s)  # a commune team, and a course of March 2024
    an, binh, chau, dung = (world.person(s, n) for n in
                            ("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Văn Dũng"))  # fmt: skip
    trainer = world.person(s, "Võ Thanh Tâm")
    world.member(s, w, an)
    world.member(s, w, binh)
    world.enrol(s, w, binh, [P, P, P])  # trained in 2024: not this year's figure

    running = world.course(s, "TH-2026-010", date(2026, 11, 16), date(2026, 11, 27),
                           CourseStatus.RUNNING)  # fmt: skip
    monday = world.session(s, running, datetime(2026, 11, 16, 7, 30))
    tuesday = world.session(s, running, datetime(2026, 11, 17, 7, 30))
    thursday = world.session(s, running, datetime(2026, 11, 19, 13, 30), trainer=trainer)
    next_tuesday = world.session(s, running, datetime(2026, 11, 24, 7, 30))
    world.enrolment(s, running, an, marks={tuesday: P})
    world.enrolment(s, running, chau)
    world.enrolment(s, running, dung, EnrolmentStatus.WITHDRAWN)  # not counted as enrolled
    world.session(s, running, datetime(2026, 11, 30, 7, 30))  # the week after next: not shown

    cancelled = world.course(s, "TH-2026-011", date(2026, 11, 16), date(2026, 11, 20),
                             CourseStatus.CANCELLED, min_enrolment=10)  # fmt: skip
    world.session(s, cancelled, datetime(2026, 11, 18, 7, 30))
    world.enrolment(s, cancelled, an)

    finished = world.course(s, "TH-2026-003", date(2026, 9, 7), date(2026, 9, 11),
                            CourseStatus.FINISHED)  # fmt: skip
    done = [world.enrolment(s, finished, p, EnrolmentStatus.COMPLETED) for p in (an, binh, chau)]
    world.enrolment(s, finished, dung, EnrolmentStatus.NOT_COMPLETED)
    world.certificate(s, done[0], date(2026, 9, 15), "0001/2026")  # in force
    world.certificate(s, done[1], date(2026, 9, 15), "0002/2026", revoked=True)
    world.certificate(s, done[0], date(2025, 12, 1), "0099/2025", revoked=True)  # last year
    world.course(s, "TH-2026-004", date(2026, 4, 1), date(2026, 4, 2), CourseStatus.FINISHED)
    # Ended before the recent window (90 days before 18/11: 20/08): counted, not listed.
    old = world.course(s, "TH-2026-002", date(2026, 8, 10), date(2026, 8, 19),
                       CourseStatus.FINISHED)  # fmt: skip
    world.enrolment(s, old, dung, EnrolmentStatus.COMPLETED)

    short = world.course(s, "TH-2026-012", date(2026, 11, 25), date(2026, 11, 26), min_enrolment=5)
    world.enrolment(s, short, an)
    enough = world.course(s, "TH-2026-013", date(2026, 11, 26), date(2026, 11, 27), min_enrolment=1)
    world.enrolment(s, enough, an)
    world.course(s, "TH-2026-014", date(2026, 12, 10), date(2026, 12, 11), min_enrolment=5)
    return Ids(running, monday, tuesday, thursday, next_tuesday, finished, short)


def test_each_part_of_the_overview(db: Database) -> None:
    with db.transaction() as s:
        ids = build(s)
        settings.set_value(s, "target_people_trained", "1.500")
        settings.set_value(s, "target_share_commune", "80 %")
        settings.set_value(s, "target_certificates", "4")
    with db.transaction(readonly=True) as s:
        o = overview.overview(s, TODAY, NOW)

    assert o.this_week == (date(2026, 11, 16), date(2026, 11, 22))
    assert o.next_week == (date(2026, 11, 23), date(2026, 11, 29))
    week = [x.session_id for x in o.this_week_sessions]
    assert week == [ids.held_unmarked, ids.held_marked, ids.thursday]  # the cancelled left out
    thursday = o.this_week_sessions[2]
    assert (thursday.course_code, thursday.starts_at, thursday.enrolled, thursday.trainers) == (
        "TH-2026-010",
        datetime(2026, 11, 19, 13, 30),
        2,
        "Võ Thanh Tâm",
    )
    assert [x.session_id for x in o.next_week_sessions] == [ids.next_tuesday]

    # Held and not marked: Monday's session; not the cancelled course's, not Thursday's.
    assert o.unmarked.total == 1
    assert [x.session_id for x in o.unmarked.lines] == [ids.held_unmarked]

    # Completed without a certificate in force: the revoked one and the one never issued.
    assert o.uncertified.total == 1
    (line,) = o.uncertified.lines
    assert (line.course_id, line.course_code, line.count) == (ids.finished, "TH-2026-003", 2)
    assert o.uncertified_older == 1  # TH-2026-002, ended 19/08/2026

    assert [(c.course_id, c.count, c.minimum) for c in o.short] == [(ids.short, 1, 5)]

    assert o.year == 2026
    assert o.people_trained == overview.Figure(1, 1500)  # An, present on Tuesday
    assert o.certificates == overview.Figure(2, 4)  # issued in 2026, the revoked one too
    (share,) = o.shares
    assert (share.level, share.members, share.trained, share.target_percent) == (
        "commune",
        2,
        1,
        80,
    )
    assert share.percent == 50.0


def test_an_empty_database_has_empty_parts(db: Database) -> None:
    with db.transaction(readonly=True) as s:
        o = overview.overview(s, TODAY, NOW)
    assert o.this_week_sessions == () and o.next_week_sessions == () and o.short == ()
    assert o.unmarked == overview.Capped((), 0) and o.uncertified == overview.Capped((), 0)
    assert o.uncertified_older == 0
    assert o.people_trained == overview.Figure(0, None)
    assert o.certificates == overview.Figure(0, None)
    assert o.shares == ()


def test_long_lists_are_capped_with_their_total(db: Database) -> None:
    with db.transaction() as s:
        w = world.build(s)
        pid = world.person(s, "Nguyễn Văn An")
        world.enrol(s, w, pid, [])  # the 2024 course: three sessions held, none marked
        c = world.course(s, "TH-2026-020", date(2026, 1, 5), date(2026, 2, 20))
        world.enrolment(s, c, pid)
        for day in range(1, 13):
            world.session(s, c, datetime(2026, 2, day, 7, 30))
    with db.transaction(readonly=True) as s:
        o = overview.overview(s, TODAY, NOW)
    assert o.unmarked.total == 15
    assert len(o.unmarked.lines) == overview.LIST_CAP
    assert o.unmarked.lines[0].starts_at == datetime(2026, 2, 12, 7, 30)  # newest first


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("target_share_commune", "120", "tỷ lệ phải từ 1 đến 100 %, không phải 120 %"),
        ("target_share_hamlet", "12,5", "ghi một số nguyên từ 1 đến 100 (phần trăm)"),
        ("target_people_trained", "nhiều", "ghi một số nguyên, ví dụ 1.500, không phải “nhiều”"),
        ("target_certificates", "-3", "ghi một số nguyên"),
        ("target_certificates", "1.5", "ghi một số nguyên"),
    ],
)
def test_a_bad_target_is_refused_and_nothing_written(
    db: Database, key: str, typed: str, message: str
) -> None:
    with db.transaction() as s:
        settings.set_value(s, "target_people_trained", "2000")
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        # The page saves all its fields at once: the good one is not kept either.
        settings.set_many(s, {"target_people_trained": "3000", key: typed})
    assert message in err.value.message
    assert settings.KEYS[key].label in err.value.message
    with db.transaction(readonly=True) as s:
        assert settings.get(s, "target_people_trained") == "2000"
        assert settings.get(s, key) == ("2000" if key == "target_people_trained" else "")


@pytest.mark.parametrize(
    ("key", "typed"),
    [*((key, "0") for key in targets.KEYS), ("target_share_commune", "0 %"),
     ("target_people_trained", "0.000")],
)  # fmt: skip
def test_a_zero_target_is_refused_leave_it_blank_for_none(
    db: Database, key: str, typed: str
) -> None:
    """0 was stored and then Tổng quan showed no target at all: blank is "no target"."""
    with db.transaction() as s:
        settings.set_value(s, key, "50")
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        settings.set_value(s, key, typed)
    assert settings.KEYS[key].label in err.value.message
    assert "chỉ tiêu phải lớn hơn 0; để trống nếu không đặt chỉ tiêu" in err.value.message
    with db.transaction(readonly=True) as s:
        assert settings.get(s, key) == "50"


def test_targets_are_stored_as_numbers_and_cleared_when_empty(db: Database) -> None:
    with db.transaction() as s:
        assert settings.set_many(s, {"target_people_trained": "1.500",
                                     "target_share_hamlet": "60%"}) == [
            "target_people_trained", "target_share_hamlet"]  # fmt: skip
    with db.transaction() as s:
        assert settings.get(s, "target_people_trained") == "1500"
        # The same value typed again the Vietnamese way is no change.
        assert settings.set_many(s, {"target_people_trained": "1.500"}) == []
        settings.set_value(s, "target_share_hamlet", "")
    with db.transaction(readonly=True) as s:
        o = overview.overview(s, TODAY, NOW)
        assert o.people_trained.target == 1500
        assert settings.get(s, "target_share_hamlet") == ""


def test_cli_sets_shows_and_refuses_targets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cli.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    code, out, _ = run(capsys, "--db", str(path), "settings", "set", "target_share_commune", "75")
    assert code == 0 and "Đã đặt target_share_commune." in out
    code, out, _ = run(capsys, "--db", str(path), "settings", "show")
    line = next(x for x in out.splitlines() if x.startswith("target_share_commune"))
    assert "tỷ lệ thành viên Tổ cấp xã được tập huấn (%)" in line and line.endswith(" 75")
    code, out, err = run(capsys, "--db", str(path), "settings", "set", "target_share_commune",
                         "150")  # fmt: skip
    assert code == 3 and out == ""
    assert "tỷ lệ phải từ 1 đến 100 %, không phải 150 %" in err
    db = Database(str(path))
    with db.transaction(readonly=True) as s:
        assert settings.get(s, "target_share_commune") == "75"
    db.close()


def test_cli_refuses_a_zero_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    code, out, err = run(capsys, "--db", str(path), "settings", "set", "target_people_trained",
                         "0")  # fmt: skip
    assert code == 3 and out == ""
    assert settings.KEYS["target_people_trained"].label in err
    assert "chỉ tiêu phải lớn hơn 0; để trống nếu không đặt chỉ tiêu" in err
    db = Database(str(path))
    with db.transaction(readonly=True) as s:
        assert settings.get(s, "target_people_trained") == ""
    db.close()


def test_the_team_count_leaves_out_dissolved_teams(db: Database) -> None:
    """The status bar's "N tổ": a team whose members have all left (a district team on
    01/07/2025) no longer counts; a new team without members yet does."""
    with db.transaction() as s:
        w = world.build(s)
        an = world.person(s, "Nguyễn Văn An")
        world.member(s, w, an)  # w.team: an active member
        dissolved = world.team(s, w.old_commune, UnitLevel.DISTRICT)
        world.team_member(s, dissolved, an)
        for m in s.scalars(select(TeamMembership).where(TeamMembership.team_id == dissolved)):
            m.left_on = date(2025, 6, 30)
        world.team(s, w.hamlet, UnitLevel.HAMLET)  # new, no member yet
        s.flush()
        assert overview.counts(s).teams == 2
