"""Names written by hand on the blank rows of a scanned sign-in sheet (the plan's
walk_ins): adding the person (someone on file, or a new person) as a walk-in marked
present, in the same transaction as the sheet's other marks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import attendance, audit, enrolment
from app.services.courses import ACTIVE
from app.services.sheet_scan import AGREES, PRESENT, WalkIn
from models import Attendance, Enrolment


@dataclass(frozen=True)
class WalkInChoice:
    """Who a handwritten name is: someone on file (person_id) or a new person."""

    walk_in: WalkIn
    full_name: str
    person_id: int | None = None
    phone: str | None = None


@dataclass(frozen=True)
class WalkInsAdded:
    added: int
    left: int  # on the list already with a different mark entered: left for a look


def add(s: Session, choices: Iterable[WalkInChoice]) -> WalkInsAdded:
    """Enrol each person as a walk-in (or use their enrolment, when they enrolled after the
    sheet was printed) and mark them present for the sheet's session; audited with the
    file, page and row their name was written on. A mark entered already for someone on
    the list that says otherwise (excused, absent) is left as it is, never overwritten
    unasked. Runs before sheet_scan.apply in one save: the person's own empty row then
    meets their present mark and is left, not written absent."""
    added = left = 0
    for c in choices:
        w = c.walk_in
        attendance.hold_session(s, w.session_id)
        if c.person_id is None:
            enrolment_id = enrolment.walk_in(s, w.course_id, c.full_name, c.phone).id
        else:
            found = s.scalars(
                select(Enrolment).where(
                    Enrolment.course_id == w.course_id, Enrolment.person_id == c.person_id
                )
            ).first()
            if found is not None and found.status in ACTIVE:
                enrolment_id = found.id
                mark = s.scalar(
                    select(Attendance.status).where(
                        Attendance.session_id == w.session_id,
                        Attendance.enrolment_id == enrolment_id,
                    )
                )
                mark = getattr(mark, "value", mark)
                if mark is not None and mark not in AGREES[PRESENT]:
                    left += 1
                    continue
            else:
                enrolment_id = attendance.add_walk_in_from_scan(s, w.course_id, c.person_id)
        attendance.mark(s, w.course_id, w.session_id, enrolment_id, PRESENT, method="scan")
        audit.record(
            s,
            "attendance.scan",
            entity="sessions",
            entity_id=w.session_id,
            note=f"{c.full_name}: người đến lớp, tên viết tay ở {w.where}",
        )
        added += 1
    return WalkInsAdded(added, left)
