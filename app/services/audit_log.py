"""Nhật ký thao tác: reading the audit trail (administrators only), filtered by person,
account, date and action, and exporting it. Entries are never edited or deleted: the
database refuses (migration 0007)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.services import access, audit
from app.services.audit_text import describe, entity_name
from models import Attendance, AuditEntry, Certificate, Enrolment

ACTIONS = {
    "person.create": "Thêm học viên",
    "person.update": "Sửa học viên",
    "person.import": "Thêm học viên khi nhập Excel",
    "person.import_update": "Cập nhật học viên khi nhập Excel",
    "person.archive": "Lưu trữ học viên",
    "person.restore": "Khôi phục học viên",
    "person.delete": "Xóa học viên",
    "person.merge": "Gộp hồ sơ trùng",
    "person.merge_undo": "Hoàn tác gộp hồ sơ",
    "person.erase": "Xóa dữ liệu cá nhân theo yêu cầu",
    "person.unmask": "Xem đầy đủ số CCCD",
    "person.cccd_lookup": "Tra cứu bằng số CCCD đầy đủ",
    "team.create": "Lập tổ",
    "team.add_member": "Thêm thành viên tổ",
    "team.update_member": "Sửa thành viên tổ",
    "team.remove_member": "Cho thành viên rời tổ",
    "unit.create": "Thêm đơn vị hành chính",
    "course.create": "Lập khóa học",
    "course.update": "Sửa khóa học",
    "course.duplicate": "Nhân bản khóa học",
    "course.delete": "Xóa khóa học",
    "course.status": "Đổi trạng thái khóa học",
    "course.finish": "Kết thúc khóa học",
    "session.create": "Thêm buổi học",
    "session.update": "Sửa buổi học",
    "session.delete": "Xóa buổi học",
    "enrolment.create": "Ghi danh",
    "enrolment.withdraw": "Rút ghi danh",
    "enrolment.promote": "Chuyển từ danh sách chờ",
    "enrolment.walk_in": "Ghi danh tại lớp",
    "enrolment.result": "Kết quả khóa học",
    "enrolment.delete": "Xóa ghi danh",
    "attendance.mark": "Điểm danh",
    "attendance.clear": "Xóa điểm danh",
    "attendance.scan": "Điểm danh từ bảng ký tên quét",
    "scores.set": "Nhập điểm",
    "completion.override": "Quyết định kết quả",
    "online.completion": "Hoàn thành trực tuyến",
    "certificate.issue": "Cấp giấy chứng nhận",
    "certificate.revoke": "Thu hồi giấy chứng nhận",
    "certificate.reissue": "Cấp lại giấy chứng nhận",
    "certificate.sign": "Ký số giấy chứng nhận",
    "settings.set": "Thay đổi thiết lập",
    "user.create": "Tạo tài khoản",
    "user.update": "Sửa tài khoản",
    "user.login": "Đăng nhập",
    "user.login_failed": "Đăng nhập sai mật khẩu",
    "user.password_changed": "Đổi mật khẩu",
    "user.password_reset": "Đặt lại mật khẩu",
    "user.lock": "Khóa tài khoản",
    "user.unlock": "Mở khóa tài khoản",
    "export.people": "Xuất danh sách học viên",
    "export.team": "Xuất danh sách tổ",
    "export.course": "Xuất danh sách khóa học",
    "export.report_people": "Xuất danh sách từ báo cáo",
    "export.topic_matrix": "Xuất ma trận chủ đề",
    "export.audit": "Xuất nhật ký thao tác",
    "print.sign_in_sheet": "In danh sách ký tên",
    "print.summary": "In bảng tổng hợp điểm danh",
    "print.badges": "In thẻ học viên",
    "print.transcript": "In kết quả học tập",
    "print.certificates": "In lại giấy chứng nhận",
    "print.register": "In sổ cấp giấy chứng nhận",
}
LIMIT = 5000


def local_time(utc: datetime) -> datetime:
    """Entries are stamped in UTC; people read them in the PC's time (UTC+7)."""
    return utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def _utc(local: datetime) -> datetime:
    return local.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class AuditFilter:
    start: date | None = None
    end: date | None = None
    user: str | None = None
    action: str | None = None  # "person.update", or a prefix ending in "." ("export.")
    person_ids: tuple[int, ...] = ()  # entries about these people and their records


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user: str
    action: str
    label: str
    entity: str
    entity_id: int | None
    change: str  # "họ tên: An → Ân; ..." or the note
    seq: int = 0  # the entry's place in the hash chain
    db_role: str | None = None  # PostgreSQL: the server role that inserted it


def _person_clause(person_ids: tuple[int, ...]) -> Any:
    enrolments = select(Enrolment.id).where(Enrolment.person_id.in_(person_ids))
    return or_(
        (AuditEntry.entity == "people") & AuditEntry.entity_id.in_(person_ids),
        (AuditEntry.entity == "enrolments") & AuditEntry.entity_id.in_(enrolments),
        (AuditEntry.entity == "attendance")
        & AuditEntry.entity_id.in_(
            select(Attendance.id).where(Attendance.enrolment_id.in_(enrolments))
        ),
        (AuditEntry.entity == "certificates")
        & AuditEntry.entity_id.in_(
            select(Certificate.id).where(Certificate.person_id.in_(person_ids))
        ),
    )


def listing(s: Session, f: AuditFilter, limit: int = LIMIT) -> tuple[int, list[AuditRow]]:
    """The newest entries matching the filter (at most limit), and how many match."""
    access.require(s, "audit")
    q = select(AuditEntry)
    if f.start:  # the days the user means are local days
        q = q.where(AuditEntry.at >= _utc(datetime.combine(f.start, time.min)))
    if f.end:
        q = q.where(AuditEntry.at <= _utc(datetime.combine(f.end, time.max)))
    if f.user:
        q = q.where(AuditEntry.user == f.user)
    if f.action:
        q = q.where(
            AuditEntry.action.startswith(f.action)
            if f.action.endswith(".")
            else AuditEntry.action == f.action
        )
    if f.person_ids:
        q = q.where(_person_clause(f.person_ids))

    total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
    entries = s.scalars(q.order_by(AuditEntry.seq.desc()).limit(limit))  # commit order
    return total, [
        AuditRow(
            e.id,
            local_time(e.at),
            e.user,
            e.action,
            ACTIONS.get(e.action, e.action),
            e.entity,
            e.entity_id,
            describe(e.entity, e.before, e.after, e.note),
            e.seq,
            e.db_role,
        )
        for e in entries
    ]


def users_seen(s: Session) -> list[str]:
    access.require(s, "audit")
    return sorted(s.scalars(select(AuditEntry.user).distinct()))


def find_people(s: Session, text: str, limit: int = 50) -> tuple[int, ...]:
    """People whose name, phone or ID matches, for the person filter."""
    from app.services import people
    from app.services.people import PeopleFilter

    access.require(s, "audit")
    if not text.strip():
        return ()
    return tuple(people.ids_matching(s, PeopleFilter(search=text, include_archived=True), limit))


def export(s: Session, f: AuditFilter, path: Path) -> int:
    """The matching entries (up to 100,000) to .xlsx or .csv; the export is itself audited."""
    from app.documents.table_export import Column, write_table

    access.require(s, "audit")
    _, rows = listing(s, f, limit=100_000)
    columns = [
        Column("Thời điểm", "date", 18),
        Column("Tài khoản", width=16),
        Column("Thao tác", width=30),
        Column("Đối tượng", width=14),
        Column("Mã", "number", 8),
        Column("Thay đổi", width=80),
    ]
    count = write_table(
        path, "Nhật ký thao tác", columns,
        ([r.at, r.user, r.label, entity_name(r.entity), r.entity_id, r.change] for r in rows),
    )  # fmt: skip
    audit.record(s, "export.audit", entity="audit_entries",
                 note=f"{count} dòng vào {path.name}")  # fmt: skip
    return count
