"""The completion rule of a course, one person at a time, and why people fell short: what
finishing a course says ("299 người chưa có điểm cuối khóa"), never a bare count; and the
refusal to finish when someone it finds not completed holds a certificate in force."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands
from app.errors import UserError
from app.labels import number, score
from models import Certificate, CertificateStatus, Course, Person

# Why someone did not complete, in the order a finish names them.
NO_SESSIONS = "no_sessions"
LOW_ATTENDANCE = "low_attendance"
NO_SCORE = "no_score"
LOW_SCORE = "low_score"
DECIDED = "decided"  # a manual "not completed", with its reason
REASONS = (NO_SESSIONS, LOW_ATTENDANCE, NO_SCORE, LOW_SCORE, DECIDED)


def shortfalls(
    attended: int,
    sessions: int,
    min_attendance_pct: int,
    pass_score: float | None,
    post_score: float | None,
) -> list[str]:
    """What the rule finds missing (empty: completed). Without a pass score (a course with
    no test) attendance alone decides."""
    missing = []
    if sessions == 0:
        missing.append(NO_SESSIONS)
    elif attended * 100 < min_attendance_pct * sessions:
        missing.append(LOW_ATTENDANCE)
    if pass_score is not None:
        if post_score is None:
            missing.append(NO_SCORE)
        elif post_score < pass_score:
            missing.append(LOW_SCORE)
    return missing


def reason_text(key: str, min_attendance_pct: int, pass_score: float | None) -> str:
    """A reason in words, after "N người": "dự dưới 80% số buổi"."""
    return {
        NO_SESSIONS: "chưa dự được buổi nào vì khóa học chưa có buổi học nào",
        LOW_ATTENDANCE: f"dự dưới {min_attendance_pct}% số buổi",
        NO_SCORE: "chưa có điểm cuối khóa",
        LOW_SCORE: f"có điểm cuối khóa dưới {score(pass_score)}",
        DECIDED: "được quyết định chưa hoàn thành (có ghi lý do)",
    }[key]


class CertificateInForce(UserError):
    """Finishing would leave a certificate in force with someone not completed."""


SHOWN = 10  # certificates named in a refusal; the rest are counted


def refuse_certified(s: Session, course: Course, missing: dict[int, list[str]]) -> None:
    """Finishing must not leave a certificate in force (valid, not replaced) with someone it
    now finds not completed (`missing`: enrolment id -> what they lack, those only):
    CertificateInForce naming each serial, person and why, and what to do."""
    in_force = s.execute(
        select(Certificate.serial, Certificate.enrolment_id, Person.full_name)
        .join(Person, Person.id == Certificate.person_id)
        .where(
            Certificate.course_id == course.id,
            Certificate.status == CertificateStatus.VALID,
            Certificate.replaced_at.is_(None),
        )
        .order_by(Certificate.serial)
    ).all()
    held = [row for row in in_force if row.enrolment_id in missing]
    if not held:
        return

    def lacks(enrolment_id: int) -> str:
        keys = missing[enrolment_id]
        return "; ".join(reason_text(k, course.min_attendance_pct, course.pass_score) for k in keys)

    why = [f"giấy chứng nhận số {x.serial} của {x.full_name} ({lacks(x.enrolment_id)})"
           for x in held[:SHOWN]]  # fmt: skip
    if len(held) > SHOWN:
        why.append(f"và {number(len(held) - SHOWN)} giấy khác")
    serial = held[0].serial if len(held) == 1 else "SỐ_HIỆU"
    revoke = commands.command(s, f"certificates revoke {serial} --reason …")
    each = "" if len(held) == 1 else " (mỗi giấy một lệnh)"
    raise CertificateInForce(
        f"Không kết thúc được {course.code}: {number(len(held))} người không còn hoàn thành "
        f"khóa học theo điểm danh và điểm hiện nay mà vẫn giữ giấy chứng nhận còn hiệu lực: "
        f"{', '.join(why)}. Hãy thu hồi giấy bằng “{revoke}”{each} hoặc sửa lại điểm "
        "danh/điểm, rồi kết thúc lại. Chưa ghi gì."
    )


@dataclass(frozen=True)
class FinishResult:
    completed: int
    not_completed: int
    sessions: int
    code: str = ""
    min_attendance_pct: int = 80
    pass_score: float | None = None
    score_scale: int = 10
    reasons: tuple[tuple[str, int], ...] = ()  # (reason, people), in REASONS order

    def why(self) -> list[str]:
        """One line a reason: "299 người chưa có điểm cuối khóa"."""
        return [
            f"{number(n)} người {reason_text(key, self.min_attendance_pct, self.pass_score)}"
            for key, n in self.reasons
        ]

    def describe(self) -> str:
        """What finishing said: the counts, the rule and why people did not complete."""
        head = f"Đã kết thúc {self.code}" if self.code else "Đã kết thúc"
        if self.completed + self.not_completed == 0:
            return f"{head}: không có học viên nào đang ghi danh để xét ({self.sessions} buổi)."
        rule = f"chuyên cần từ {self.min_attendance_pct}%"
        if self.pass_score is None:
            rule += ", không có bài kiểm tra"
        else:
            rule += f" và điểm cuối khóa từ {score(self.pass_score)}/{self.score_scale}"
        text = (
            f"{head}: {number(self.completed)} hoàn thành, {number(self.not_completed)} chưa "
            f"hoàn thành ({self.sessions} buổi; điều kiện: {rule})."
        )
        if self.not_completed:
            text += " Chưa hoàn thành vì: " + "; ".join(self.why()) + "."
            if sum(n for _key, n in self.reasons) > self.not_completed:
                text += " Một người có thể thiếu nhiều điều kiện."
        return text
