"""The demo's 1 July 2025: Bến Tre joins Vĩnh Long, districts go, communes merge.

On that day the district teams are dissolved (their memberships end on 30/06/2025), the
commune teams are re-formed under the 2025 commune that took their commune over (the
unit lineage written by app.demo.org), and each hamlet team carries on under an ấp or
khu phố of the new commune, with the same members. The old teams and memberships stay as
they were: records keep the units they had. People whose records are used after the day
(members of the new teams, trainees and trainers of later courses) get the 2025 units.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, update

from app.demo.base import BuilderBase
from app.demo.org import _in_sentence
from app.services import audit
from app.vn import names
from app.vn.units import PRE2025_UNTIL, SCHEME_2025_FROM
from models import (
    Person,
    Team,
    TeamMembership,
    TeamRole,
    Unit,
    UnitLevel,
    UnitLineage,
    UnitScheme,
    Venue,
)
from models.base import utcnow

# Workplaces named after bodies that the merger renamed (demo people's workplaces).
RENAMED_BODIES = {
    "Sở Thông tin và Truyền thông tỉnh Bến Tre": "Sở Khoa học và Công nghệ tỉnh Vĩnh Long",
    "Công an tỉnh Bến Tre": "Công an tỉnh Vĩnh Long",
    "VNPT Bến Tre": "VNPT Vĩnh Long",
    "Viettel Bến Tre": "Viettel Vĩnh Long",
    "MobiFone Bến Tre": "MobiFone Vĩnh Long",
    "Bưu điện huyện": "Bưu điện tỉnh Vĩnh Long",
}
_NUMBERED = re.compile(r"^(Ấp|Khu phố) (\d+)$")
_TEAM = "Tổ công nghệ số cộng đồng"


class MergerMixin(BuilderBase):
    def _merger(self) -> None:
        """The 2025 hamlets, the teams re-formed on 01/07/2025, the new communes' venues."""
        self._new_hamlets()
        self._reform_teams()
        self._new_venues()

    # -- units ---------------------------------------------------------------------

    def _new_hamlets(self) -> None:
        """Each old ấp / khu phố goes on under the new commune its commune went to."""
        units: list[dict[str, Any]] = []
        lineage: list[dict[str, Any]] = []
        taken: dict[int, set[str]] = defaultdict(set)
        for d in self.districts:
            for c in d.communes:
                new_c = d.successor.get(c)
                if new_c is None:
                    continue
                self.new_units[c] = new_c
                for h in d.hamlets[c]:
                    old_name = self.unit_names[h].split(", ")[0]
                    name = _free_name(old_name, taken[new_c])
                    taken[new_c].add(name)
                    hid = self._id("units")
                    units.append(
                        {
                            "id": hid,
                            "scheme": UnitScheme.Y2025,
                            "level": UnitLevel.HAMLET,
                            "code": None,
                            "name": name,
                            "kind": name.split(" ")[0] if name.startswith("Ấp") else "Khu phố",
                            "parent_id": new_c,
                            "valid_from": SCHEME_2025_FROM,
                            "valid_to": None,
                            "note": "Ấp, khu phố do người dùng thêm (dữ liệu mẫu)",
                            "search_key": names.fold(name),
                        }
                    )
                    lineage.append({"predecessor_id": h, "successor_id": hid})
                    self.new_units[h] = hid
                    self.unit_names[hid] = f"{name}, {self.unit_names[new_c]}"
        self._insert(Unit, units)
        self._insert(UnitLineage, lineage)

    # -- teams ---------------------------------------------------------------------

    def _reform_teams(self) -> None:
        teams, members = self.team_rows, self.member_rows
        by_team: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for m in members:
            if m["left_on"] is None or m["left_on"] > PRE2025_UNTIL:
                by_team[m["team_id"]].append(m)
        new_teams: list[dict[str, Any]] = []
        new_members: list[dict[str, Any]] = []
        commune_team: dict[int, int] = {}  # 2025 commune -> its re-formed team
        formed_from: dict[int, list[str]] = defaultdict(list)
        entries: list[dict[str, Any]] = []
        who = audit.who(self.s)

        def new_team(name: str, level: UnitLevel, unit_id: int, parent: int | None) -> int:
            tid = self._id("teams")
            new_teams.append(
                {
                    "id": tid,
                    "name": name,
                    "level": level,
                    "unit_id": unit_id,
                    "parent_id": parent,
                    "established_on": SCHEME_2025_FROM,
                    "note": None,
                }
            )
            entries.append(
                _entry(who, "team.create", "teams", tid, {"name": name, "unit_id": unit_id})
            )
            return tid

        def carry_on(old: dict[str, Any], tid: int, role: TeamRole) -> None:
            mid = self._id("team_memberships")
            left = old["left_on"]
            old["left_on"] = PRE2025_UNTIL
            new_members.append(
                dict(old, id=mid, team_id=tid, role=role, joined_on=SCHEME_2025_FROM, left_on=left)
            )
            entries.append(
                _entry(
                    who,
                    "team.update_member",
                    "team_memberships",
                    old["id"],
                    {"left_on": PRE2025_UNTIL.isoformat()},
                    before={"left_on": None},
                )
            )
            entries.append(
                _entry(
                    who,
                    "team.add_member",
                    "team_memberships",
                    mid,
                    {"team_id": tid, "person_id": old["person_id"], "role": role.value},
                )
            )

        old_teams = sorted(teams, key=lambda t: t["id"])
        for t in old_teams:
            if t["level"] == UnitLevel.DISTRICT:  # dissolved: memberships end, nothing follows
                for m in by_team[t["id"]]:
                    m["left_on"] = PRE2025_UNTIL
                    entries.append(
                        _entry(
                            who,
                            "team.update_member",
                            "team_memberships",
                            m["id"],
                            {"left_on": PRE2025_UNTIL.isoformat()},
                            before={"left_on": None},
                        )
                    )
        leaders: set[int] = set()
        for t in old_teams:
            if t["level"] != UnitLevel.COMMUNE or t["unit_id"] not in self.new_units:
                continue
            new_c = self.new_units[t["unit_id"]]
            if new_c not in commune_team:
                name = f"{_TEAM} {_in_sentence(self.unit_names[new_c])}"
                commune_team[new_c] = new_team(name, UnitLevel.COMMUNE, new_c, None)
            tid = commune_team[new_c]
            formed_from[tid].append(_in_sentence(self.unit_names[t["unit_id"]]))
            for m in by_team[t["id"]]:
                role = m["role"]
                if role == TeamRole.LEADER:
                    if tid in leaders:
                        role = TeamRole.DEPUTY  # one leader a team: the others are deputies
                    leaders.add(tid)
                carry_on(m, tid, role)
        for t in old_teams:
            if t["level"] != UnitLevel.HAMLET or t["unit_id"] not in self.new_units:
                continue
            new_h = self.new_units[t["unit_id"]]
            parent_commune = self.new_units[self.hamlet_commune[t["unit_id"]]]
            name = f"{_TEAM} {_in_sentence(self.unit_names[new_h])}"
            tid = new_team(name, UnitLevel.HAMLET, new_h, commune_team.get(parent_commune))
            new_teams[-1]["note"] = f"Tiếp nối {t['name']} (đến 30/06/2025)."
            for m in by_team[t["id"]]:
                carry_on(m, tid, m["role"])
        for row in new_teams:
            if row["id"] in formed_from:
                row["note"] = "Kiện toàn từ 01/07/2025, gồm thành viên các tổ: " + "; ".join(
                    formed_from[row["id"]]
                )
        self._insert(Team, teams + new_teams)
        self._insert(TeamMembership, members + new_members)
        audit.record_rows(self.s, entries)
        self.now_members = {m["person_id"] for m in new_members}

    # -- venues --------------------------------------------------------------------

    def _new_venues(self) -> None:
        rows = []
        for d in self.districts:
            for c in d.new_communes:
                vid = self._id("venues")
                in_sentence = _in_sentence(self.unit_names[c])
                rows.append(
                    {
                        "id": vid,
                        "name": f"Hội trường UBND {in_sentence}",
                        "address": f"{self.unit_names[c]}, tỉnh Vĩnh Long",
                        "capacity": 150,
                        "unit_id": c,
                    }
                )
                d.new_venues[c] = vid
        self._insert(Venue, rows)

    # -- people --------------------------------------------------------------------

    def _bring_up_to_date(self, person_ids: set[int]) -> None:
        """The 2025 unit and workplace for the people whose records are used after the
        merger (done last: the courses decide who they are)."""
        renames: dict[int, tuple[str, str]] = {}
        district_of: dict[int, str] = {}
        for d in self.districts:
            for c in d.communes:
                if c in d.successor:
                    old, new = self.unit_names[c], self.unit_names[d.successor[c]]
                    renames[c] = (_in_sentence(old), _in_sentence(new))
                    district_of[c] = d.name
        rows = []
        for pid in sorted(person_ids):
            unit_id, workplace = self.addresses[pid]
            new_unit = self.new_units.get(unit_id) if unit_id is not None else None
            commune = self.hamlet_commune.get(unit_id, unit_id) if unit_id else None
            text = workplace
            if commune in renames:
                text = text.replace(f"UBND {district_of[commune]}", f"UBND {renames[commune][1]}")
                text = text.replace(*renames[commune])
            for before, after in RENAMED_BODIES.items():
                text = text.replace(before, after)
            if new_unit is None and text == workplace:
                continue
            rows.append({"pid": pid, "unit": new_unit or unit_id, "place": text})
        if rows:
            self.s.execute(
                update(Person.__table__)  # type: ignore[arg-type]
                .where(Person.__table__.c.id == bindparam("pid"))
                .values(unit_id=bindparam("unit"), workplace=bindparam("place")),
                rows,
            )


def _free_name(name: str, taken: set[str]) -> str:
    """The old hamlet's name, or, where two merged communes both had it, the next free
    number ("Ấp 1" -> "Ấp 4") or a letter ("Ấp Tân Phú B")."""
    if name not in taken:
        return name
    numbered = _NUMBERED.match(name)
    if numbered:
        n = 1
        while f"{numbered.group(1)} {n}" in taken:
            n += 1
        return f"{numbered.group(1)} {n}"
    for letter in "BCDEFGH":
        if f"{name} {letter}" not in taken:
            return f"{name} {letter}"
    return name


def _entry(
    user: str,
    action: str,
    entity: str,
    entity_id: int,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "at": utcnow(),
        "user": user,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": before,
        "after": after,
        "note": "Sắp xếp đơn vị hành chính từ 01/07/2025",
    }
