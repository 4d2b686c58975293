"""One person: validate, add, edit, likely duplicates, archive, delete."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app import errors
from app.errors import InvalidValue, UserError
from app.services import access, audit, checkin, citizen_id_lookups
from app.services.people import PersonRow, get_person, rows_for
from app.services.units import unit_labels
from app.vn import dates, ids, names
from models import (
    Attendance,
    AuditEntry,
    Certificate,
    Enrolment,
    Gender,
    Person,
    SessionTrainer,
    TeamMembership,
)
from models.base import utcnow

MASKED = re.compile(r"\*+\d{4}")  # ids.mask_citizen_id's shape
EDITABLE = (
    "full_name",
    "birth_date",
    "birth_year_only",
    "gender",
    "citizen_id",
    "phone",
    "email",
    "unit_id",
    "workplace",
    "position",
    "is_trainer",
    "note",
)


class EditConflict(errors.EditConflict):
    """A person saved elsewhere since this edit began."""


@dataclass(frozen=True)
class PersonForm:
    """What the add/edit dialog hands back: already normalised through app.vn."""

    full_name: str
    birth_date: date | None = None
    birth_year_only: bool = False
    gender: str | None = None  # "male" / "female"
    citizen_id: str | None = None
    phone: str | None = None
    email: str | None = None
    unit_id: int | None = None
    workplace: str | None = None
    position: str | None = None
    is_trainer: bool = False
    note: str | None = None


@dataclass(frozen=True)
class PersonRecord:
    """One person as stored, with the version the edit dialog must send back."""

    id: int
    version: int
    form: PersonForm
    unit: str
    archived: bool
    merged_into_id: int | None


@dataclass(frozen=True)
class DuplicateHint:
    person_id: int
    full_name: str
    birth_date: date | None
    reason: str


# -- validation ------------------------------------------------------------------


def validate_input(
    raw: dict[str, str], unit_id: int | None = None
) -> tuple[PersonForm | None, dict[str, str]]:
    """Typed text from a form -> a PersonForm, or Vietnamese errors by field name."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {"unit_id": unit_id}

    def check(field_name: str, fn):  # type: ignore[no-untyped-def]
        text = (raw.get(field_name) or "").strip()
        if not text:
            return None
        try:
            return fn(text)
        except InvalidValue as exc:
            errors[field_name] = exc.message
            return None

    values["full_name"] = check("full_name", names.validate)
    if "full_name" not in errors and not values["full_name"]:
        errors["full_name"] = "Họ tên không được để trống."
    birth = check("birth_date", dates.parse_date)
    if birth is not None:
        if birth.value > date.today():
            errors["birth_date"] = "Ngày sinh ở tương lai."
        values["birth_date"], values["birth_year_only"] = birth.value, birth.year_only
    masked = (raw.get("citizen_id") or "").strip()
    if MASKED.fullmatch(masked):  # shown masked to staff and left alone: kept as stored
        values["citizen_id"] = masked
    else:
        values["citizen_id"] = check("citizen_id", ids.normalise_citizen_id)
    values["phone"] = check("phone", ids.phone)
    email = (raw.get("email") or "").strip()
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors["email"] = f"Địa chỉ thư điện tử “{email}” không hợp lệ."
    values["email"] = email or None
    gender = (raw.get("gender") or "").strip() or None
    if gender not in (None, "male", "female"):
        errors["gender"] = "Giới tính không hợp lệ."
    values["gender"] = gender
    for key in ("workplace", "position", "note"):
        values[key] = names.nfc((raw.get(key) or "").strip()) or None
    values["is_trainer"] = (raw.get("is_trainer") or "") in ("1", "true", "True")
    if (
        values.get("citizen_id")
        and values.get("birth_date")
        and "citizen_id" not in errors
        and not MASKED.fullmatch(str(values["citizen_id"]))
    ):
        info = ids.citizen_id(values["citizen_id"])
        born = values["birth_date"]
        assert isinstance(born, date)
        if info.birth_year % 100 != born.year % 100:
            errors["citizen_id"] = (
                f"Số CCCD ghi năm sinh {info.birth_year}, khác năm sinh {born.year} đã nhập."
            )
    if errors:
        return None, errors
    return PersonForm(**values), {}  # type: ignore[arg-type]


# -- one person --------------------------------------------------------------------


def _form_of(p: Person) -> PersonForm:
    return PersonForm(
        full_name=p.full_name,
        birth_date=p.birth_date,
        birth_year_only=p.birth_year_only,
        gender=p.gender.value if p.gender else None,
        citizen_id=p.citizen_id,
        phone=p.phone,
        email=p.email,
        unit_id=p.unit_id,
        workplace=p.workplace,
        position=p.position,
        is_trainer=p.is_trainer,
        note=p.note,
    )


def get(s: Session, person_id: int) -> PersonRecord:
    """One person's stored values, for the edit dialog (the citizen ID masked unless the
    account may see it in full)."""
    actor = access.require(s, "people")
    p = get_person(s, person_id)
    label = unit_labels(s, {p.unit_id}).get(p.unit_id, "") if p.unit_id else ""
    form = _form_of(p)
    if form.citizen_id and not access.can(actor, "unmask"):
        form = replace(form, citizen_id=ids.mask_citizen_id(form.citizen_id))
    return PersonRecord(p.id, p.version, form, label, p.archived_at is not None, p.merged_into_id)


@dataclass(frozen=True)
class LastChange:
    user: str
    at: datetime


def last_change(s: Session, person_id: int) -> LastChange | None:
    """Who last saved this person, and when (for the conflict dialog)."""
    access.require(s, "people")
    row = s.execute(
        select(AuditEntry.user, AuditEntry.at)
        .where(AuditEntry.entity == "people", AuditEntry.entity_id == person_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    from app.services.audit_log import local_time

    return LastChange(row.user, local_time(row.at))


def _unmasked(form: PersonForm, stored: str | None) -> PersonForm:
    """A masked citizen ID in a form is the stored one left alone; nothing else may be."""
    if not form.citizen_id or not MASKED.fullmatch(form.citizen_id):
        return form
    if stored and ids.mask_citizen_id(stored) == form.citizen_id:
        return replace(form, citizen_id=stored)
    raise InvalidValue("Số CCCD đang bị che: hãy nhập đủ 12 chữ số nếu cần sửa.")


def _apply(p: Person, form: PersonForm) -> None:
    for column, value in names.stored_fields(form.full_name).items():
        setattr(p, column, value)
    p.birth_date, p.birth_year_only = form.birth_date, form.birth_year_only
    p.gender = Gender(form.gender) if form.gender else None
    p.citizen_id, p.phone, p.email = form.citizen_id, form.phone, form.email
    p.unit_id, p.workplace, p.position = form.unit_id, form.workplace, form.position
    p.is_trainer, p.note = form.is_trainer, form.note


def _check_citizen_id_free(
    s: Session, citizen_id: str | None, exclude: int | None, stored: str | None = None
) -> None:
    """Refuse a citizen ID another record holds. A number typed in is a lookup (recorded
    and counted for staff, citizen_id_lookups), and only an administrator is told whose."""
    if not citizen_id or citizen_id == stored:
        return
    holder = citizen_id_lookups.look_up(s, citizen_id, citizen_id_lookups.FORM)
    if holder is None or holder == exclude:
        return
    if citizen_id_lookups.limited(s) is not None:
        raise InvalidValue(
            f"{citizen_id_lookups.HOLDER_HIDDEN}. Nếu là cùng một người, hãy tìm hồ sơ đó "
            "(gõ đủ 12 số CCCD vào ô tìm) rồi sửa hồ sơ đó hoặc gộp hai hồ sơ."
        )
    other = s.get_one(Person, holder)
    raise InvalidValue(
        f"Số CCCD {citizen_id} đã có ở hồ sơ “{other.full_name}” (mã {other.id}); "
        "nếu là cùng một người, hãy sửa hồ sơ đó hoặc gộp hai hồ sơ."
    )


def create(s: Session, form: PersonForm) -> PersonRow:
    """Add a person; refuses a citizen ID that another record holds."""
    access.require(s, "people")
    form = _unmasked(form, None)
    _check_citizen_id_free(s, form.citizen_id, None)
    p = Person(checkin_code=checkin.free_code(s))
    _apply(p, form)
    s.add(p)
    s.flush()
    audit.record(s, "person.create", p, after=audit.snapshot(p, list(EDITABLE)))
    return rows_for(s, [p.id])[0]


def update(s: Session, person_id: int, form: PersonForm, version: int) -> PersonRow:
    """Save an edit made on the given version; another user's newer save is a conflict."""
    access.require(s, "people")
    p = get_person(s, person_id)
    if p.version != version:
        raise EditConflict(
            f"Hồ sơ “{p.full_name}” vừa được người khác sửa. Hãy mở lại để xem bản mới rồi sửa tiếp."
        )
    form = _unmasked(form, p.citizen_id)
    _check_citizen_id_free(s, form.citizen_id, p.id, stored=p.citizen_id)
    before = audit.snapshot(p, list(EDITABLE))
    _apply(p, form)
    s.flush()
    old, new = audit.changes(before, audit.snapshot(p, list(EDITABLE)))
    if new:
        audit.record(s, "person.update", p, before=old, after=new)
    return rows_for(s, [p.id])[0]


def find_duplicates(
    s: Session, form: PersonForm, exclude_id: int | None = None
) -> list[DuplicateHint]:
    """Likely the same person: same citizen ID; same name and birth date; same name and phone.
    To staff, a record holding the citizen ID is a hint without name or id (person_id 0)."""
    key = names.search_key(form.full_name)
    checks = []
    hints: dict[int, DuplicateHint] = {}
    typed = form.citizen_id and not MASKED.fullmatch(form.citizen_id)
    if typed and citizen_id_lookups.limited(s) is not None:
        # A lookup for staff: counted and recorded; the holder is not named to them.
        holder = citizen_id_lookups.look_up(s, str(form.citizen_id), citizen_id_lookups.FORM)
        if holder is not None and holder != exclude_id:
            hints[holder] = DuplicateHint(0, "", None, citizen_id_lookups.HOLDER_HIDDEN)
    elif typed:
        checks.append((Person.citizen_id == form.citizen_id, "trùng số CCCD"))
    if form.birth_date:
        checks.append(
            (
                and_(Person.search_key == key, Person.birth_date == form.birth_date),
                "trùng họ tên và ngày sinh",
            )
        )
    if form.phone:
        checks.append(
            (
                and_(Person.search_key == key, Person.phone == form.phone),
                "trùng họ tên và số điện thoại",
            )
        )
    for cond, reason in checks:
        for p in s.scalars(select(Person).where(cond, Person.merged_into_id.is_(None)).limit(20)):
            if p.id != exclude_id and p.id not in hints:
                hints[p.id] = DuplicateHint(p.id, p.full_name, p.birth_date, reason)
    return list(hints.values())


# -- history, archive, delete -------------------------------------------------------


def history_counts(s: Session, person_id: int) -> dict[str, int]:
    """What a person's record carries: enrolments, attendance, scores, certificates..."""
    access.require(s, "people")
    enrolments = select(Enrolment.id).where(Enrolment.person_id == person_id)
    return {
        "enrolments": s.scalar(select(func.count()).select_from(enrolments.subquery())) or 0,
        "attendance": s.scalar(
            select(func.count())
            .select_from(Attendance)
            .where(Attendance.enrolment_id.in_(enrolments))
        )
        or 0,
        "scores": s.scalar(
            select(func.count())
            .select_from(Enrolment)
            .where(
                Enrolment.person_id == person_id,
                or_(Enrolment.pre_score.is_not(None), Enrolment.post_score.is_not(None)),
            )
        )
        or 0,
        "certificates": s.scalar(
            select(func.count()).select_from(Certificate).where(Certificate.person_id == person_id)
        )
        or 0,
        "memberships": s.scalar(
            select(func.count())
            .select_from(TeamMembership)
            .where(TeamMembership.person_id == person_id)
        )
        or 0,
        "trainer_sessions": s.scalar(
            select(func.count())
            .select_from(SessionTrainer)
            .where(SessionTrainer.person_id == person_id)
        )
        or 0,
    }


def delete_or_archive(s: Session, person_id: int) -> str:
    """Delete a person with no history at all; archive anyone else. Returns which."""
    access.require(s, "people")
    p = get_person(s, person_id)
    history = history_counts(s, person_id)
    merged_here = s.scalar(
        select(func.count()).select_from(Person).where(Person.merged_into_id == p.id)
    )
    if any(history.values()) or merged_here:
        if p.archived_at is None:
            p.archived_at = utcnow()
            audit.record(s, "person.archive", p, note=str(history))
        return "archived"
    audit.record(s, "person.delete", p, before=audit.snapshot(p, list(EDITABLE)))
    s.delete(p)
    s.flush()
    return "deleted"


def restore(s: Session, person_id: int) -> PersonRow:
    """Bring an archived person back into the lists."""
    access.require(s, "people")
    p = get_person(s, person_id)
    if p.merged_into_id is not None:
        raise UserError(
            "Hồ sơ này đã được gộp vào hồ sơ khác; hãy hoàn tác lần gộp thay vì khôi phục."
        )
    p.archived_at = None
    audit.record(s, "person.restore", p)
    return rows_for(s, [p.id])[0]


ERASED_NAME = "Người đã xóa dữ liệu"


def erase(s: Session, person_id: int, reason: str) -> int:
    """Erase a person's data on their request (Decree 13/2023/NĐ-CP, Personal Data
    Protection Law 2025). Name, citizen ID, phone, e-mail, birth date, gender, workplace,
    position, note and check-in code are replaced by a tombstone; the row stays, so the
    enrolments, attendance and team memberships behind the statistics still count, no
    longer anyone's. The commune stays (the statistics by commune need it). Issued
    certificates keep their snapshot: the register of issued certificates is a record
    the department must keep (see the README). The audit entry says who erased whom and
    why, without the erased values."""
    access.require(s, "erase")
    if not reason.strip():
        raise InvalidValue("Hãy ghi lý do xóa dữ liệu cá nhân (ví dụ: theo đơn đề nghị ngày …).")
    p = get_person(s, person_id)
    if p.full_name == ERASED_NAME and p.citizen_id is None:
        raise UserError("Dữ liệu cá nhân của người này đã được xóa trước đây.")
    for column, value in names.stored_fields(ERASED_NAME).items():
        setattr(p, column, value)
    p.full_name = ERASED_NAME  # as written, not title-cased as a person's name would be
    p.birth_date, p.birth_year_only, p.gender = None, False, None
    p.citizen_id = p.phone = p.email = p.workplace = p.position = p.note = None
    p.checkin_code = None
    p.archived_at = p.archived_at or utcnow()
    s.flush()
    audit.record(s, "person.erase", p, note=reason.strip())
    return p.id
