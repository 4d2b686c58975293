"""The demo's certificates: issued through the certificate service, as staff would.

Each finished course's completers get their certificates a few days after it ends, in
the order of those days, so the serials rise with the issue dates. Issuing renders each
PDF (its SHA-256 is kept, no file is written): the demo issues them for the courses that
ended in the overview's recent window (app.services.overview.RECENT_DAYS), at most
CERTIFICATE_BUDGET certificates at any scale; the courses that ended in the last days wait
for theirs, as they would in the office.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.demo.base import BuilderBase
from app.services import certificates
from app.services.overview import RECENT_DAYS
from models import Course, CourseStatus, Enrolment, EnrolmentStatus

CERTIFICATE_BUDGET = 600
# Courses that ended this many days before "today" still wait for their certificates.
WAITING_DAYS = 14


class CertificatesMixin(BuilderBase):
    def _certificates(self) -> None:
        rng = self.rng
        finished = self.s.execute(
            select(Course.id, Course.end_date, func.count(Enrolment.id))
            .join(Enrolment, Enrolment.course_id == Course.id)
            .where(
                Course.status == CourseStatus.FINISHED,
                Enrolment.status == EnrolmentStatus.COMPLETED,
            )
            .group_by(Course.id, Course.end_date)
            .order_by(Course.end_date.desc(), Course.id.desc())
        ).all()
        chosen: list[tuple[date, int]] = []
        budget = CERTIFICATE_BUDGET
        for course_id, end, completed in finished:
            on = end + timedelta(days=rng.randint(3, 10))
            if on > self.today or end > self.today - timedelta(days=WAITING_DAYS):
                continue  # not issued yet: the overview lists these
            if budget <= 0 or end < self.today - timedelta(days=RECENT_DAYS):
                break
            chosen.append((on, course_id))
            budget -= completed
        for on, course_id in sorted(chosen):
            certificates.issue(self.s, course_id, None, on=on)
