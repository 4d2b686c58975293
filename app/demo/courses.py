"""Demo courses, sessions, enrolments, attendance and scores."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from app.demo import names_data as nd
from app.demo.base import (
    CHUNK,
    CO_ORGANISER,
    COURSES_PER_SCALE,
    ORGANISER_NEW,
    ORGANISER_OLD,
    BuilderBase,
)
from app.vn.units import SCHEME_2025_FROM
from models import (
    Attendance,
    AttendanceMethod,
    AttendanceStatus,
    Course,
    CourseStatus,
    CourseTopic,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionMode,
    SessionTopic,
    SessionTrainer,
)


class CoursesMixin(BuilderBase):
    # -- courses -------------------------------------------------------------------

    def _courses(self) -> None:
        rng = self.rng
        today = self.today
        n_courses = COURSES_PER_SCALE * self.scale
        span_start, span_end = date(2022, 9, 5), today + timedelta(days=35)
        span = (span_end - span_start).days
        starts = [span_start + timedelta(days=rng.randint(0, span)) for _ in range(n_courses)]
        # Whatever the day: courses running now (one sitting held, its marks not entered
        # yet) and courses in the four weeks ahead, some still short of their minimum.
        running_now = [today - timedelta(days=rng.randint(2, 9)) for _ in range(2 * self.scale)]
        ahead = [today + timedelta(days=rng.randint(1, 27)) for _ in range(6 * self.scale)]
        unmarked_starts = set(running_now)
        short_starts = set(ahead[::2])
        seq_by_year: dict[int, int] = {}
        courses, course_topics, sessions, session_topics, trainers_rows = [], [], [], [], []
        enrolments: list[dict[str, Any]] = []
        attendance: list[dict[str, Any]] = []
        for drawn in sorted(starts + running_now + ahead):
            theme, topic_codes = rng.choice(nd.COURSE_THEMES)
            d = rng.choice(self.districts)
            online = rng.random() < 0.08
            n_sessions = rng.randint(3, 6)
            start = _weekday(drawn)
            days = _session_days(rng, start, n_sessions)
            if start < SCHEME_2025_FROM <= days[-1]:  # no course straddles the merger
                start = _weekday(SCHEME_2025_FROM)
                days = _session_days(rng, start, n_sessions)
            if drawn in running_now and days[-1] <= today:
                days.append(_weekday(today + timedelta(days=1)))
            end = days[-1]
            seq_by_year[start.year] = seq_by_year.get(start.year, 0) + 1
            after = start >= SCHEME_2025_FROM
            place_name, unit_id, venue_id = d.name, d.unit_id, None
            if after:  # the 2025 units: a commune or ward that took the district over
                unit_id = rng.choice(d.new_communes)
                place_name = self.unit_names[unit_id]
                venue_id = None if online else d.new_venues[unit_id]
            elif not online:
                venue_id = rng.choice(d.venue_ids)
            title = f"{theme} {place_name}" if not online else f"{theme} (trực tuyến)"
            capacity = rng.choice([60, 80, 100, 120, 150])
            status = _status(rng, start, end, today)
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
                    "default_venue_id": None if online else venue_id,
                    "unit_id": unit_id,
                    "note": None,
                    "cancelled_reason": "Trùng lịch họp của tỉnh"
                    if status == CourseStatus.CANCELLED
                    else None,
                }
            )
            for code in topic_codes:
                course_topics.append({"course_id": cid, "topic_id": self.topic_ids[code]})
            venue = courses[-1]["default_venue_id"]
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
            if drawn in short_starts:  # below the minimum enrolment (capacity // 3)
                size = rng.randint(capacity // 8, capacity // 3 - 1)
            held = [sid for sid, at in session_ids if at.date() < today]
            unmarked = held[-1:] if drawn in unmarked_starts else []
            for pid in rng.sample(pool, size):
                self._enrol(
                    cid, pid, status, scale10, session_ids, enrolments, attendance, unmarked
                )
                if after:
                    self.later_people.add(pid)
            if after:
                self.later_people.update(t["person_id"] for t in trainers_rows[-len(days) :])
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
        unmarked: list[int],
    ) -> None:
        rng = self.rng
        eid = self._id("enrolments")
        top = 10 if scale10 else 100
        held = [
            (sid, at) for sid, at in session_ids if at.date() <= self.today and sid not in unmarked
        ]
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


def _status(rng: random.Random, start: date, end: date, today: date) -> CourseStatus:
    if end < today:
        return CourseStatus.CANCELLED if rng.random() < 0.03 else CourseStatus.FINISHED
    if start <= today:
        return CourseStatus.RUNNING
    return rng.choice(
        [CourseStatus.OPEN, CourseStatus.OPEN, CourseStatus.PLANNED, CourseStatus.DRAFT]
    )
