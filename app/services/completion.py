"""The completion rule of a course, one person at a time, and why people fell short: what
finishing a course says ("299 người chưa có điểm cuối khóa"), never a bare count."""

from __future__ import annotations

from dataclasses import dataclass

from app.labels import number, score

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
        said = {
            NO_SESSIONS: "khóa học chưa có buổi học nào",
            LOW_ATTENDANCE: f"dự dưới {self.min_attendance_pct}% số buổi",
            NO_SCORE: "chưa có điểm cuối khóa",
            LOW_SCORE: f"có điểm cuối khóa dưới {score(self.pass_score)}",
            DECIDED: "được quyết định chưa hoàn thành (có ghi lý do)",
        }
        return [f"{number(n)} người {said[key]}" for key, n in self.reasons]

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
