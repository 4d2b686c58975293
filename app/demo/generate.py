"""Fill an empty database with demo data: same seed, same data.

Scale 1 is Bến Tre's teams in 2022 (9 district, 129 commune and 427 hamlet teams, about
4,000 members) and 110 courses; each further step of scale adds 4,000 trainees and 110
courses, so --scale 25 gives about 100,000 people and 1,000,000 attendance rows.
Rows are written with bulk inserts and explicit ids.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session as OrmSession

from app.db import Database
from app.demo import ben_tre
from app.demo import names_data as nd
from app.errors import DatabaseNotEmpty
from app.services import units as unit_service
from app.vn import names
from app.vn.units import PRE2025_UNTIL, SCHEME_2025_FROM
from models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Course,
    CourseStatus,
    CourseTopic,
    Enrolment,
    EnrolmentStatus,
    Gender,
    MemberKind,
    Person,
    Session,
    SessionMode,
    SessionTopic,
    SessionTrainer,
    Setting,
    Team,
    TeamMembership,
    TeamRole,
    Topic,
    Unit,
    UnitLevel,
    UnitLineage,
    UnitScheme,
    User,
    UserRole,
    Venue,
)

# The demo's "today": fixed, so the same seed gives the same data on any day.
DEMO_TODAY = date(2026, 11, 15)
COURSES_PER_SCALE = 110
TRAINEES_PER_EXTRA_SCALE = 4_000
CHUNK = 20_000
ORGANISER_OLD = "Sở Thông tin và Truyền thông tỉnh Bến Tre"
ORGANISER_NEW = "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"
CO_ORGANISER = "Cục Chuyển đổi số quốc gia"

Progress = Callable[[str], None]


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
    db: Database, scale: int = 1, seed: int = 2022, progress: Progress | None = None
) -> Summary:
    """Seed the official units, then the demo: refuses a database that already has people."""
    say = progress or (lambda _step: None)
    with db.transaction() as s:
        if s.scalar(select(func.count()).select_from(Person)):
            raise DatabaseNotEmpty(
                "Cơ sở dữ liệu đã có dữ liệu; chỉ nạp dữ liệu mẫu vào cơ sở dữ liệu trống "
                "(ví dụ: taphuan --db mau.db demo)."
            )
        say("Danh mục đơn vị hành chính")
        unit_service.seed_official(s)
        builder = _Builder(s, random.Random(seed), scale, say)
        builder.run()
        if db.engine.dialect.name == "postgresql":
            _advance_sequences(s)
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


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
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
class _District:
    unit_id: int
    name: str
    communes: list[int]  # old commune unit ids
    commune_names: dict[int, str]
    hamlets: dict[int, list[int]]  # old commune id -> hamlet unit ids
    venue_ids: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)


class _Builder:
    def __init__(self, s: OrmSession, rng: random.Random, scale: int, say: Progress) -> None:
        self.s, self.rng, self.scale, self.say = s, rng, scale, say
        self.next_id: dict[str, int] = {}
        self.districts: list[_District] = []
        self.used_cccd: set[str] = set()
        self.used_phone: set[str] = set()
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
        self.say("Khóa học, buổi học, ghi danh, điểm danh")
        self._courses()

    # -- units ---------------------------------------------------------------------

    def _units(self) -> None:
        s = self.s
        new_ids = {
            name: uid
            for name, uid in s.execute(
                select(Unit.name, Unit.id).where(
                    Unit.scheme == UnitScheme.Y2025, Unit.level == UnitLevel.COMMUNE
                )
            )
        }
        province_2025 = s.scalar(
            select(Unit.id).where(
                Unit.scheme == UnitScheme.Y2025,
                Unit.level == UnitLevel.PROVINCE,
                Unit.code == ben_tre.PROVINCE_CODE_2025,
            )
        )
        old = dict(scheme=UnitScheme.PRE2025, valid_from=None, valid_to=PRE2025_UNTIL, note=None)
        units: list[dict[str, Any]] = []
        lineage: list[dict[str, Any]] = []
        province_id = self._id("units")
        units.append(
            dict(
                old,
                id=province_id,
                level=UnitLevel.PROVINCE,
                code=ben_tre.PROVINCE_CODE_PRE2025,
                name=ben_tre.PROVINCE_NAME_PRE2025,
                kind="Tỉnh",
                parent_id=None,
                search_key=names.fold(ben_tre.PROVINCE_NAME_PRE2025),
            )
        )
        if province_2025:
            lineage.append({"predecessor_id": province_id, "successor_id": province_2025})
        commune_code = 28700
        hamlets: list[dict[str, Any]] = []
        for dcode, dname, communes, successors in ben_tre.DISTRICTS:
            did = self._id("units")
            kind = "Thành phố" if dname.startswith("Thành phố") else "Huyện"
            units.append(
                dict(
                    old,
                    id=did,
                    level=UnitLevel.DISTRICT,
                    code=dcode,
                    name=dname,
                    kind=kind,
                    parent_id=province_id,
                    search_key=names.fold(dname),
                )
            )
            district = _District(did, dname, [], {}, {})
            successor_ids = [new_ids[n] for n in successors if n in new_ids]
            for i, cname in enumerate(communes):
                cid = self._id("units")
                commune_code += 3
                ckind = cname.split(" ")[0] if not cname.startswith("Thị trấn") else "Thị trấn"
                units.append(
                    dict(
                        old,
                        id=cid,
                        level=UnitLevel.COMMUNE,
                        code=str(commune_code),
                        name=cname,
                        kind=ckind,
                        parent_id=did,
                        search_key=names.fold(cname),
                    )
                )
                district.communes.append(cid)
                district.commune_names[cid] = cname
                self.unit_names[cid] = cname
                if successor_ids:
                    same = [
                        new_ids[n] for n in successors if n in new_ids and _bare(n) == _bare(cname)
                    ]
                    targets = same or successor_ids
                    lineage.append(
                        {"predecessor_id": cid, "successor_id": targets[i % len(targets)]}
                    )
                district.hamlets[cid] = []
                town = cname.startswith(("Phường", "Thị trấn"))
                for h in range(1, self.rng.randint(2, 4) + 1):
                    hid = self._id("units")
                    hname = f"Khu phố {h}" if town else f"Ấp {self._hamlet_name(h)}"
                    hamlets.append(
                        dict(
                            scheme=UnitScheme.PRE2025,
                            id=hid,
                            level=UnitLevel.HAMLET,
                            code=None,
                            name=hname,
                            kind="Khu phố" if town else "Ấp",
                            parent_id=cid,
                            valid_from=None,
                            valid_to=None,
                            note="Ấp, khu phố do người dùng thêm (dữ liệu mẫu)",
                            search_key=names.fold(hname),
                        )
                    )
                    district.hamlets[cid].append(hid)
                    self.unit_names[hid] = f"{hname}, {cname}"
            self.districts.append(district)
        self._insert(Unit, units)
        self._insert(Unit, hamlets)
        self._insert(UnitLineage, lineage)

    def _hamlet_name(self, n: int) -> str:
        pool = [
            "An Thạnh",
            "Phú Lợi",
            "Thạnh Hòa",
            "Bình Hòa",
            "Tân Phú",
            "Giồng Keo",
            "Cồn Cát",
            "Hòa Thạnh",
            "Thạnh Lộc",
            "Mỹ Thuận",
            "Phước Hậu",
            "An Bình",
        ]
        return str(n) if self.rng.random() < 0.45 else self.rng.choice(pool)

    # -- reference data ------------------------------------------------------------

    def _topics_venues_settings(self) -> None:
        topics = []
        for order, (code, name, group) in enumerate(nd.TOPICS):
            tid = self._id("topics")
            self.topic_ids[code] = tid
            topics.append(
                {
                    "id": tid,
                    "code": code,
                    "name": name,
                    "group_name": group,
                    "description": None,
                    "sort_order": order,
                    "active": True,
                }
            )
        self._insert(Topic, topics)
        venues = [
            {
                "id": self._id("venues"),
                "name": "Hội trường Sở Thông tin và Truyền thông",
                "address": "Số 39 Đường 30/4, Phường An Hội, Bến Tre",
                "capacity": 150,
                "unit_id": self.districts[0].communes[0],
            }
        ]
        self.province_venue = venues[0]["id"]
        for d in self.districts:
            short = d.name.replace("Huyện ", "").replace("Thành phố ", "TP ")
            for name, cap in (
                (f"Hội trường UBND huyện {short}", 120),
                (f"Trung tâm Chính trị {short}", 80),
            ):
                vid = self._id("venues")
                venues.append(
                    {
                        "id": vid,
                        "name": name.replace("huyện TP ", "TP "),
                        "address": d.name,
                        "capacity": cap,
                        "unit_id": d.communes[0],
                    }
                )
                d.venue_ids.append(vid)
        self._insert(Venue, venues)
        settings = {
            "issuing_body": ORGANISER_NEW,
            "issuing_body_parent": "UBND tỉnh Vĩnh Long",
            "signer_name": "Nguyễn Văn Tâm",
            "signer_title": "Giám đốc",
            "default_co_organiser": CO_ORGANISER,
            "certificate_serial_pattern": "CN-{year}-{seq:05d}",
        }
        self._insert(Setting, [{"key": k, "value": v} for k, v in settings.items()])
        self._insert(
            User,
            [
                {
                    "id": self._id("users"),
                    "username": "admin",
                    "full_name": "Quản trị hệ thống",
                    "role": UserRole.ADMIN,
                    "password_hash": None,
                    "active": True,
                    "person_id": None,
                }
            ],
        )

    # -- people --------------------------------------------------------------------

    def _person(
        self,
        unit_id: int | None,
        workplace: str,
        position: str,
        young: bool = False,
        trainer: bool = False,
        full: str | None = None,
    ) -> dict[str, Any]:
        rng = self.rng
        female = rng.random() < 0.5
        if full is None:
            family = _weighted(rng, nd.FAMILY)
            middle = _weighted(rng, nd.MIDDLE_FEMALE if female else nd.MIDDLE_MALE)
            given = rng.choice(nd.GIVEN_FEMALE if female else nd.GIVEN_MALE)
            full = f"{family} {middle} {given}"
        else:
            female = " Thị " in full or full.split()[-1] in nd.GIVEN_FEMALE
        parts = names.split(full)
        year = rng.randint(1994, 2005) if young else rng.randint(1963, 2000)
        birth = date(year, rng.randint(1, 12), rng.randint(1, 28))
        cccd = None
        if rng.random() < 0.88:
            century = (0 if year < 2000 else 2) + (1 if female else 0)
            while True:
                cccd = f"083{century}{year % 100:02d}{rng.randint(0, 999_999):06d}"
                if cccd not in self.used_cccd:
                    self.used_cccd.add(cccd)
                    break
        phone = None
        if rng.random() < 0.92:
            phone = f"{rng.choice(nd.MOBILE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"
        return {
            "id": self._id("people"),
            "full_name": parts.full,
            "family_name": parts.family,
            "middle_name": parts.middle,
            "given_name": parts.given,
            "sort_key": names.sort_key(parts),
            "search_key": names.search_key(parts.full),
            "birth_date": birth,
            "birth_year_only": False,
            "gender": Gender.FEMALE if female else Gender.MALE,
            "citizen_id": cccd,
            "phone": phone,
            "email": None,
            "unit_id": unit_id,
            "workplace": workplace,
            "position": position,
            "is_trainer": trainer,
            "note": None,
            "archived_at": None,
        }

    def _teams_and_members(self) -> None:
        rng = self.rng
        people: list[dict[str, Any]] = []
        teams: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        for full, workplace, position in nd.TRAINERS:
            p = self._person(None, workplace, position, trainer=True, full=full)
            people.append(p)
            self.trainers.append(p["id"])

        def team(name: str, level: UnitLevel, unit_id: int, parent: int | None, est: date) -> int:
            tid = self._id("teams")
            teams.append(
                {
                    "id": tid,
                    "name": name,
                    "level": level,
                    "unit_id": unit_id,
                    "parent_id": parent,
                    "established_on": est,
                    "note": None,
                }
            )
            return tid

        def member(
            tid: int, p: dict[str, Any], role: TeamRole, kind: MemberKind, est: date
        ) -> None:
            people.append(p)
            joined = est + timedelta(days=rng.randint(0, 200))
            left = None
            if rng.random() < 0.06:
                left = joined + timedelta(days=rng.randint(120, 900))
            members.append(
                {
                    "id": self._id("team_memberships"),
                    "team_id": tid,
                    "person_id": p["id"],
                    "role": role,
                    "kind": kind,
                    "joined_on": joined,
                    "left_on": left,
                }
            )

        commune_slots = [(d, c) for d in self.districts for c in d.communes]
        commune_with_team = set(rng.sample(range(len(commune_slots)), 129))
        hamlet_slots = [(d, c, h) for d in self.districts for c in d.communes for h in d.hamlets[c]]
        hamlet_with_team = set(rng.sample(range(len(hamlet_slots)), min(427, len(hamlet_slots))))
        district_team: dict[int, int] = {}
        commune_team: dict[int, int] = {}
        for d in self.districts:
            est = date(2022, 3, rng.randint(1, 28))
            tid = team(
                f"Tổ công nghệ số cộng đồng {_in_sentence(d.name)}",
                UnitLevel.DISTRICT,
                d.unit_id,
                None,
                est,
            )
            district_team[d.unit_id] = tid
            for i in range(10):
                role = TeamRole.LEADER if i == 0 else TeamRole.DEPUTY if i < 3 else TeamRole.MEMBER
                kind = (
                    MemberKind.COMMUNE_LEADER
                    if i == 0
                    else rng.choice(
                        [
                            MemberKind.CIVIL_SERVANT,
                            MemberKind.TELECOM_STAFF,
                            MemberKind.MASS_ORGANISATION,
                            MemberKind.YOUTH_UNION,
                        ]
                    )
                )
                p = self._person(d.communes[0], f"UBND {d.name}", _position(kind, i == 0, d.name))
                d.people.append(p["id"])
                member(tid, p, role, kind, est)
        for idx, (d, c) in enumerate(commune_slots):
            if idx not in commune_with_team:
                continue
            est = date(2022, rng.randint(3, 9), rng.randint(1, 28))
            cname = d.commune_names[c]
            tid = team(
                f"Tổ công nghệ số cộng đồng {_in_sentence(cname)}",
                UnitLevel.COMMUNE,
                c,
                district_team[d.unit_id],
                est,
            )
            commune_team[c] = tid
            size = rng.randint(9, 15)
            for i in range(size):
                if i == 0:
                    kind, role = MemberKind.COMMUNE_LEADER, TeamRole.LEADER
                else:
                    role = TeamRole.DEPUTY if i < 3 else TeamRole.MEMBER
                    kind = rng.choices(
                        [
                            MemberKind.CIVIL_SERVANT,
                            MemberKind.MASS_ORGANISATION,
                            MemberKind.HAMLET_HEAD,
                            MemberKind.TELECOM_STAFF,
                            MemberKind.YOUTH_UNION,
                            MemberKind.OTHER,
                        ],
                        weights=[30, 25, 15, 10, 15, 5],
                    )[0]
                workplace = _workplace(rng, kind, cname)
                p = self._person(
                    c,
                    workplace,
                    _position(kind, i == 0, cname),
                    young=kind == MemberKind.YOUTH_UNION,
                )
                d.people.append(p["id"])
                member(tid, p, role, kind, est)
        for idx, (d, c, h) in enumerate(hamlet_slots):
            if idx not in hamlet_with_team:
                continue
            est = date(2022, rng.randint(4, 12), rng.randint(1, 28))
            hname = self.unit_names[h]
            tid = team(
                f"Tổ công nghệ số cộng đồng {_in_sentence(hname)}",
                UnitLevel.HAMLET,
                h,
                commune_team.get(c),
                est,
            )
            for i in range(rng.randint(4, 7)):
                if i == 0:
                    kind, role = MemberKind.HAMLET_HEAD, TeamRole.LEADER
                else:
                    role = TeamRole.MEMBER
                    kind = rng.choices(
                        [
                            MemberKind.MASS_ORGANISATION,
                            MemberKind.YOUTH_UNION,
                            MemberKind.OTHER,
                            MemberKind.TELECOM_STAFF,
                        ],
                        weights=[45, 35, 15, 5],
                    )[0]
                p = self._person(
                    h,
                    _workplace(rng, kind, d.commune_names[c]),
                    _position(kind, i == 0, hname),
                    young=kind == MemberKind.YOUTH_UNION,
                )
                d.people.append(p["id"])
                member(tid, p, role, kind, est)
        self._insert(Person, people)
        self._insert(Team, teams)
        self._insert(TeamMembership, members)

    def _extra_trainees(self) -> None:
        rng = self.rng

        def rows() -> Iterator[dict[str, Any]]:
            for _ in range((self.scale - 1) * TRAINEES_PER_EXTRA_SCALE):
                d = rng.choice(self.districts)
                c = rng.choice(d.communes)
                kind = rng.choice(
                    [
                        MemberKind.CIVIL_SERVANT,
                        MemberKind.MASS_ORGANISATION,
                        MemberKind.YOUTH_UNION,
                        MemberKind.OTHER,
                    ]
                )
                p = self._person(
                    c,
                    _workplace(rng, kind, d.commune_names[c]),
                    _position(kind, False, d.commune_names[c]),
                    young=kind == MemberKind.YOUTH_UNION,
                )
                d.people.append(p["id"])
                yield p

        self._insert(Person, rows())

    # -- courses -------------------------------------------------------------------

    def _courses(self) -> None:
        rng = self.rng
        n_courses = COURSES_PER_SCALE * self.scale
        span_start, span_end = date(2022, 9, 5), date(2026, 12, 20)
        span = (span_end - span_start).days
        starts = sorted(span_start + timedelta(days=rng.randint(0, span)) for _ in range(n_courses))
        seq_by_year: dict[int, int] = {}
        courses, course_topics, sessions, session_topics, trainers_rows = [], [], [], [], []
        enrolments: list[dict[str, Any]] = []
        attendance: list[dict[str, Any]] = []
        for start in starts:
            start = _weekday(start)
            seq_by_year[start.year] = seq_by_year.get(start.year, 0) + 1
            theme, topic_codes = rng.choice(nd.COURSE_THEMES)
            d = rng.choice(self.districts)
            online = rng.random() < 0.08
            title = f"{theme} {d.name}" if not online else f"{theme} (trực tuyến)"
            n_sessions = rng.randint(3, 6)
            days = _session_days(rng, start, n_sessions)
            end = days[-1]
            capacity = rng.choice([60, 80, 100, 120, 150])
            status = _status(rng, start, end)
            cid = self._id("courses")
            scale10 = rng.random() < 0.85
            courses.append(
                {
                    "id": cid,
                    "code": f"TH-{start.year}-{seq_by_year[start.year]:03d}",
                    "title": title,
                    "organiser": ORGANISER_OLD if start < SCHEME_2025_FROM else ORGANISER_NEW,
                    "co_organiser": CO_ORGANISER if rng.random() < 0.6 else None,
                    "audience": "Thành viên Tổ công nghệ số cộng đồng",
                    "start_date": start,
                    "end_date": end,
                    "capacity": capacity,
                    "min_enrolment": capacity // 3,
                    "status": status,
                    "is_online": online,
                    "min_attendance_pct": 80,
                    "score_scale": 10 if scale10 else 100,
                    "pass_score": 5.0 if scale10 else 50.0,
                    "default_venue_id": None if online else rng.choice(d.venue_ids),
                    "unit_id": d.unit_id,
                    "note": None,
                    "cancelled_reason": "Trùng lịch họp của tỉnh"
                    if status == CourseStatus.CANCELLED
                    else None,
                }
            )
            for code in topic_codes:
                course_topics.append({"course_id": cid, "topic_id": self.topic_ids[code]})
            venue = None if online else courses[-1]["default_venue_id"]
            session_ids = []
            for k, day in enumerate(days):
                sid = self._id("sessions")
                morning = k % 2 == 0 or rng.random() < 0.5
                begin = time(7, 30) if morning else time(13, 30)
                sessions.append(
                    {
                        "id": sid,
                        "course_id": cid,
                        "title": f"Buổi {k + 1}",
                        "starts_at": datetime.combine(day, begin),
                        "ends_at": datetime.combine(day, begin) + timedelta(hours=3, minutes=30),
                        "venue_id": venue,
                        "mode": SessionMode.ONLINE if online else SessionMode.IN_PERSON,
                        "online_link": "https://onetouch.mic.gov.vn" if online else None,
                        "grace_minutes": 15,
                        "clash_override_reason": None,
                        "note": None,
                    }
                )
                session_topics.append(
                    {
                        "session_id": sid,
                        "topic_id": self.topic_ids[topic_codes[k % len(topic_codes)]],
                    }
                )
                trainers_rows.append({"session_id": sid, "person_id": rng.choice(self.trainers)})
                session_ids.append((sid, datetime.combine(day, begin)))
            if status in (CourseStatus.DRAFT, CourseStatus.CANCELLED):
                continue
            pool = (
                d.people
                if len(d.people) >= capacity
                else [pid for dd in self.districts for pid in dd.people]
            )
            size = min(len(pool), rng.randint(int(capacity * 0.7), capacity))
            for pid in rng.sample(pool, size):
                self._enrol(cid, pid, status, scale10, session_ids, enrolments, attendance)
            if len(attendance) > CHUNK * 5:
                self._flush_courses(
                    courses,
                    course_topics,
                    sessions,
                    session_topics,
                    trainers_rows,
                    enrolments,
                    attendance,
                )
        self._flush_courses(
            courses, course_topics, sessions, session_topics, trainers_rows, enrolments, attendance
        )

    def _flush_courses(self, *lists: list[dict[str, Any]]) -> None:
        for model, rows in zip(
            (Course, CourseTopic, Session, SessionTopic, SessionTrainer, Enrolment, Attendance),
            lists,
            strict=True,
        ):
            self._insert(model, rows)
            rows.clear()

    def _enrol(
        self,
        cid: int,
        pid: int,
        status: CourseStatus,
        scale10: bool,
        session_ids: list[tuple[int, datetime]],
        enrolments: list[dict[str, Any]],
        attendance: list[dict[str, Any]],
    ) -> None:
        rng = self.rng
        eid = self._id("enrolments")
        top = 10 if scale10 else 100
        held = [(sid, at) for sid, at in session_ids if at.date() <= DEMO_TODAY]
        diligent = rng.random()
        present = 0
        for sid, at in held:
            r = rng.random() * (0.6 + diligent)
            if r < 0.05:
                st, check_in = AttendanceStatus.ABSENT, None
            elif r < 0.09:
                st, check_in = AttendanceStatus.EXCUSED, None
            elif r < 0.15:
                st = AttendanceStatus.LATE
                check_in = at + timedelta(minutes=rng.randint(16, 50))
            else:
                st = AttendanceStatus.PRESENT
                check_in = at + timedelta(minutes=rng.randint(-20, 14))
            if st in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
                present += 1
            attendance.append(
                {
                    "id": self._id("attendance"),
                    "session_id": sid,
                    "enrolment_id": eid,
                    "status": st,
                    "check_in_at": check_in,
                    "method": AttendanceMethod.SCAN
                    if rng.random() < 0.3
                    else AttendanceMethod.MANUAL,
                    "note": None,
                }
            )
        pre = post = None
        est = EnrolmentStatus.REGISTERED
        completed_on = None
        if held:
            pre = round(min(top, max(0.0, rng.gauss(0.52, 0.15) * top)), 1)
        if status == CourseStatus.FINISHED:
            post = round(min(top, max(0.0, (pre or 0) + rng.gauss(0.22, 0.1) * top)), 1)
            ok = present / len(session_ids) >= 0.8 and post >= top / 2
            est = EnrolmentStatus.COMPLETED if ok else EnrolmentStatus.NOT_COMPLETED
            completed_on = session_ids[-1][1].date() if ok else None
        elif rng.random() < 0.03:
            est = EnrolmentStatus.WITHDRAWN
        enrolments.append(
            {
                "id": eid,
                "course_id": cid,
                "person_id": pid,
                "status": est,
                "registered_at": session_ids[0][1] - timedelta(days=rng.randint(5, 30)),
                "source": "import" if rng.random() < 0.7 else "manual",
                "pre_score": pre,
                "post_score": post,
                "completion_override": None,
                "override_reason": None,
                "completed_on": completed_on,
                "note": None,
            }
        )


_KIND_WORDS = ("Thành phố", "Thị trấn", "Huyện", "Phường", "Xã", "Ấp", "Khu phố")


def _bare(unit_name: str) -> str:
    """ "Thị trấn Thạnh Phú" -> "Thạnh Phú"."""
    for kind in _KIND_WORDS:
        if unit_name.startswith(kind + " "):
            return unit_name[len(kind) + 1 :]
    return unit_name


def _in_sentence(unit_name: str) -> str:
    """ "Ấp 1, Xã Đại Điền" -> "ấp 1, xã Đại Điền": unit kinds are lower case mid-sentence."""
    parts = []
    for part in unit_name.split(", "):
        for kind in _KIND_WORDS:
            if part.startswith(kind + " "):
                part = kind.lower() + part[len(kind) :]
                break
        parts.append(part)
    return ", ".join(parts)


def _weekday(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _session_days(rng: random.Random, start: date, n: int) -> list[date]:
    days, d = [start], start
    while len(days) < n:
        d = _weekday(d + timedelta(days=rng.choice([1, 1, 2, 7])))
        days.append(d)
    return days


def _status(rng: random.Random, start: date, end: date) -> CourseStatus:
    if end < DEMO_TODAY:
        return CourseStatus.CANCELLED if rng.random() < 0.03 else CourseStatus.FINISHED
    if start <= DEMO_TODAY:
        return CourseStatus.RUNNING
    return rng.choice(
        [CourseStatus.OPEN, CourseStatus.OPEN, CourseStatus.PLANNED, CourseStatus.DRAFT]
    )


def _workplace(rng: random.Random, kind: MemberKind, place: str) -> str:
    if kind == MemberKind.TELECOM_STAFF:
        return rng.choice(nd.TELECOMS)
    if kind == MemberKind.MASS_ORGANISATION:
        return f"{rng.choice(nd.MASS_ORGS)} {place}"
    if kind == MemberKind.YOUTH_UNION:
        return f"Đoàn Thanh niên {place}"
    if kind == MemberKind.OTHER:
        return rng.choice(["Hợp tác xã", "Trường Tiểu học", "Trạm Y tế", "Hộ kinh doanh"])
    return f"UBND {place}"


def _position(kind: MemberKind, leader: bool, place: str) -> str:
    return {
        MemberKind.COMMUNE_LEADER: "Phó Chủ tịch UBND" if not leader else "Chủ tịch UBND",
        MemberKind.CIVIL_SERVANT: "Công chức Văn phòng - Thống kê",
        MemberKind.MASS_ORGANISATION: "Chi hội trưởng",
        MemberKind.HAMLET_HEAD: "Trưởng ấp"
        if not place.startswith("Khu phố")
        else "Trưởng khu phố",
        MemberKind.TELECOM_STAFF: "Nhân viên kỹ thuật",
        MemberKind.YOUTH_UNION: "Đoàn viên",
        MemberKind.OTHER: "Thành viên",
    }[kind]
