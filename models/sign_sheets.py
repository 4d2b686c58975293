"""Printed sign-in sheets that can be read back (issue 19): which sheet a page QR names,
and where each of its rows was printed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class SignSheet(Base):
    """One printing of a session's sign-in sheet. Its code is in every page's QR."""

    __tablename__ = "sign_sheets"
    __table_args__ = (
        Index("ix_sign_sheets_session_id", "session_id"),
        Index("ix_sign_sheets_course_id", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)  # Crockford base 32
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    printed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    printed_by: Mapped[str] = mapped_column(String(200))
    pages: Mapped[int] = mapped_column(Integer)
    page_w: Mapped[float] = mapped_column(Float)  # points
    page_h: Mapped[float] = mapped_column(Float)
    sign_x0: Mapped[float] = mapped_column(Float)  # the "Ký tên" column, points from the left
    sign_x1: Mapped[float] = mapped_column(Float)
    name_x0: Mapped[float] = mapped_column(Float)  # the "Họ và tên" column (walk-ins' names)
    name_x1: Mapped[float] = mapped_column(Float)


class SignSheetRow(Base):
    """A numbered row of a printed sheet: whose it was (none: a blank row for a walk-in)
    and where it was printed (points from the bottom of the page)."""

    __tablename__ = "sign_sheet_rows"
    __table_args__ = (Index("ix_sign_sheet_rows_enrolment_id", "enrolment_id"),)

    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("sign_sheets.id", ondelete="CASCADE"), primary_key=True
    )
    row_no: Mapped[int] = mapped_column(Integer, primary_key=True)  # the STT printed
    page: Mapped[int] = mapped_column(Integer)
    y_top: Mapped[float] = mapped_column(Float)
    y_bottom: Mapped[float] = mapped_column(Float)
    # None: a blank row (blank), or the enrolment deleted since the printing (not blank).
    enrolment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolments.id", ondelete="SET NULL"), nullable=True
    )
    blank: Mapped[bool] = mapped_column(Boolean, default=False)  # printed for a walk-in
