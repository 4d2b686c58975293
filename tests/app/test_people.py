"""People services on SQLite and PostgreSQL: search, order, filters, edit, archive, detail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.actor import unsigned
from app.db import Database
from app.errors import InvalidValue
from app.services import people, person_detail, person_edit
from app.services.people import PeopleFilter
from models import AttendanceStatus, AuditEntry, Person
from tests.app import world

P, A = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT


def names_of(rows: list[people.PersonRow]) -> list[str]:
    return [r.full_name for r in rows]


@pytest.fixture
def filled(db: Database) -> tuple[Database, world.World, dict[str, int]]:
    with db.transaction() as s:
        w = world.build(s)
        ids = {
            "ha": world.person(
                s,
                "Nguyễn Thị Hà",
                citizen_id="083186000123",
                birth_date=date(1986, 5, 2),
                phone="0903111222",
                unit_id=w.hamlet,
            ),
            "an": world.person(s, "Lê Văn An", birth_date=date(1990, 1, 1), unit_id=w.new_commune),
            "binh": world.person(s, "Trần Văn Bình", phone="0939222333"),
            "an2": world.person(s, "Nguyễn Thị An", birth_date=date(1979, 7, 7)),
        }
        world.enrol(s, w, ids["ha"], [P, P, A], pre=5, post=8)
        world.enrol(s, w, ids["binh"], [A, A, A])
        world.member(s, w, ids["ha"])
    return db, w, ids


def test_vietnamese_order_and_diacritic_free_search(filled) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = filled
    with db.transaction(readonly=True) as s:
        assert names_of(people.page(s)) == [
            "Nguyễn Thị An",
            "Lê Văn An",
            "Trần Văn Bình",
            "Nguyễn Thị Hà",
        ]
        assert names_of(people.page(s, PeopleFilter(search="nguyen thi ha"))) == ["Nguyễn Thị Hà"]
        assert names_of(people.page(s, PeopleFilter(search="  NGUYỄN   an "))) == ["Nguyễn Thị An"]
        assert names_of(people.page(s, PeopleFilter(search="0903"))) == ["Nguyễn Thị Hà"]
        assert names_of(people.page(s, PeopleFilter(search="222 333"))) == ["Trần Văn Bình"]
        assert names_of(people.page(s, PeopleFilter(search="083186"))) == ["Nguyễn Thị Hà"]
        assert people.count(s, PeopleFilter(search="50%_")) == 0


def test_sort_by_columns_in_sql_blank_last(filled) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = filled
    with db.transaction(readonly=True) as s:
        by_birth = people.page(s, PeopleFilter(sort="birth_date", descending=True))
        assert names_of(by_birth) == [
            "Lê Văn An",
            "Nguyễn Thị Hà",
            "Nguyễn Thị An",
            "Trần Văn Bình",
        ]
        by_courses = people.page(s, PeopleFilter(sort="courses", descending=True))
        assert by_courses[0].full_name == "Nguyễn Thị Hà" and by_courses[0].courses_attended == 1
        assert (
            names_of(people.page(s, PeopleFilter(sort="name", descending=True)))[0]
            == "Nguyễn Thị Hà"
        )
        assert [r.full_name for r in people.page(s, offset=1, limit=2)] == [
            "Lê Văn An",
            "Trần Văn Bình",
        ]


def test_filters_by_old_or_new_unit_team_course_and_training(filled) -> None:  # type: ignore[no-untyped-def]
    db, w, _ = filled
    with db.transaction(readonly=True) as s:
        # The 2025 commune covers the old commune it took over and that commune's hamlet.
        assert names_of(people.page(s, PeopleFilter(unit_id=w.new_commune))) == [
            "Lê Văn An",
            "Nguyễn Thị Hà",
        ]
        assert names_of(people.page(s, PeopleFilter(unit_id=w.old_commune))) == ["Nguyễn Thị Hà"]
        assert names_of(people.page(s, PeopleFilter(team_id=w.team))) == ["Nguyễn Thị Hà"]
        assert names_of(people.page(s, PeopleFilter(course_id=w.course))) == [
            "Trần Văn Bình",
            "Nguyễn Thị Hà",
        ]
        assert names_of(people.page(s, PeopleFilter(trained=True))) == ["Nguyễn Thị Hà"]
        assert people.count(s, PeopleFilter(trained=False)) == 3
        assert names_of(people.page(s, PeopleFilter(topic_id=w.topic))) == ["Nguyễn Thị Hà"]
        row = people.page(s, PeopleFilter(search="ha"))[0]
        assert row.unit == "Ấp Thạnh Hòa, Xã Tân Phong"
        assert row.teams == "xã Tân Phong"


def test_validate_input_messages() -> None:
    form, errors = person_edit.validate_input(
        {
            "full_name": "  cù thanh sơn ",
            "birth_date": "15/8/1962",
            "citizen_id": "83062000451",
            "phone": "+84 903 111 222",
        }
    )
    assert errors == {}
    assert form is not None
    assert (form.full_name, form.citizen_id, form.phone) == (
        "Cù Thanh Sơn",
        "083062000451",
        "0903111222",
    )
    form, errors = person_edit.validate_input(
        {"full_name": "", "birth_date": "31/02/1990", "citizen_id": "08306200045X", "phone": "0123"}
    )
    assert form is None
    assert errors["full_name"] == "Họ tên không được để trống."
    assert "không có ngày 31" in errors["birth_date"]
    assert "CCCD" in errors["citizen_id"]
    assert "Số điện thoại" in errors["phone"]
    _, errors = person_edit.validate_input(
        {"full_name": "Cù Thanh Sơn", "birth_date": "1970", "citizen_id": "083062000451"}
    )
    assert "năm sinh 1962, khác năm sinh 1970" in errors["citizen_id"]


def test_duplicate_citizen_id_is_refused_and_nothing_written(filled) -> None:  # type: ignore[no-untyped-def]
    db, _, _ = filled
    with pytest.raises(InvalidValue) as err, db.transaction() as s:
        world.person(s, "Nguyễn Thị Hạ", citizen_id="083186000123")
    assert "đã có ở hồ sơ “Nguyễn Thị Hà”" in str(err.value)
    with db.transaction(readonly=True) as s:
        assert people.count(s) == 4


def test_likely_duplicates_are_named_with_a_reason(filled) -> None:  # type: ignore[no-untyped-def]
    db, _, ids = filled
    with db.transaction(readonly=True) as s:
        hints = person_edit.find_duplicates(
            s, person_edit.PersonForm(full_name="Nguyễn Thị Hà", birth_date=date(1986, 5, 2))
        )
        assert [(h.person_id, h.reason) for h in hints] == [
            (ids["ha"], "trùng họ tên và ngày sinh")
        ]
        hints = person_edit.find_duplicates(
            s, person_edit.PersonForm(full_name="Trần Văn Bình", phone="0939222333")
        )
        assert [h.reason for h in hints] == ["trùng họ tên và số điện thoại"]
        assert (
            person_edit.find_duplicates(
                s,
                person_edit.PersonForm(full_name="Trần Văn Bình", phone="0939222333"),
                exclude_id=ids["binh"],
            )
            == []
        )


def test_edit_is_audited_and_a_stale_edit_is_a_conflict(filled) -> None:  # type: ignore[no-untyped-def]
    db, _, ids = filled
    db.actor = unsigned("can-bo")  # nobody signed in, named "can-bo" in the trail
    with db.transaction() as s:
        record = person_edit.get(s, ids["an"])
        form = person_edit.PersonForm(**{**record.form.__dict__, "phone": "0868123456"})
        person_edit.update(s, ids["an"], form, record.version)
    with pytest.raises(person_edit.EditConflict) as err, db.transaction() as s:
        person_edit.update(s, ids["an"], record.form, record.version)
    assert "vừa được người khác sửa" in str(err.value)
    with db.transaction(readonly=True) as s:
        assert s.get_one(Person, ids["an"]).phone == "0868123456"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "person.update")).one()
        assert (entry.user, entry.before, entry.after) == (
            "can-bo",
            {"phone": None},
            {"phone": "0868123456"},
        )


def test_delete_only_without_history_else_archive(filled) -> None:  # type: ignore[no-untyped-def]
    db, _, ids = filled
    with db.transaction() as s:
        assert person_edit.delete_or_archive(s, ids["an2"]) == "deleted"
        assert person_edit.delete_or_archive(s, ids["ha"]) == "archived"
    with db.transaction(readonly=True) as s:
        assert s.get(Person, ids["an2"]) is None
        assert s.get_one(Person, ids["ha"]).archived_at is not None
        assert people.count(s) == 2
        assert people.count(s, PeopleFilter(include_archived=True)) == 3
    with db.transaction() as s:
        person_edit.restore(s, ids["ha"])
    with db.transaction(readonly=True) as s:
        assert people.count(s) == 3


def test_detail_lists_teams_courses_topics(filled) -> None:  # type: ignore[no-untyped-def]
    db, _, ids = filled
    with db.transaction(readonly=True) as s:
        d = person_detail.detail(s, ids["ha"])
        assert d.row.full_name == "Nguyễn Thị Hà"
        assert [m.team for m in d.memberships] == ["Tổ công nghệ số cộng đồng xã Tân Phong"]
        (course,) = d.courses
        assert (course.code, course.sessions_attended, course.sessions_held) == (
            "TH-2024-001",
            2,
            3,
        )
        assert (course.pre_score, course.post_score) == (5, 8)
        assert d.topics == ["Ứng dụng VNeID và định danh điện tử"]
        assert s.scalar(select(func.count()).select_from(AuditEntry)) >= 4


def test_filter_hamlet_heads_not_yet_trained_on_a_topic(filled) -> None:  # type: ignore[no-untyped-def]
    db, w, ids = filled
    from models import MemberKind, TeamMembership, TeamRole

    with db.transaction() as s:
        for key in ("ha", "binh"):
            s.add(
                TeamMembership(
                    team_id=w.team,
                    person_id=ids[key],
                    role=TeamRole.MEMBER,
                    kind=MemberKind.HAMLET_HEAD,
                )
            )
    with db.transaction(readonly=True) as s:
        heads = PeopleFilter(member_kind="hamlet_head")
        assert names_of(people.page(s, heads)) == ["Trần Văn Bình", "Nguyễn Thị Hà"]
        # Hà attended the VNeID session; Bình was absent every time.
        not_yet = PeopleFilter(member_kind="hamlet_head", not_topic_id=w.topic, unit_id=None)
        assert names_of(people.page(s, not_yet)) == ["Trần Văn Bình"]
