"""Shared pieces of the demo builder: constants, ids, bulk inserts."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session as OrmSession

# The tests' "today" (the demo itself takes the day it is made: same seed, same today,
# same data).
DEMO_TODAY = date(2026, 11, 15)
COURSES_PER_SCALE = 110
TRAINEES_PER_EXTRA_SCALE = 4_000
CHUNK = 20_000
ORGANISER_OLD = "Sở Thông tin và Truyền thông tỉnh Bến Tre"
ORGANISER_NEW = "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"
CO_ORGANISER = "Cục Chuyển đổi số quốc gia"

Progress = Callable[[str], None]


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


def _chunks(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class District:
    unit_id: int
    name: str
    communes: list[int]  # old commune unit ids
    commune_names: dict[int, str]
    hamlets: dict[int, list[int]]  # old commune id -> hamlet unit ids
    venue_ids: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)
    successor: dict[int, int] = field(default_factory=dict)  # old commune -> 2025 commune
    new_venues: dict[int, int] = field(default_factory=dict)  # 2025 commune -> its venue

    @property
    def new_communes(self) -> list[int]:
        """The 2025 communes and wards that took this district's communes over."""
        return sorted(set(self.successor.values()))


class BuilderBase:
    """State shared by the demo's parts: explicit ids, lookups, the caller's session."""

    def __init__(
        self, s: OrmSession, rng: random.Random, scale: int, say: Progress, today: date
    ) -> None:
        self.s, self.rng, self.scale, self.say, self.today = s, rng, scale, say, today
        self.province_2025: int | None = None
        # Kept for the merger of 01/07/2025 (app.demo.merger): who was where before it.
        self.addresses: dict[int, tuple[int | None, str]] = {}  # person -> unit, workplace
        self.team_rows: list[dict[str, Any]] = []
        self.member_rows: list[dict[str, Any]] = []
        self.new_units: dict[int, int] = {}  # old commune or hamlet -> its 2025 unit
        self.hamlet_commune: dict[int, int] = {}  # old hamlet -> old commune
        self.now_members: set[int] = set()  # people in a team after the merger
        self.later_people: set[int] = set()  # trainees and trainers after the merger
        self.next_id: dict[str, int] = {}
        self.districts: list[District] = []
        self.used_cccd: set[str] = set()
        self.used_codes: set[str] = set()
        self.trainers: list[int] = []
        self.topic_ids: dict[str, int] = {}
        self.unit_names: dict[int, str] = {}

    def _id(self, table: str) -> int:
        if table not in self.next_id:
            current = self.s.scalar(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}"))
            self.next_id[table] = int(current or 0) + 1
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def _insert(self, model: Any, rows: Iterable[dict[str, Any]]) -> None:
        for batch in _chunks(rows):
            self.s.execute(insert(model), batch)
