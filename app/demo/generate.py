"""Fill an empty database with demo data: same seed, same data.

Scale 1 is Bến Tre's teams in 2022 (9 district, 129 commune and 427 hamlet teams, about
4,000 members), re-formed in Vĩnh Long on 01/07/2025 (app.demo.merger), and 110 courses
plus those running now and in the next four weeks; each further step of scale adds 4,000 trainees and 110
courses, so --scale 25 gives about 100,000 people and 1,000,000 attendance rows.
Rows are written with bulk inserts and explicit ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session as OrmSession

from app import facts
from app.db import Database
from app.demo.base import (
    TRAINEES_PER_EXTRA_SCALE,
    Progress,
)
from app.demo.certificates import CertificatesMixin
from app.demo.courses import CoursesMixin
from app.demo.merger import MergerMixin
from app.demo.org import OrgMixin
from app.errors import DatabaseNotEmpty
from app.services import units as unit_service
from models import (
    Attendance,
    Course,
    Enrolment,
    Person,
    Session,
    Team,
    TeamMembership,
)


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        labels = {
            "people": "người",
            "teams": "tổ CNSCĐ",
            "team_memberships": "thành viên tổ",
            "courses": "khóa học",
            "sessions": "buổi học",
            "enrolments": "lượt ghi danh",
            "attendance": "lượt điểm danh",
        }
        return "\n".join(
            f"  {labels[k]:<16}{self.counts.get(k, 0):>12,}".replace(",", ".") for k in labels
        )


def fill(
    db: Database,
    scale: int = 1,
    seed: int = 2022,
    progress: Progress | None = None,
    today: date | None = None,
) -> Summary:
    """Seed the official units, then the demo as of `today` (default: the day it is made),
    so this week has its sessions: same seed and same today, same data. Refuses a database
    that already has people."""
    say = progress or (lambda _step: None)
    with db.transaction() as s:
        if s.scalar(select(func.count()).select_from(Person)):
            raise DatabaseNotEmpty(
                "Cơ sở dữ liệu đã có dữ liệu; chỉ nạp dữ liệu mẫu vào cơ sở dữ liệu trống "
                "(ví dụ: taphuan --db mau.db demo)."
            )
        say("Danh mục đơn vị hành chính")
        unit_service.seed_official(s)
        builder = _Builder(s, random.Random(seed), scale, say, today or date.today())
        builder.run()
        facts.rebuild(s)  # the marks went in by bulk inserts: one set-based recount
        if db.engine.dialect.name == "postgresql":
            _advance_sequences(s)
    db.analyze()
    with db.transaction(readonly=True) as s:
        tables = [Person, Team, TeamMembership, Course, Session, Enrolment, Attendance]
        counts = {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0 for m in tables
        }
    return Summary(counts)


def _advance_sequences(s: OrmSession) -> None:
    # Explicit ids bypass PostgreSQL's sequences; move them past the rows written.
    for table in (
        "units",
        "people",
        "teams",
        "team_memberships",
        "topics",
        "venues",
        "courses",
        "sessions",
        "enrolments",
        "attendance",
        "users",
    ):
        s.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


class _Builder(OrgMixin, MergerMixin, CoursesMixin, CertificatesMixin):
    """Builds the demo in dependency order, in the caller's transaction."""

    def run(self) -> None:
        self.say("Đơn vị hành chính cũ của Bến Tre và các ấp, khu phố")
        self._units()
        self.say("Chủ đề, địa điểm, cài đặt")
        self._topics_venues_settings()
        self.say("Tổ công nghệ số cộng đồng và thành viên")
        self._teams_and_members()
        if self.scale > 1:
            self.say(
                f"Thêm {(self.scale - 1) * TRAINEES_PER_EXTRA_SCALE:,} học viên".replace(",", ".")
            )
            self._extra_trainees()
        self.say("Sắp xếp đơn vị hành chính từ 01/07/2025: tỉnh Vĩnh Long, tổ kiện toàn")
        self._merger()
        self.say("Khóa học, buổi học, ghi danh, điểm danh")
        self._courses()
        self._bring_up_to_date(self.later_people | self.now_members)
        self.say("Cấp giấy chứng nhận cho các khóa đã kết thúc")
        self._certificates()
