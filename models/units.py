"""Administrative units, old (pre-2025) and new, and how they map onto each other."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Versioned, enum_column
from models.enums import UnitLevel, UnitScheme


class Unit(Versioned, Base):
    """A province, district (until 30/06/2025), commune/ward or hamlet/quarter.

    Official codes were reused with new meanings in 2025, so (scheme, level, code) is
    unique but never the key; records keep the unit they had.
    """

    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("scheme", "level", "code"),
        CheckConstraint(
            "valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from", "valid_dates"
        ),
        Index("ix_units_parent_id", "parent_id"),
        Index("ix_units_search_key", "search_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[UnitScheme] = mapped_column(enum_column(UnitScheme, "unit_scheme"))
    level: Mapped[UnitLevel] = mapped_column(enum_column(UnitLevel, "unit_level"))
    code: Mapped[str | None] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(150))
    kind: Mapped[str] = mapped_column(String(40))  # "Tỉnh", "Phường", "Xã", "Ấp", "Khu phố"...
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    search_key: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])


class UnitLineage(Base):
    """Old unit -> new unit. A split commune has several successors, a merged one many
    predecessors."""

    __tablename__ = "unit_lineage"
    __table_args__ = (
        CheckConstraint("predecessor_id <> successor_id", "not_self"),
        Index("ix_unit_lineage_successor_id", "successor_id"),
    )

    predecessor_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True
    )
    successor_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="RESTRICT"), primary_key=True
    )
