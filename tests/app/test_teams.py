"""Teams, members and units."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.errors import InvalidValue
from app.services import teams, units
from models import AttendanceStatus, TeamMembership, Unit
from tests.app import world

P, A = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT


@pytest.fixture
def team_world(db: Database):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà")
        binh = world.person(s, "Trần Văn Bình")
        an = world.person(s, "Lê Văn An")
        for pid in (ha, binh):
            world.member(s, w, pid)
        world.enrol(s, w, ha, [P, A, A])
    return db, w, {"ha": ha, "binh": binh, "an": an}


def test_tree_counts_members_and_trained(team_world) -> None:  # type: ignore[no-untyped-def]
    db, w, _ = team_world
    with db.transaction(readonly=True) as s:
        (node,) = teams.tree(s)
        assert (node.members, node.trained, node.unit, node.level) == (
            2,
            1,
            "Xã Tân Phong",
            "commune",
        )
        assert [m.full_name for m in teams.members(s, w.team)] == ["Trần Văn Bình", "Nguyễn Thị Hà"]
        assert [m.trained for m in teams.members(s, w.team)] == [False, True]


def test_add_member_once_and_leave(team_world) -> None:  # type: ignore[no-untyped-def]
    db, w, ids = team_world
    form = teams.MembershipForm(role="deputy", kind="civil_servant", joined_on=date(2023, 1, 2))
    with db.transaction() as s:
        row = teams.add_member(s, w.team, ids["an"], form)
    assert (row.role, row.kind) == ("deputy", "civil_servant")
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        teams.add_member(s, w.team, ids["an"], form)
    assert "đã là thành viên" in str(err.value)
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        bad = teams.MembershipForm(
            role="member", kind="other", joined_on=date(2023, 1, 2), left_on=date(2022, 1, 1)
        )
        teams.update_member(s, row.membership_id, bad, row.version)
    assert "Ngày rời tổ phải sau ngày vào tổ" in str(err.value)
    with db.transaction() as s:
        left = teams.MembershipForm(
            role="deputy",
            kind="civil_servant",
            joined_on=date(2023, 1, 2),
            left_on=date(2025, 6, 30),
        )
        teams.update_member(s, row.membership_id, left, row.version)
    with db.transaction(readonly=True) as s:
        assert [m.full_name for m in teams.members(s, w.team)] == ["Trần Văn Bình", "Nguyễn Thị Hà"]
        assert len(teams.members(s, w.team, include_left=True)) == 3
        assert s.scalar(select(func.count()).select_from(TeamMembership)) == 3


def test_units_scope_rollup_and_labels(team_world) -> None:  # type: ignore[no-untyped-def]
    db, w, _ = team_world
    with db.transaction(readonly=True) as s:
        assert units.unit_scope(s, w.new_commune) == {w.new_commune, w.old_commune, w.hamlet}
        assert units.successors_now(s, w.hamlet) == [w.new_commune]
        assert units.unit_labels(s, {w.hamlet}) == {w.hamlet: "Ấp Thạnh Hòa, Xã Tân Phong"}
        assert [label for _, label in units.search(s, "tan phong")] == ["Xã Tân Phong"]


def test_add_hamlet_and_historical_unit(team_world) -> None:  # type: ignore[no-untyped-def]
    db, w, _ = team_world
    with db.transaction() as s:
        node = units.add_hamlet(s, w.new_commune, "khu phố  3")
        assert (node.name, node.kind, node.level) == ("Khu phố 3", "Khu phố", "hamlet")
        node = units.add_hamlet(s, w.new_commune, "Giồng Keo")
        assert node.name == "Ấp Giồng Keo"
        old = units.add_historical(s, "commune", "Xã Đại Điền", "Xã", None, [w.new_commune])
        assert old.successors == ("Xã Đại Điền",) and old.valid_to == date(2025, 6, 30)
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        units.add_hamlet(s, w.new_commune, "Ấp Giồng Keo")
    assert "đã có “Ấp Giồng Keo”" in str(err.value)
    with pytest.raises(InvalidValue), db.transaction() as s:
        units.add_historical(s, "commune", "Xã Mới", "Xã", None, [w.old_commune])
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.name == "Xã Mới")) == 0


def test_tree_leaves_out_dissolved_teams_unless_asked(team_world) -> None:  # type: ignore[no-untyped-def]
    """A team whose members all left (a district team on 30/06/2025) is history: shown
    only when asked; a new team without members yet is shown."""
    db, w, _ = team_world
    with db.transaction() as s:
        for m in s.scalars(select(TeamMembership).where(TeamMembership.team_id == w.team)):
            m.left_on = date(2025, 6, 30)
        fresh = teams.create_team(s, "", w.new_commune, established_on=date(2025, 7, 1))
    with db.transaction(readonly=True) as s:
        assert [n.id for n in teams.tree(s)] == [fresh.id]
        everything = teams.tree(s, include_dissolved=True)
    assert {n.id for n in everything} == {w.team, fresh.id}
    assert next(n for n in everything if n.id == w.team).members == 0
