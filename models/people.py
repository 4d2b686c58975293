"""Trainees, trainers and team members."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Versioned, enum_column, sort_key_type, utcnow
from models.enums import Gender


class Person(Versioned, Base):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("length(full_name) > 0", "full_name_not_empty"),
        CheckConstraint("citizen_id IS NULL OR length(citizen_id) = 12", "citizen_id_length"),
        CheckConstraint("phone IS NULL OR length(phone) IN (10, 11)", "phone_length"),
        CheckConstraint("birth_date IS NULL OR birth_date >= '1900-01-01'", "birth_date_range"),
        Index("ix_people_search_key", "search_key"),
        Index("ix_people_phone", "phone"),
        Index("ix_people_unit_id", "unit_id"),
        Index("ix_people_birth_date", "birth_date"),
        Index("ix_people_merged_into_id", "merged_into_id"),
        # The Học viên list: active people in name order, searched by name, from the
        # index alone (it also serves every ORDER BY sort_key).
        Index("ix_people_list", "archived_at", "sort_key", "search_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored NFC; the parts are kept because compound family names (Tôn Nữ, Âu Dương)
    # defeat any last-word rule.
    full_name: Mapped[str] = mapped_column(String(150))
    family_name: Mapped[str] = mapped_column(String(60), default="")
    middle_name: Mapped[str] = mapped_column(String(90), default="")
    given_name: Mapped[str] = mapped_column(String(40))
    sort_key: Mapped[str] = mapped_column(sort_key_type())
    search_key: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_year_only: Mapped[bool] = mapped_column(Boolean, default=False)
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender, "gender"))
    citizen_id: Mapped[str | None] = mapped_column(String(12), unique=True)
    phone: Mapped[str | None] = mapped_column(String(11))
    email: Mapped[str | None] = mapped_column(String(120))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    workplace: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(120))
    is_trainer: Mapped[bool] = mapped_column(Boolean, default=False)
    # Personal check-in code, printed as a QR on sign-in sheets and badge cards.
    checkin_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    note: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set when this record was merged into another; it stays, archived, as history.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))


class PersonMerge(Base):
    """One merge of two people, with what moved, so the latest can be undone."""

    __tablename__ = "person_merges"
    __table_args__ = (
        Index("ix_person_merges_kept_id", "kept_id"),
        Index("ix_person_merges_dropped_id", "dropped_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String(60))
    kept_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    dropped_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    moves: Mapped[list[Any]] = mapped_column(JSON)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)
