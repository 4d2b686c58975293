"""Topics, venues, courses ("lớp tập huấn") and their sessions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Versioned, enum_column
from models.enums import CourseStatus, SessionMode


class Topic(Versioned, Base):
    """A skill taught: online public services, VNeID, e-health book, QR payment..."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    group_name: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Venue(Versioned, Base):
    __tablename__ = "venues"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", "capacity_positive"),
        Index("ix_venues_unit_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))


class Course(Versioned, Base):
    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", "dates"),
        CheckConstraint("capacity IS NULL OR capacity > 0", "capacity_positive"),
        CheckConstraint("min_enrolment IS NULL OR min_enrolment >= 0", "min_enrolment"),
        CheckConstraint("min_attendance_pct BETWEEN 0 AND 100", "min_attendance_pct"),
        CheckConstraint("score_scale IN (10, 100)", "score_scale"),
        CheckConstraint("validity_months IS NULL OR validity_months > 0", "validity_months"),
        CheckConstraint(
            "pass_score IS NULL OR (pass_score >= 0 AND pass_score <= score_scale)", "pass_score"
        ),
        CheckConstraint(
            "(grade_excellent IS NULL AND grade_good IS NULL) OR (grade_good >= 0 AND "
            "grade_excellent > grade_good AND grade_excellent <= score_scale)",
            "grade_bands",
        ),
        Index("ix_courses_start_date", "start_date"),
        Index("ix_courses_default_venue_id", "default_venue_id"),
        Index("ix_courses_unit_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    organiser: Mapped[str] = mapped_column(String(300))
    co_organiser: Mapped[str | None] = mapped_column(String(300))
    audience: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)
    min_enrolment: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[CourseStatus] = mapped_column(
        enum_column(CourseStatus, "course_status"), default=CourseStatus.DRAFT
    )
    is_online: Mapped[bool] = mapped_column(Boolean, default=False)
    min_attendance_pct: Mapped[int] = mapped_column(Integer, default=80)
    score_scale: Mapped[int] = mapped_column(Integer, default=10)
    pass_score: Mapped[float | None] = mapped_column(Float)
    default_venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venues.id", ondelete="RESTRICT")
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    note: Mapped[str | None] = mapped_column(Text)
    cancelled_reason: Mapped[str | None] = mapped_column(Text)
    # Certificates of courses whose skills expire are valid this many months.
    validity_months: Mapped[int | None] = mapped_column(Integer)
    # Printed on its certificates: "Căn cứ Quyết định số … ngày … của …" (free text).
    legal_basis: Mapped[str | None] = mapped_column(Text)
    # Grade bands from the final score: Giỏi from grade_excellent, Khá from grade_good,
    # else Đạt; both set or neither.
    grade_excellent: Mapped[float | None] = mapped_column(Float)
    grade_good: Mapped[float | None] = mapped_column(Float)


class CourseTopic(Base):
    """A topic planned for a course."""

    __tablename__ = "course_topics"
    __table_args__ = (Index("ix_course_topics_topic_id", "topic_id"),)

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="RESTRICT"), primary_key=True
    )


class Session(Versioned, Base):
    """One sitting of a course."""

    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", "times"),
        CheckConstraint("grace_minutes >= 0", "grace_minutes"),
        Index("ix_sessions_course_id", "course_id"),
        Index("ix_sessions_starts_at", "starts_at"),
        Index("ix_sessions_venue_id", "venue_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # RESTRICT: sessions go only when the service removes them, never behind its back.
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"))
    title: Mapped[str | None] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # local wall-clock time
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id", ondelete="RESTRICT"))
    mode: Mapped[SessionMode] = mapped_column(
        enum_column(SessionMode, "session_mode"), default=SessionMode.IN_PERSON
    )
    online_link: Mapped[str | None] = mapped_column(String(500))
    grace_minutes: Mapped[int] = mapped_column(Integer, default=15)
    clash_override_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class SessionTrainer(Base):
    __tablename__ = "session_trainers"
    __table_args__ = (Index("ix_session_trainers_person_id", "person_id"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), primary_key=True
    )


class SessionTopic(Base):
    """A topic covered in a session; what an attendee learned follows from these."""

    __tablename__ = "session_topics"
    __table_args__ = (Index("ix_session_topics_topic_id", "topic_id"),)

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="RESTRICT"), primary_key=True
    )
