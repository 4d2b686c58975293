"""The dashboard's fact table: what each person attended, a row per month, session mode
and topic, kept by app.facts in the same transaction as the marks it sums up."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

# topic_id of the row that counts every session of the person's month and mode, whatever
# its topics (each topic of the sessions attended has a row of its own as well).
ALL_TOPICS = 0


class TrainingFact(Base):
    """Sessions a person attended (present or late) in one month, of one session mode, on
    one topic (ALL_TOPICS: any). Derived data: rebuilt from the marks by
    `taphuan check --rebuild-facts`."""

    __tablename__ = "training_facts"
    __table_args__ = (
        # The report's counts read this index alone: one topic row kind, a range of
        # months, the rows that are a person's first in it (prev_month, prev_any), and
        # the person, and the person's unit for the counts by commune.
        Index(
            "ix_training_facts_scan",
            "topic_id",
            "month",
            "mode",
            "prev_month",
            "prev_any",
            "person_id",
            "unit_id",
        ),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[int] = mapped_column(Integer, primary_key=True)  # year * 100 + month
    mode: Mapped[str] = mapped_column(String(20), primary_key=True)  # the session's mode
    topic_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # ALL_TOPICS or a topic
    sessions: Mapped[int] = mapped_column(Integer)
    # The month of the person's previous row of the same mode and topic (0: none). The
    # people with a row in months A..B are the rows there with prev_month < A: each
    # person counted once, at their first month in the range, without a DISTINCT.
    prev_month: Mapped[int] = mapped_column(Integer)
    # The same across modes: the month of the previous row of the same topic in (month,
    # mode) order, so a month's second mode row has its own month here (0: none).
    prev_any: Mapped[int] = mapped_column(Integer)
    # The person's unit (people.unit_id) as it is now: a person's unit change recounts
    # their rows, so the counts by commune and by unit need not read the people.
    unit_id: Mapped[int | None] = mapped_column(Integer)


class TrainingCount(Base):
    """How many training facts share a (topic, month, mode, prev_month, prev_any): the
    province-wide counts of people read from some 30,000 rows instead of a million (a
    period's people are the rows with prev before its first month, whoever they are).
    Kept by app.facts with the facts, by adding what a recount changes."""

    __tablename__ = "training_counts"

    topic_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True)
    mode: Mapped[str] = mapped_column(String(20), primary_key=True)
    prev_month: Mapped[int] = mapped_column(Integer, primary_key=True)
    prev_any: Mapped[int] = mapped_column(Integer, primary_key=True)
    people: Mapped[int] = mapped_column(Integer)


class SessionFact(Base):
    """The marks of a session that has any: how many, and how many present or late (the
    attendance rates of Báo cáo without reading the marks). Kept like TrainingFact."""

    __tablename__ = "session_facts"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    present: Mapped[int] = mapped_column(Integer)
    marked: Mapped[int] = mapped_column(Integer)
