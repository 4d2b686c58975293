"""One office desk for bench/pg_desks.py: a separate process working on the shared
PostgreSQL database through the real services, as the window does.

    python bench/pg_desk.py URL DESK SECONDS PLAN.json OUT.json   (started by pg_desks.py)

A class pass is what a trainer does after a session: open the class (the attendance
grid), "Cả buổi có mặt" for the session (one transaction), then a few people marked
late, excused or absent one by one (one transaction each). A certificate desk issues one
finished course between passes (one transaction: issue, then the items of the combined
PDF, as the Chứng nhận page's worker does). Every few writes the desk refreshes Tổng
quan (the page's query, read-only). It prints "ready", waits for "go" on stdin, works for
SECONDS, and writes what it did and what it met to OUT.json.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import time
import traceback
from datetime import date
from pathlib import Path

import common  # noqa: F401  (puts the project on sys.path)
from sqlalchemy import event

from app.actor import unsigned
from app.db import Database
from app.errors import UserError
from app.services import attendance, certificates, overview

SINGLE_MARKS = 5  # people marked one by one after "Cả buổi có mặt"
OTHER = ("late", "excused", "absent")


def desk_name(desk: int) -> str:
    return f"ban-{desk:02d}"


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process on this machine has used; 0 if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Desk:
    def __init__(self, url: str, desk: int, plan: dict) -> None:  # type: ignore[type-arg]
        self.db = Database(url)
        self.db.actor = unsigned(desk_name(desk))
        self.backends: list[int] = []
        event.listen(self.db.engine, "connect", self._connected)
        self.rng = random.Random(desk)
        self.classes = plan["classes"]  # [{course, sessions: [...], enrolments: [...]}]
        self.to_issue = list(plan["issue"])  # course ids, finished, nobody certified yet
        self.dashboard_every = plan["dashboard_every"]
        self.times: dict[str, list[float]] = {}
        self.server: dict[str, float] = {}  # CPU s of this desk's server backends, by kind
        self.conflicts: list[tuple[str, str]] = []
        self.errors: list[tuple[str, str]] = []
        self.state: dict[tuple[int, int], str] = {}  # (session, enrolment) -> status set
        self.marks_audited = 0
        self.serials: list[str] = []
        self.writes = 0

    def _connected(self, dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        self.backends.append(dbapi_connection.info.backend_pid)

    def timed(self, kind: str, act):  # type: ignore[no-untyped-def]
        """act() timed under kind; a UserError is a conflict shown to the user (Vietnamese),
        anything else an error that would reach the user as a crash dialog."""
        start, cpu = time.perf_counter(), self.backend_cpu()
        try:
            result = act()
        except UserError as exc:
            self.conflicts.append((kind, exc.message))
            return None
        except Exception as exc:
            self.errors.append((kind, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
            return None
        self.times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
        self.server[kind] = self.server.get(kind, 0.0) + self.backend_cpu() - cpu
        return result

    def backend_cpu(self) -> float:
        return sum(_proc_cpu(pid) for pid in self.backends)

    def write(self, kind: str, service):  # type: ignore[no-untyped-def]
        def act():  # type: ignore[no-untyped-def]
            with self.db.transaction() as s:
                return service(s)

        result = self.timed(kind, act)
        self.writes += 1
        if self.writes % self.dashboard_every == 0:
            self.read("dashboard", lambda s: overview.overview(s, date.today()))
        return result

    def read(self, kind: str, service):  # type: ignore[no-untyped-def]
        def act():  # type: ignore[no-untyped-def]
            with self.db.transaction(readonly=True) as s:
                return service(s)

        return self.timed(kind, act)

    def class_pass(self, klass: dict, session_id: int) -> None:  # type: ignore[type-arg]
        cid = klass["course"]
        self.read("open_class", lambda s: attendance.grid(s, cid))
        n = self.write("mark_all", lambda s: attendance.mark_all_present(s, cid, session_id))
        if n is not None:
            self.marks_audited += n
            for eid in klass["enrolments"]:
                self.state.setdefault((session_id, eid), "present")
        for eid in self.rng.sample(klass["enrolments"], SINGLE_MARKS):
            before = self.state.get((session_id, eid))
            status = self.rng.choice([x for x in OTHER if x != before])
            done = self.write(
                "mark", lambda s, e=eid, st=status: attendance.mark(s, cid, session_id, e, st)
            )
            if done is not None:
                self.state[(session_id, eid)] = status
                self.marks_audited += 1

    def issue_one(self) -> None:
        if not self.to_issue:
            return
        cid = self.to_issue.pop(0)

        def act(s):  # type: ignore[no-untyped-def]
            issued = certificates.issue(s, cid, None)
            certificates.reprint(s, [r.id for r in issued])
            return issued

        issued = self.write("issue", act)
        if issued:
            self.serials.extend(r.serial for r in issued)

    def run(self, seconds: float) -> bool:
        """Class passes (and issues) until the time is up; False if the work ran out."""
        end = time.monotonic() + seconds
        passes = [(k, sid) for k in self.classes for sid in k["sessions"]]
        for klass, session_id in passes:
            if time.monotonic() >= end:
                return True
            self.class_pass(klass, session_id)
            self.issue_one()
        return time.monotonic() >= end


def main(url: str, desk_no: int, seconds: float, plan_path: str, out_path: str) -> int:
    plan = json.loads(Path(plan_path).read_text())["desks"][desk_no]
    desk = Desk(url, desk_no, plan)
    desk.read("warm_up", lambda s: overview.counts(s))  # connect and import before the clock
    print("ready", flush=True)
    sys.stdin.readline()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    server0 = {pid: _proc_cpu(pid) for pid in desk.backends}
    started = time.monotonic()
    enough_work = desk.run(seconds)
    elapsed = time.monotonic() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    server = sum(_proc_cpu(pid) - server0.get(pid, 0.0) for pid in desk.backends)
    desk.times.pop("warm_up", None)
    Path(out_path).write_text(
        json.dumps(
            {
                "desk": desk_no,
                "name": desk_name(desk_no),
                "elapsed": elapsed,
                "enough_work": enough_work,
                "times": desk.times,
                "server_by_kind": desk.server,
                "conflicts": desk.conflicts,
                "errors": desk.errors,
                "marks": [[sid, eid, st] for (sid, eid), st in desk.state.items()],
                "marks_audited": desk.marks_audited,
                "serials": desk.serials,
                "client_cpu": (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime),
                "server_cpu": server,
                "backends": desk.backends,
            },
            ensure_ascii=False,
        )
    )
    desk.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]))
