"""Accounts and roles: the first administrator, sign-in with throttling, the role checks
in the service layer, and the audit trail nobody can change."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from app.db import Database
from app.errors import InvalidValue, UserError
from app.services import access, users
from app.services.access import Actor, Forbidden
from app.services.users import BAD_LOGIN, UserForm
from models import AuditEntry, User
from tests.app import world

NOW = datetime(2026, 11, 28, 9, 0)


def first_admin(db: Database) -> Actor:
    with db.transaction() as s:
        return users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1")


def login(db: Database, name: str, password: str, now: datetime = NOW) -> users.LoginResult:
    with db.transaction() as s:
        return users.login(s, name, password, now)


def audit_count(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_first_admin_then_sign_in(db: Database) -> None:
    with db.transaction() as s:
        with pytest.raises(InvalidValue, match="Hai lần nhập mật khẩu không giống nhau"):
            users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-2")
        with pytest.raises(InvalidValue, match="ít nhất 8 ký tự"):
            users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "ngan", "ngan")
        with pytest.raises(InvalidValue, match="không dùng chữ có dấu"):
            users.create_first_admin(s, "tâm", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1")
    admin = first_admin(db)
    assert (admin.username, admin.role) == ("quantri", "admin")
    with db.transaction() as s, pytest.raises(UserError, match="Đã có tài khoản quản trị"):
        users.create_first_admin(s, "khac", "Lê Văn An", "mat-khau-1", "mat-khau-1")
    ok = login(db, " QuanTri ", "mat-khau-1")
    assert ok.actor == admin and ok.message == ""
    with db.transaction(readonly=True) as s:
        stored = s.scalars(select(User)).one()
    assert stored.password_hash.startswith("scrypt$32768$8$1$") and "mat-khau-1" not in str(
        stored.password_hash
    )
    assert stored.last_login_at == NOW


def test_wrong_passwords_make_the_account_wait(db: Database) -> None:
    first_admin(db)
    before = audit_count(db)
    assert login(db, "khong-co", "mat-khau-1").message == BAD_LOGIN  # unknown: nothing written
    assert audit_count(db) == before
    for _ in range(users.FREE_ATTEMPTS - 1):
        assert login(db, "quantri", "sai-mat-khau").message == BAD_LOGIN
    assert login(db, "quantri", "sai-mat-khau").message == BAD_LOGIN  # the fifth: now it waits
    late = login(db, "quantri", "mat-khau-1", NOW + timedelta(seconds=10))
    assert (late.actor, late.message) == (
        None,
        "Đã nhập sai mật khẩu nhiều lần; hãy thử lại sau 21 giây.",
    )
    assert login(db, "quantri", "sai-mat-khau", NOW + timedelta(seconds=31)).actor is None
    with db.transaction(readonly=True) as s:  # the sixth doubles the wait
        assert s.scalars(select(User)).one().locked_until == NOW + timedelta(seconds=91)
    assert login(db, "quantri", "mat-khau-1", NOW + timedelta(seconds=92)).actor is not None
    with db.transaction(readonly=True) as s:
        u = s.scalars(select(User)).one()
        assert (u.failed_logins, u.locked_until) == (0, None)
        failed = s.scalar(select(func.count()).where(AuditEntry.action == "user.login_failed"))
    assert failed == 6


def test_only_an_administrator_manages_accounts(db: Database) -> None:
    admin = first_admin(db)
    with db.transaction() as s:
        w = world.build(s)
        trainer_person = world.person(s, "Phạm Thị Lan", is_trainer=True)
        not_a_trainer = world.person(s, "Nguyễn Thị Hà")
    db.actor = admin
    with db.transaction() as s:
        with pytest.raises(InvalidValue, match="cần gắn với hồ sơ giảng viên"):
            users.create(s, UserForm("lan.pham", "Phạm Thị Lan", "trainer"), "mat-khau-1")
        with pytest.raises(InvalidValue, match=r"Nguyễn Thị Hà .* không phải giảng viên"):
            users.create(s, UserForm("ha", "Nguyễn Thị Hà", "trainer", not_a_trainer), "mat-khau-1")
        lan = users.create(
            s, UserForm("lan.pham", "Phạm Thị Lan", "trainer", trainer_person), "mat-khau-1"
        )
        users.create(s, UserForm("canbo", "Trần Văn Bình", "staff"), "mat-khau-1")
    first = login(db, "lan.pham", "mat-khau-1")
    assert first.must_change_password and first.actor.role == "trainer"
    db.actor = login(db, "canbo", "mat-khau-1").actor
    before = audit_count(db)
    with (
        db.transaction() as s,
        pytest.raises(
            Forbidden,
            match=re.escape(
                "Tài khoản Trần Văn Bình (Cán bộ) không được quản lý tài khoản người dùng"
            ),
        ),
    ):
        users.create(s, UserForm("moi", "Võ Thị Cúc", "admin"), "mat-khau-1")
    with db.transaction() as s, pytest.raises(Forbidden):
        users.reset_password(s, lan.id, "mat-khau-9")
    assert audit_count(db) == before
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(User)) == 3

    # A trainer may mark attendance only in a course they teach.
    db.actor = first.actor
    with db.transaction() as s:
        with pytest.raises(Forbidden, match="chỉ được điểm danh ở khóa mình dạy"):
            access.require_course(s, "attendance", w.course)
        with pytest.raises(Forbidden, match="không được xem và sửa danh sách học viên"):
            access.require(s, "people")
    with db.transaction() as s:
        from models import SessionTrainer

        s.add(SessionTrainer(session_id=w.sessions[0], person_id=trainer_person))
    with db.transaction() as s:
        assert access.require_course(s, "attendance", w.course).username == "lan.pham"
        assert access.course_scope(s) == {w.course}


def test_the_last_administrator_stays(db: Database) -> None:
    admin = first_admin(db)
    db.actor = admin
    with db.transaction(readonly=True) as s:
        row = users.listing(s)[0]
    with db.transaction() as s, pytest.raises(UserError, match="Không thể tự bỏ quyền quản trị"):
        users.update(s, row.id, UserForm("quantri", "Nguyễn Văn Tâm", "staff"), row.version)
    db.actor = None  # a single-user install working without sign-in
    with db.transaction() as s, pytest.raises(UserError, match="ít nhất một tài khoản quản trị"):
        users.update(s, row.id, UserForm("quantri", "Nguyễn Văn Tâm", "staff"), row.version)
    with db.transaction() as s:
        users.create(s, UserForm("pho", "Lê Thị Mai", "admin"), "mat-khau-1")
    db.actor = login(db, "pho", "mat-khau-1").actor
    with db.transaction() as s:
        users.update(
            s, row.id, UserForm("quantri", "Nguyễn Văn Tâm", "staff", active=False), row.version
        )
    # Signed in before being locked out: the next action is refused, not allowed as admin.
    db.actor = admin
    with db.transaction() as s, pytest.raises(Forbidden, match="“quantri” đã bị khóa"):
        users.listing(s)


def test_nobody_changes_or_deletes_an_audit_entry(db: Database) -> None:
    first_admin(db)
    for statement in (
        update(AuditEntry).values(user="khac"),
        delete(AuditEntry),
    ):
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as s:
            s.execute(statement)
    if not db.is_sqlite:
        with pytest.raises(DBAPIError, match="append-only"), db.transaction() as s:
            s.execute(text("TRUNCATE audit_entries"))
    assert audit_count(db) == 1


def test_each_role_in_the_services(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Not buttons hidden: the services themselves refuse, and nothing is written."""
    from app.services import attendance, courses, exports, people, settings
    from app.services.people import PeopleFilter
    from models import Attendance, AttendanceStatus, Course, SessionTrainer

    admin = first_admin(db)
    with db.transaction() as s:
        w = world.build(s)
        lan = world.person(s, "Phạm Thị Lan", is_trainer=True)
        ha = world.person(s, "Nguyễn Thị Hà")
        enrolment = world.enrol(s, w, ha, [])
        s.add(SessionTrainer(session_id=w.sessions[0], person_id=lan))
        other = Course(code="TH-2024-009", title="Khóa khác", organiser="Sở",
                       start_date=w_start(), end_date=w_start())  # fmt: skip
        s.add(other)
        s.flush()
        from models import Session as CourseSession

        s.add(CourseSession(course_id=other.id, starts_at=datetime(2024, 5, 2, 7, 30),
                            ends_at=datetime(2024, 5, 2, 11, 0)))  # fmt: skip
    db.actor = admin
    with db.transaction() as s:
        users.create(s, UserForm("lan", "Phạm Thị Lan", "trainer", lan), "mat-khau-1")
        users.create(s, UserForm("binh", "Trần Văn Bình", "staff"), "mat-khau-1")

    db.actor = login(db, "binh", "mat-khau-1").actor  # staff
    with db.transaction(readonly=True) as s:
        assert people.count(s, PeopleFilter()) == 2
    with db.transaction() as s, pytest.raises(Forbidden, match="thay đổi thiết lập"):
        settings.set_value(s, "issuer", "SỞ KHÁC")
    with db.transaction() as s, pytest.raises(Forbidden, match="xem đầy đủ số CCCD"):
        exports.export_people(s, tmp_path / "ds.xlsx", unmask=True)
    assert not (tmp_path / "ds.xlsx").exists()
    with db.transaction() as s:
        assert exports.export_people(s, tmp_path / "ds.xlsx") == 2  # masked: allowed

    db.actor = login(db, "lan", "mat-khau-1").actor  # trainer of w.course only
    with db.transaction(readonly=True) as s:
        assert [c.code for c in courses.catalogue(s)] == ["TH-2024-001"]
        with pytest.raises(Forbidden, match="không được xem và sửa danh sách học viên"):
            people.count(s, PeopleFilter())
    with db.transaction() as s:
        attendance.mark(s, w.course, w.sessions[0], enrolment, "present")
    with db.transaction() as s, pytest.raises(Forbidden, match="không được lập và sửa khóa học"):
        courses.delete_course(s, w.course)
    with db.transaction(readonly=True) as s:
        marks = s.scalars(select(Attendance.status)).all()
        other_id = s.scalar(select(Course.id).where(Course.code == "TH-2024-009"))
    assert marks == [AttendanceStatus.PRESENT]
    with db.transaction(readonly=True) as s, pytest.raises(Forbidden, match="ở khóa mình dạy"):
        attendance.grid(s, other_id)
    from app.services import scheduling

    with db.transaction(readonly=True) as s:  # the calendar: only the courses they teach
        shown = scheduling.between(s, date(2024, 1, 1), date(2024, 12, 31))
    assert {r.course_code for r in shown} == {"TH-2024-001"}


def w_start():  # type: ignore[no-untyped-def]
    from datetime import date

    return date(2024, 5, 2)


def test_the_application_role_holds_no_right_to_change_the_audit_trail(pg_server) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL, the role that migrated the database (and owns its tables) has no
    UPDATE, DELETE or TRUNCATE on audit_entries, besides the trigger."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.exc import ProgrammingError

    if pg_server is None:
        pytest.skip("TAPHUAN_TEST_PG_URL is not set: no PostgreSQL server")
    role, name = f"taphuan_app_{uuid.uuid4().hex[:8]}", f"taphuan_r_{uuid.uuid4().hex[:8]}"
    with pg_server.admin.connect() as c:
        c.execute(text(f"CREATE ROLE {role} LOGIN"))
        c.execute(text(f"CREATE DATABASE {name} OWNER {role}"))
    url = pg_server.url.set(username=role, password=None, database=name)
    try:
        db = Database(url.render_as_string(hide_password=False))
        db.upgrade()
        first_admin(db)
        engine = create_engine(url)
        with engine.connect() as c:
            rights = c.execute(text(
                "SELECT has_table_privilege(current_user, 'audit_entries', 'UPDATE'),"
                " has_table_privilege(current_user, 'audit_entries', 'DELETE'),"
                " has_table_privilege(current_user, 'audit_entries', 'INSERT')"
            )).one()  # fmt: skip
            assert tuple(rights) == (False, False, True)
            with pytest.raises(ProgrammingError, match="permission denied"):
                c.execute(text("DELETE FROM audit_entries"))
        engine.dispose()
        db.close()
    finally:
        pg_server.drop(name)
        with pg_server.admin.connect() as c:
            c.execute(text(f"DROP ROLE {role}"))
