"""Looking a whole citizen ID (CCCD) up in the register, for accounts that see it masked.

Staff see the last four digits, the birth date and the gender: with the province known,
only the two middle digits are hidden, so any answer to "does 083205xx9777 exist?" is an
oracle that a hundred tries turn into the whole number. Staff still may look a whole
number up (a search, the person form's checks, an import's matching), so each such
lookup by an account that is not an administrator is
- recorded in the audit trail: the account, the number masked ("********9777"), whether
  someone holds it, where it came from. The record outlives the action: it is written
  with the action's commit, or in a transaction of its own when the action only read or
  was rolled back (a dry run, a refusal), before the answer is shown;
- counted against a daily budget per account: MISSES_PER_DAY numbers searched for that
  nobody holds, and NUMBERS_PER_PERSON different numbers "near" one person (same birth-year digits and
  last four digits: what a guess at a masked number looks like). Beyond it, the account
  is refused any whole-number lookup until the end of the (local) day.

An import counts what looks like guessing, not what a list of known people looks like:
a number someone holds under another name, a name tried with several numbers in one
file, and numbers near a registered person's. Administrators are not limited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, SessionTransaction

from app.errors import DatabaseBusy
from app.services import access, audit
from app.services.access import Actor, Forbidden
from app.vn import names
from app.vn.ids import mask_citizen_id
from models import AuditEntry, Person
from models.base import utcnow

ACTION = "person.cccd_lookup"
SEARCH, FORM = "tìm kiếm", "hồ sơ học viên"
MISSES_PER_DAY = 20
NUMBERS_PER_PERSON = 3
PENDING, IN_COMMIT = "taphuan_cccd_lookups", "taphuan_cccd_lookups_in_commit"
HOLDER_HIDDEN = "Số CCCD này đã có trong sổ (hồ sơ khác)"


@dataclass(frozen=True)
class Tried:
    """One number tested against the register."""

    number: str
    holder: int | None  # who holds it
    counted: bool  # against MISSES_PER_DAY
    near: tuple[int, ...]  # people it is a near miss of
    where: str  # "tìm kiếm", "nhập tệp ds.xlsx, dòng 71"


def limited(s: Session) -> Actor | None:
    """The actor, when their lookups are counted (anyone who sees citizen IDs masked)."""
    actor = access.current(s)
    return None if access.can(actor, "unmask") else actor


def trace(number: str) -> str:
    """What tells two numbers apart in the record without writing them down."""
    return hashlib.sha256(f"taphuan-cccd|{number}".encode()).hexdigest()[:16]


def _near_key(number: str) -> tuple[str, str]:
    return number[4:6], number[-4:]  # the birth year's digits, the four digits shown


def _start_of_day() -> datetime:
    """Midnight of today on this PC's clock, in UTC as entries are stamped."""
    local = datetime.combine(datetime.now().date(), time.min).astimezone()
    return local.astimezone(UTC).replace(tzinfo=None)


@dataclass
class _Spent:
    seen: set[str]  # traces looked up today
    misses: set[str]  # traces counted against MISSES_PER_DAY
    per_person: dict[int, set[str]]  # person -> traces near them

    def over(self) -> bool:
        return len(self.misses) > MISSES_PER_DAY or any(
            len(t) > NUMBERS_PER_PERSON for t in self.per_person.values()
        )

    def at_limit(self) -> bool:
        return len(self.misses) >= MISSES_PER_DAY or any(
            len(t) >= NUMBERS_PER_PERSON for t in self.per_person.values()
        )

    def add(self, after: dict[str, Any]) -> None:
        mark = str(after.get("dau_vet", ""))
        self.seen.add(mark)
        if after.get("tinh"):
            self.misses.add(mark)
        for pid in after.get("gan") or ():
            self.per_person.setdefault(int(pid), set()).add(mark)


def _spent(s: Session, actor: Actor) -> _Spent:
    """Today's lookups of this account: recorded, and waiting in this session."""
    spent = _Spent(set(), set(), {})
    for after in s.scalars(
        select(AuditEntry.after).where(
            AuditEntry.action == ACTION,
            AuditEntry.user == actor.username,
            AuditEntry.at >= _start_of_day(),
        )
    ):
        spent.add(after or {})
    for row in s.info.get(PENDING, ()):
        if row["user"] == actor.username:
            spent.add(row["after"])
    return spent


def _refusal(actor: Actor) -> Forbidden:
    return Forbidden(
        f"Tài khoản {actor.label} đã thử quá nhiều số CCCD hôm nay (số không có trong sổ, "
        "hoặc nhiều số gần giống số của cùng một người), nên không được tra cứu bằng số CCCD "
        "đầy đủ nữa cho tới hết ngày. Mọi lần tra đều được ghi vào nhật ký thao tác. Nếu cần "
        "tra tiếp, hãy nhờ người quản trị."
    )


def _record(s: Session, actor: Actor, tried: Iterable[Tried]) -> None:
    """Queue the records; they are written when the session's transaction ends."""
    rows = s.info.setdefault(PENDING, [])
    for t in tried:
        shown = mask_citizen_id(t.number)
        after: dict[str, Any] = {
            "so_cccd": shown, "khop": t.holder is not None, "nguon": t.where,
            "dau_vet": trace(t.number), "tinh": t.counted,
        }  # fmt: skip
        if t.near:
            after["gan"] = list(t.near)
        found = "có trong sổ" if t.holder is not None else "không có trong sổ"
        rows.append({
            "at": utcnow(), "user": actor.username, "action": ACTION, "entity": "people",
            "entity_id": t.holder, "before": None, "after": after,
            "note": f"{t.where}: {shown} {found}",
        })  # fmt: skip


def _near(s: Session, numbers: Sequence[str]) -> dict[str, tuple[int, ...]]:
    """For numbers nobody holds: the people whose numbers share the digits a masked number
    leaves visible, with the birth year's."""
    if not numbers:
        return {}
    if len(numbers) == 1:
        year, last = _near_key(numbers[0])
        ids = s.scalars(select(Person.id).where(Person.citizen_id.like(f"____{year}__{last}")))
        return {numbers[0]: tuple(sorted(ids))}
    index: dict[tuple[str, str], list[int]] = {}
    for pid, number in s.execute(
        select(Person.id, Person.citizen_id).where(Person.citizen_id.is_not(None))
    ):
        index.setdefault(_near_key(number), []).append(pid)
    return {n: tuple(sorted(index.get(_near_key(n), ()))) for n in numbers}


def look_up(s: Session, number: str, where: str) -> int | None:
    """Who holds this whole citizen ID (None: nobody). For an account that sees numbers
    masked: refused once today's budget is spent (Forbidden), else recorded and counted,
    unless already looked up today. A number nobody holds counts when searched for; in the
    person form it is what a new person's number looks like, so there only a number near
    a registered person's counts (as in an import), and staff may enter people all day."""
    held = select(Person.id).where(Person.citizen_id == number).limit(1)
    actor = limited(s)
    if actor is None:
        return s.scalar(held)
    spent = _spent(s, actor)
    if spent.at_limit():  # even a number tried before: a refused import tried many
        raise _refusal(actor)
    holder = s.scalar(held)
    if trace(number) in spent.seen:
        return holder  # the same number again today (a refresh): recorded and counted once
    near = _near(s, [number])[number] if holder is None else ()
    _record(s, actor, [Tried(number, holder, holder is None and where != FORM, near, where)])
    return holder


def imported(
    s: Session, where: str, rows: Sequence[tuple[int, str, str]], holders: dict[str, Person]
) -> None:
    """An import's matching by citizen ID, for an account that sees numbers masked: every
    number tested is recorded; counted are a number someone holds under another name, a
    name tried with several numbers in the file, and numbers near a registered person's.
    Over the budget, the import is refused (Forbidden) before it shows anything.

    rows: (row of the sheet, citizen ID, full name) of each row carrying a citizen ID;
    holders: the people found by those numbers."""
    actor = limited(s)
    if actor is None or not rows:
        return
    spent = _spent(s, actor)
    if spent.at_limit():
        raise _refusal(actor)
    first_number: dict[str, str] = {}  # name -> the first number the file gives it
    misses = [n for _, n, _ in rows if n not in holders]
    near = _near(s, misses)
    tried = []
    for row, number, full_name in rows:
        key = names.search_key(full_name)
        another = first_number.setdefault(key, number) != number
        holder = holders.get(number)
        other_name = holder is not None and holder.search_key != key
        tried.append(
            Tried(
                number,
                holder.id if holder is not None else None,
                other_name or another,
                near.get(number, ()),
                f"{where}, dòng {row}",
            )
        )
    fresh = [t for t in tried if trace(t.number) not in spent.seen]
    _record(s, actor, fresh)
    for t in fresh:
        spent.add({"dau_vet": trace(t.number), "tinh": t.counted, "gan": t.near})
    if spent.over():
        raise _refusal(actor)


# -- writing the records whatever becomes of the action ------------------------------


def _readonly(s: Session) -> bool:
    return bool(s.get_bind().get_execution_options().get("taphuan_readonly"))


def _write_apart(s: Session, rows: list[dict[str, Any]]) -> None:
    """The records in a transaction of their own (the action read only, or rolled back).
    If they cannot be written, the error goes up instead of the answer."""
    engine = s.get_bind().execution_options(taphuan_readonly=False)
    try:
        with Session(engine) as apart:
            apart.begin()
            audit.record_rows(apart, rows)
            apart.commit()
    except OperationalError as exc:  # another program held the write lock for too long
        raise DatabaseBusy(
            "Cơ sở dữ liệu đang bận nên chưa ghi được lần tra cứu số CCCD vào nhật ký; kết "
            "quả không được hiện. Hãy thử lại sau."
        ) from exc


@event.listens_for(Session, "before_commit", insert=True)
def _with_the_commit(s: Session) -> None:
    """A writer's records go in with its commit (ahead of the audit chain's sealing)."""
    rows = s.info.get(PENDING)
    if rows and s.get_nested_transaction() is None and not _readonly(s):
        audit.record_rows(s, [dict(r) for r in rows])
        s.info[IN_COMMIT] = True


@event.listens_for(Session, "after_commit")
def _after_commit(s: Session) -> None:
    rows = s.info.pop(PENDING, None)
    if rows and not s.info.pop(IN_COMMIT, False):
        _write_apart(s, rows)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(s: Session, previous: SessionTransaction) -> None:
    if previous.parent is not None or previous.nested:
        return  # a savepoint: the lookups happened all the same; the real end decides
    s.info.pop(IN_COMMIT, None)
    rows = s.info.pop(PENDING, None)
    if rows:
        _write_apart(s, rows)
