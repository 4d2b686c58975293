"""Two programs issuing certificates for different courses at the same moment, on a
year with no serial yet: never a duplicate serial, no gap, and neither fails. On
PostgreSQL (the shared office) and on SQLite."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.db import Database
from app.services import settings
from models import Certificate, Course, Enrolment, EnrolmentStatus, SerialCounter
from tests.app import world
from tests.app.crash import ROOT, env

PER_COURSE = 150


def prepare(db: Database) -> None:
    with db.transaction() as s:
        for key, value in (("issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), ("signer_name", "Nguyễn Văn Tâm"),
                           ("serial_pattern", "{seq:04d}/{year}/GCN")):  # fmt: skip
            settings.set_value(s, key, value)
        for code in ("TH-2026-801", "TH-2026-802"):
            course = Course(code=code, title="Kỹ năng số", organiser="Sở",
                            start_date=date(2026, 11, 2), end_date=date(2026, 11, 6))  # fmt: skip
            s.add(course)
            s.flush()
            for i in range(PER_COURSE):
                pid = world.person(s, "Nguyễn Thị Hà", workplace=f"{code} {i}")
                s.add(Enrolment(course_id=course.id, person_id=pid,
                                status=EnrolmentStatus.COMPLETED, post_score=8))  # fmt: skip


def test_two_programs_issuing_at_once_never_share_a_serial(db: Database, tmp_path: Path) -> None:
    prepare(db)
    target = str(db.path) if db.path else db.url.render_as_string(hide_password=False)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "app", "--db", target, "certificates", "issue", "--course",
             code, "--out", str(tmp_path / f"{code}.pdf")],
            env=env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for code in ("TH-2026-801", "TH-2026-802")
    ]  # fmt: skip
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _out, err in results]
    with db.transaction(readonly=True) as s:
        serials = list(s.scalars(select(Certificate.serial)))
        last = s.scalar(select(SerialCounter.last))
        per_course = dict(
            s.execute(
                select(Certificate.course_id, func.count()).group_by(Certificate.course_id)
            ).all()
        )
    year = date.today().year
    assert len(serials) == len(set(serials)) == 2 * PER_COURSE == last
    assert sorted(serials) == [f"{n:04d}/{year}/GCN" for n in range(1, 2 * PER_COURSE + 1)]
    assert sorted(per_course.values()) == [PER_COURSE, PER_COURSE]


SAME_COURSE = 129  # the people who got two certificates each on PostgreSQL


def test_two_programs_issuing_the_same_course_give_each_person_one_certificate(
    db: Database, tmp_path: Path
) -> None:
    """Both start at once; one issues, the other finds nobody left (or, on a race, is
    refused by the database): one certificate in force per person, no paper for a serial
    the register does not hold."""
    with db.transaction() as s:
        for key, value in (("issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), ("signer_name", "Nguyễn Văn Tâm"),
                           ("serial_pattern", "{seq:04d}/{year}/GCN")):  # fmt: skip
            settings.set_value(s, key, value)
        course = Course(code="TH-2026-803", title="Kỹ năng số", organiser="Sở",
                        start_date=date(2026, 11, 2), end_date=date(2026, 11, 6))  # fmt: skip
        s.add(course)
        s.flush()
        for i in range(SAME_COURSE):
            pid = world.person(s, "Lê Thị Lan", workplace=f"xã {i}")
            s.add(Enrolment(course_id=course.id, person_id=pid,
                            status=EnrolmentStatus.COMPLETED, post_score=8))  # fmt: skip
    target = str(db.path) if db.path else db.url.render_as_string(hide_password=False)
    outs = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "app", "--db", target, "certificates", "issue", "--course",
             "TH-2026-803", "--out", str(out)],
            env=env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for out in outs
    ]  # fmt: skip
    results = [p.communicate(timeout=300) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 3], results
    loser = next(err for p, (_o, err) in zip(procs, results, strict=True) if p.returncode == 3)
    assert "Không có ai trong TH-2026-803 đủ điều kiện mà chưa được cấp" in loser or (
        "vừa được cấp giấy chứng nhận cho khóa TH-2026-803 ở một máy khác" in loser
    )
    with db.transaction(readonly=True) as s:
        rows = s.execute(select(Certificate.enrolment_id, Certificate.serial)).all()
    assert len(rows) == SAME_COURSE == len({e for e, _ in rows}) == len({x for _, x in rows})
    assert [out.exists() for out in outs].count(True) == 1  # the loser printed nothing
