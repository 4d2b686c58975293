"""Checking the audit trail's hash chain: every entry's hash recomputed in order, every
place from 1 to the head's present, the last one the head's. Names the first entry
changed, removed or added outside the program, in Vietnamese (`taphuan check`, the
Nhật ký page).

Streams plain rows in the order of places, no ORM objects, hashing the stored JSON text
as it is: some 50,000 entries a second on a busy office PC (bench/audit_chain.py).
Under READ COMMITTED (PostgreSQL's default) the head is read first and the entries up to
it can no longer change; entries past it are someone else's commit only if a head read
after them covers them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, Text, cast, select, text, type_coerce
from sqlalchemy.orm import Session

from app import commands
from app.labels import number
from app.services import access
from app.services.audit_chain import HEAD_ID
from app.services.audit_log import ACTIONS, local_time
from app.vn.dates import format_datetime
from models import AuditChainHead, AuditEntry
from models.audit import GENESIS, entry_hash, text_hash

PAGE = 5000
TAMPERED = "Nhật ký thao tác bị can thiệp"


@dataclass(frozen=True)
class Stranger:
    """Entries a PostgreSQL role other than the program's inserted (psql, a superuser)."""

    role: str
    count: int
    first_seq: int
    first: str  # the first of them, named as _name does


@dataclass(frozen=True)
class ChainReport:
    checked: int  # entries found sound, in order, before the first problem (or all)
    head_seq: int  # the last place the chain's head records
    head_hash: str
    problem: str | None = None  # what is wrong with the first broken or missing entry
    first_bad: int | None = None  # its place in the chain (or the first stranger's)
    strangers: tuple[Stranger, ...] = ()  # sound entries inserted by another server role
    program_roles: tuple[str, ...] = ()  # PostgreSQL: the roles the program inserts as

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.strangers

    def verdict(self, where: commands.Where) -> str:
        """Whole or not, without its details (for whoever is not an administrator; the
        command for the details is named for the database `where` is)."""
        if self.ok:
            return "nguyên vẹn"
        details = commands.command(where, "--user TÊN check")
        return f"{TAMPERED} (chi tiết chỉ người quản trị xem: {details})"

    def describe(self) -> str:
        if self.problem:
            return f"{TAMPERED}: {self.problem}"
        if self.strangers:
            return f"{TAMPERED}: {self._strangers()}"
        return (
            f"nguyên vẹn ({number(self.checked)} mục; mục cuối số {number(self.head_seq)}, mã "
            f"{self.head_hash[:16]})"
        )

    def _strangers(self) -> str:
        first = min(self.strangers, key=lambda x: x.first_seq)
        program = ", ".join(f"“{r}”" for r in self.program_roles)
        said = (
            f"{first.first} được thêm thẳng vào cơ sở dữ liệu bằng vai trò máy chủ "
            f"“{first.role}”, không phải tài khoản chương trình ({program})"
        )
        total = sum(x.count for x in self.strangers)
        if total > 1:
            each = ", ".join(f"“{x.role}” {number(x.count)} mục" for x in self.strangers)
            said += f"; cả thảy {number(total)} mục do vai trò khác thêm: {each}"
        return said + "."

    @property
    def stranger_roles(self) -> frozenset[str]:
        return frozenset(x.role for x in self.strangers)


def check(s: Session) -> ChainReport:
    """The chain checked, for the Nhật ký page (administrators)."""
    access.require(s, "audit")
    return verify(s.connection())


_T = AuditEntry.__table__
# Read as stored: the JSON as text (hashed as it is when written canonically, which is
# how the engines write it), the time as text on SQLite (PostgreSQL's driver parses it).
_COLUMNS = [
    _T.c.seq, _T.c.prev_hash, _T.c.hash, type_coerce(_T.c.at, String).label("at"), _T.c.user,
    _T.c.action, _T.c.entity, _T.c.entity_id, cast(_T.c.before, Text).label("before"),
    cast(_T.c.after, Text).label("after"), _T.c.note, _T.c.db_role, _T.c.id,
]  # fmt: skip
_BROKEN = object()  # stored JSON that does not even parse


def _decoded(stored: str | None) -> Any:
    if stored is None:
        return None
    try:
        return json.loads(stored)
    except ValueError:
        return _BROKEN


def _when(at: datetime | str) -> datetime:
    return at if isinstance(at, datetime) else datetime.fromisoformat(at)


def _head(conn: Connection) -> tuple[int, str] | None:
    row = conn.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD_ID)
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def _name(row: Any) -> str:
    label = ACTIONS.get(row.action, row.action)
    return f"mục số {row.seq} ({format_datetime(local_time(_when(row.at)))}, {row.user}, {label})"


class _Walk:
    """Follows the chain row by row; stops at the first problem. Notes the sound entries
    a role other than the program's inserted (program None: SQLite, no roles)."""

    def __init__(self, program: frozenset[str] | None = None) -> None:
        self.seq, self.hash, self.last = 0, GENESIS, None
        self.problem: str | None = None
        self.first_bad: int | None = None
        self.program = program
        self.strangers: dict[str, list[Any]] = {}  # role: [count, first place, first name]

    def _fail(self, place: int | None, problem: str) -> bool:
        self.problem, self.first_bad = problem, place
        return False

    def feed(self, rows: Iterable[Any], upto: int | None = None) -> bool:
        for row in rows:
            if upto is not None and row.seq > upto:
                return self._fail(row.seq, f"{_name(row)} không do TapHuan ghi: nó được thêm "
                                           "thẳng vào cơ sở dữ liệu, sau mục cuối của chuỗi.")  # fmt: skip
            if not self.step(row):
                return False
        return True

    def step(self, row: Any) -> bool:
        # Unpacked, not read by name: this runs for every entry.
        (
            seq,
            prev_hash,
            stored,
            at,
            user,
            action,
            entity,
            entity_id,
            before,
            after,
            note,
            role,
            _,
        ) = row
        expected = self.seq + 1
        if seq is None or seq < expected:
            place = f"mang số {seq}" if seq is not None else "không có số thứ tự"
            return self._fail(seq, f"mục mã {row.id} {place} không thuộc chuỗi: nó được "
                                   "thêm thẳng vào cơ sở dữ liệu.")  # fmt: skip
        if seq > expected:
            gone = (f"mục số {expected}" if seq == expected + 1
                    else f"các mục số {expected} đến {seq - 1}")  # fmt: skip
            around = f"sau {_name(self.last)}, " if self.last is not None else ""
            return self._fail(expected, f"{gone} đã bị xóa ({around}trước {_name(row)}).")
        at = _when(at)
        digest = text_hash(prev_hash, seq, at, user, action, entity, entity_id, before, after,
                           note, role)  # fmt: skip
        if digest != stored:  # JSON stored otherwise (entries chained by the migration)
            decoded = _decoded(before), _decoded(after)
            if _BROKEN not in decoded:
                digest = entry_hash(prev_hash, seq, at, user, action, entity, entity_id,
                                    *decoded, note, role)  # fmt: skip
        if digest != stored:
            return self._fail(seq, f"{_name(row)} đã bị sửa sau khi ghi.")
        if prev_hash != self.hash:
            if self.last is None:
                return self._fail(seq, f"{_name(row)} không nối với đầu chuỗi.")
            return self._fail(self.last.seq, f"{_name(self.last)} đã bị sửa hoặc bị thay "
                                             f"(mục số {seq} không còn nối với nó).")  # fmt: skip
        self.seq, self.hash, self.last = seq, stored, row
        if role is not None and self.program is not None and role not in self.program:
            seen = self.strangers.setdefault(role, [0, seq, _name(row)])
            seen[0] += 1
        return True

    def report(self, head: tuple[int, str], roles: frozenset[str] | None) -> ChainReport:
        strangers = tuple(
            Stranger(role, count, first_seq, first)
            for role, (count, first_seq, first) in self.strangers.items()
        )
        first_bad = self.first_bad
        if first_bad is None and strangers:
            first_bad = min(x.first_seq for x in strangers)
        return ChainReport(self.seq, head[0], head[1], self.problem, first_bad, strangers,
                           tuple(sorted(roles or ())))  # fmt: skip


# The roles granted INSERT on the trail (server setup's login role); where none is, the
# table's owner is the program's role (one role for everything, as before server setup).
_PROGRAM_ROLES = text(
    "SELECT r.rolname FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a "
    "JOIN pg_roles r ON r.oid = a.grantee WHERE c.oid = CAST(:t AS regclass) "
    "AND a.privilege_type = 'INSERT' AND a.grantee <> c.relowner"
)
_OWNER = text("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = CAST(:t AS regclass)")


def program_roles(conn: Connection) -> frozenset[str] | None:
    """PostgreSQL: the roles the program inserts entries as; None on SQLite."""
    if conn.dialect.name != "postgresql":
        return None
    table = {"t": _T.name}
    granted = frozenset(conn.execute(_PROGRAM_ROLES, table).scalars())
    return granted or frozenset({str(conn.execute(_OWNER, table).scalar_one())})


def _rows(conn: Connection, after: int, upto: int | None = None) -> Iterator[Any]:
    q = select(*_COLUMNS).where(_T.c.seq > after).order_by(_T.c.seq)
    if upto is not None:
        q = q.where(_T.c.seq <= upto)
    for page in conn.execution_options(yield_per=PAGE).execute(q).partitions():
        yield from page


def verify(conn: Connection) -> ChainReport:
    """The chain from its first entry to its head; the first problem, if any."""
    head = _head(conn)
    if head is None:
        return ChainReport(0, 0, GENESIS, "mất dấu cuối chuỗi (bảng audit_chain_head trống).")
    roles = program_roles(conn)
    walk = _Walk(roles)
    strays = conn.execute(
        select(*_COLUMNS).where(_T.c.seq.is_(None) | (_T.c.seq < 1)).limit(1)
    ).first()
    if strays is not None:
        walk.step(strays)
        return ChainReport(0, head[0], head[1], walk.problem, walk.first_bad)
    if walk.feed(_rows(conn, 0, head[0])):
        if walk.seq < head[0]:
            gone = (f"mục số {head[0]}, mục cuối cùng," if head[0] == walk.seq + 1
                    else f"các mục cuối, số {walk.seq + 1} đến {head[0]},")  # fmt: skip
            walk._fail(walk.seq + 1, f"{gone} đã bị xóa.")
        elif walk.hash != head[1]:
            last = f"{_name(walk.last)} (mục cuối)" if walk.last is not None else "dấu cuối chuỗi"
            walk._fail(walk.seq, f"{last} đã bị sửa hoặc bị thay.")
        else:  # what others committed since the head was read, if a newer head covers it
            later = list(_rows(conn, head[0]))
            newer = _head(conn) or head
            if walk.feed(later, upto=newer[0]) and later:
                head = (walk.seq, walk.hash)
    return walk.report(head, roles)
