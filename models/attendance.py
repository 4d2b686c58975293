"""Who is in a course, with their scores, and who was at each session."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Versioned, enum_column, utcnow
from models.enums import AttendanceMethod, AttendanceStatus, EnrolmentStatus


class Enrolment(Versioned, Base):
    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("course_id", "person_id"),
        CheckConstraint("pre_score IS NULL OR (pre_score >= 0 AND pre_score <= 100)", "pre_score"),
        CheckConstraint(
            "post_score IS NULL OR (post_score >= 0 AND post_score <= 100)", "post_score"
        ),
        CheckConstraint(
            "completion_override IS NULL OR override_reason IS NOT NULL", "override_reason"
        ),
        Index("ix_enrolments_person_id", "person_id"),
        # Completion figures and courses awaiting certificates: a course's results, read
        # from the index alone (0013).
        Index("ix_enrolments_course_status", "course_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    status: Mapped[EnrolmentStatus] = mapped_column(
        enum_column(EnrolmentStatus, "enrolment_status"), default=EnrolmentStatus.REGISTERED
    )
    registered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(20), default="manual")  # manual, import, walk-in
    pre_score: Mapped[float | None] = mapped_column(Float)
    post_score: Mapped[float | None] = mapped_column(Float)
    completion_override: Mapped[EnrolmentStatus | None] = mapped_column(
        enum_column(EnrolmentStatus, "completion_override")
    )
    override_reason: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Attendance(Versioned, Base):
    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "enrolment_id"),
        Index("ix_attendance_enrolment_id", "enrolment_id"),
        Index("ix_attendance_report", "status", "session_id", "enrolment_id"),  # reports
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="RESTRICT"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="RESTRICT"))
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_column(AttendanceStatus, "attendance_status")
    )
    check_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    method: Mapped[AttendanceMethod] = mapped_column(
        enum_column(AttendanceMethod, "attendance_method"), default=AttendanceMethod.MANUAL
    )
    note: Mapped[str | None] = mapped_column(String(300))
