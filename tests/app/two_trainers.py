"""Two trainers, two finished courses: Phạm Thị Lan (A) teaches TH-2024-001, Võ Minh Tuấn
(B) teaches TH-2024-002. Both courses have certificates issued by the department; one
person of A's course completed but holds none yet (for A to issue). Accounts: quantri
(administrator), canbo (staff), lan and tuan (trainers), all with the password PASSWORD
and none with a temporary one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from app.db import Database
from app.services import certificates, users
from app.services.access import Actor
from app.services.users import UserForm
from models import Course, CourseStatus, Enrolment, EnrolmentStatus, SessionTrainer, User
from models import Session as CourseSession
from tests.app import world
from tests.app.test_certificates import configure

PASSWORD = "mat-khau-1"
A_NAMES = ("Nguyễn Thị Thanh Hà", "Lê Văn An")
A_PENDING = "Trần Thị Bích Ngọc"  # completed A's course, no certificate yet
B_NAMES = ("Đặng Văn Khoa", "Huỳnh Thị Mỹ Duyên")


@dataclass
class TwoTrainers:
    course_a: int
    course_b: int
    serials_a: list[str]
    serials_b: list[str]
    pending: int  # the enrolment in A's course with no certificate
    accounts: dict[str, Actor]  # quantri, canbo, lan, tuan


def _completed(s, course_id: int, name: str) -> int:  # type: ignore[no-untyped-def]
    person = world.person(s, name, birth_date=date(1988, 7, 14))
    e = Enrolment(course_id=course_id, person_id=person, post_score=9,
                  status=EnrolmentStatus.COMPLETED)  # fmt: skip
    s.add(e)
    s.flush()
    return e.id


def build(db: Database) -> TwoTrainers:
    with db.transaction() as s:
        admin = users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", PASSWORD, PASSWORD)
        w = world.build(s)
        course_b = Course(code="TH-2024-002", title="Thanh toán không dùng tiền mặt",
                          organiser="Sở KH&CN", start_date=date(2024, 4, 8),
                          end_date=date(2024, 4, 9))  # fmt: skip
        s.add(course_b)
        s.flush()
        session_b = CourseSession(course_id=course_b.id, starts_at=datetime(2024, 4, 8, 7, 30),
                                  ends_at=datetime(2024, 4, 8, 11, 0))  # fmt: skip
        s.add(session_b)
        lan = world.person(s, "Phạm Thị Lan", is_trainer=True)
        tuan = world.person(s, "Võ Minh Tuấn", is_trainer=True)
        s.flush()
        s.add_all([
            SessionTrainer(session_id=w.sessions[0], person_id=lan),
            SessionTrainer(session_id=session_b.id, person_id=tuan),
        ])  # fmt: skip
        for course_id in (w.course, course_b.id):
            s.get_one(Course, course_id).status = CourseStatus.FINISHED
        enrolled_a = [_completed(s, w.course, n) for n in A_NAMES]
        pending = _completed(s, w.course, A_PENDING)
        enrolled_b = [_completed(s, course_b.id, n) for n in B_NAMES]
        configure(s)
        s.info["actor"] = admin
        users.create(s, UserForm("canbo", "Trần Thị Thu Trang", "staff"), PASSWORD)
        users.create(s, UserForm("lan", "Phạm Thị Lan", "trainer", lan), PASSWORD)
        users.create(s, UserForm("tuan", "Võ Minh Tuấn", "trainer", tuan), PASSWORD)
        s.execute(update(User).values(must_change_password=False))  # as if each had changed it
        issued_a = certificates.issue(s, w.course, enrolled_a)
        issued_b = certificates.issue(s, course_b.id, enrolled_b)
        accounts = {u.username: users.actor_of(u) for u in s.scalars(select(User))}
        return TwoTrainers(w.course, course_b.id, [r.serial for r in issued_a],
                           [r.serial for r in issued_b], pending, accounts)  # fmt: skip
