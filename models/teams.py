"""Community digital technology teams ("Tổ công nghệ số cộng đồng") and their members."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Versioned, enum_column
from models.enums import MemberKind, TeamRole, UnitLevel


class Team(Versioned, Base):
    __tablename__ = "teams"
    __table_args__ = (
        UniqueConstraint("unit_id", "name"),
        Index("ix_teams_parent_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[UnitLevel] = mapped_column(enum_column(UnitLevel, "team_level"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="RESTRICT"))
    established_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class TeamMembership(Versioned, Base):
    __tablename__ = "team_memberships"
    __table_args__ = (
        CheckConstraint("left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on", "dates"),
        Index("ix_team_memberships_team_id", "team_id"),
        Index("ix_team_memberships_person_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="RESTRICT"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"))
    role: Mapped[TeamRole] = mapped_column(enum_column(TeamRole, "team_role"))
    kind: Mapped[MemberKind] = mapped_column(enum_column(MemberKind, "member_kind"))
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
