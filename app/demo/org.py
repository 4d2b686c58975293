"""Demo units (Bến Tre before 2025), topics, venues, settings, teams and people."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.demo import ben_tre
from app.demo import names_data as nd
from app.demo.base import (
    CO_ORGANISER,
    ORGANISER_NEW,
    TRAINEES_PER_EXTRA_SCALE,
    BuilderBase,
    District,
    weighted,
)
from app.services.users import hash_password
from app.vn import ids, names
from app.vn.units import PRE2025_UNTIL
from models import (
    Gender,
    MemberKind,
    Person,
    Setting,
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

_MOBILE_PREFIXES = sorted(ids.MOBILE_PREFIXES)


DEMO_PASSWORD = "taphuan-demo"  # the demo's accounts, admin and canbo (README)


class OrgMixin(BuilderBase):
    # -- units ---------------------------------------------------------------------

    def _units(self) -> None:
        s = self.s
        # Only Vĩnh Long's 2025 communes: names such as "Xã Tân Phú" recur in other provinces.
        province_2025 = s.scalar(
            select(Unit.id).where(
                Unit.scheme == UnitScheme.Y2025,
                Unit.level == UnitLevel.PROVINCE,
                Unit.code == ben_tre.PROVINCE_CODE_2025,
            )
        )
        self.province_2025 = province_2025
        new_ids = {
            name: uid
            for name, uid in s.execute(
                select(Unit.name, Unit.id).where(
                    Unit.scheme == UnitScheme.Y2025,
                    Unit.level == UnitLevel.COMMUNE,
                    Unit.parent_id == province_2025,
                )
            )
        }
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
            district = District(did, dname, [], {}, {})
            successor_ids = [new_ids[n] for n in successors if n in new_ids]
            for n in successors:
                if n in new_ids:
                    self.unit_names[new_ids[n]] = n
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
                    target = targets[i % len(targets)]
                    lineage.append({"predecessor_id": cid, "successor_id": target})
                    district.successor[cid] = target
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
                    self.hamlet_commune[hid] = cid
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
            "issuer_parent": "UBND TỈNH VĨNH LONG",
            "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "place": "Vĩnh Long",
            "signer_title": "GIÁM ĐỐC",
            "signer_name": "Nguyễn Văn Tâm",
            "serial_pattern": "{seq:04d}/{year}/GCN-SKHCN",
            "default_organiser": ORGANISER_NEW,
            "default_co_organiser": CO_ORGANISER,
            "home_province_codes": ["86", "83"],
            "sign_in": "skip",  # the demo opens as its administrator; see README
            # This year's targets, as the department sets them (Tổng quan shows the bars).
            "target_people_trained": str(1500 * self.scale),
            "target_share_commune": "60",
            "target_share_hamlet": "50",
            "target_certificates": str(1000 * self.scale),
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
                    "password_hash": hash_password(DEMO_PASSWORD),
                    "active": True,
                    "person_id": None,
                },
                {
                    "id": self._id("users"),
                    "username": "canbo",
                    "full_name": "Trần Thị Thu Trang",
                    "role": UserRole.STAFF,
                    "password_hash": hash_password(DEMO_PASSWORD),
                    "active": True,
                    "person_id": None,
                },
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
            family = weighted(rng, nd.FAMILY)
            given = rng.choice(nd.GIVEN_FEMALE if female else nd.GIVEN_MALE)
            middle = weighted(rng, nd.MIDDLE_FEMALE if female else nd.MIDDLE_MALE)
            # Nobody is called "Hoàng Hoàng An" or "Nguyễn Minh Minh": draw the middle again.
            while not _sounds_real(family, middle, given):
                middle = weighted(rng, nd.MIDDLE_FEMALE if female else nd.MIDDLE_MALE)
            full = f"{family} {middle} {given}"
        else:
            female = " Thị " in full or full.split()[-1] in nd.GIVEN_FEMALE
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
            phone = f"{rng.choice(_MOBILE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"
        pid = self._id("people")
        self.addresses[pid] = (unit_id, workplace)
        return {
            "id": pid,
            **names.stored_fields(full),
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
            "checkin_code": self._code(),
            "note": None,
            "archived_at": None,
        }

    def _code(self) -> str:
        """A check-in code from the seeded generator, so the demo stays reproducible."""
        alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
        while True:
            code = "".join(self.rng.choice(alphabet) for _ in range(8))
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

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
                commune_team.get(c) or district_team[d.unit_id],
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
        # Teams and memberships are written after the merger of 2025 (app.demo.merger).
        self.team_rows, self.member_rows = teams, members

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


def _sounds_real(family: str, middle: str, given: str) -> bool:
    """No word of the middle name repeats the family name's or the given name."""
    words = middle.split()
    return family.split()[-1] not in words and given not in words


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


def _workplace(rng: random.Random, kind: MemberKind, place: str) -> str:
    if kind == MemberKind.TELECOM_STAFF:
        return rng.choice(nd.TELECOMS)
    if kind == MemberKind.MASS_ORGANISATION:
        return f"{rng.choice(nd.MASS_ORGS)} {_in_sentence(place)}"
    if kind == MemberKind.YOUTH_UNION:
        return f"Đoàn Thanh niên {_in_sentence(place)}"
    if kind == MemberKind.OTHER:
        return rng.choice(["Hợp tác xã", "Trường Tiểu học", "Trạm Y tế", "Hộ kinh doanh"])
    return f"UBND {_in_sentence(place)}"


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
