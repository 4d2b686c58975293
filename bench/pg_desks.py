"""How far one shared PostgreSQL server carries: N office desks at once, each a separate
process working through the real services for a fixed time.

    python bench/pg_desks.py [--url postgresql+psycopg://postgres@127.0.0.1:54329/postgres]
                             [--desks 1,5,20] [--seconds 60] [--dashboard-every 10]

The first run fills a template database (pgdesk_base: the demo at scale 1, plus for each
desk 4 running courses of 30 people with 60 held sessions without marks, and for every
fourth desk 100 finished courses of 30 completed people nobody has certified). Each N
runs on a fresh copy of it (CREATE DATABASE … TEMPLATE), dropped afterwards; the
template is kept for the next run (--drop-base drops it at the end).

A desk (bench/pg_desk.py) does class passes: open the class, "Cả buổi có mặt" (one
transaction), 5 people marked one by one (one transaction each); desks 0, 4, 8, …
issue one whole finished course between passes; every --dashboard-every writes it
refreshes Tổng quan. Printed per N: actions/s, p50/p95/max ms per action kind, errors
(must be 0), conflicts (a Vietnamese UserError the window would show, listed), what the
desks waited for (pg_stat_activity sampled 4 times a second: lock waits by the statement
that waits), the CPU of the server's backends and of the desks, and the check after the
run: every counted write in the database, no duplicate or missing serial or register
number, the audit chain intact.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg
from common import ROOT, percentile
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.actor import unsigned
from app.db import Database
from app.demo import generate
from models import (
    Attendance,
    AuditEntry,
    Certificate,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Person,
)
from models import Session as CourseSession

CLASSES, SESSIONS, PEOPLE = 4, 60, 30  # per desk: running courses, their sessions, people
ISSUE_COURSES = 100  # per certificate desk
CERT_DESK_EVERY = 4  # desks 0, 4, 8, … also issue
KINDS = ("open_class", "mark_all", "mark", "issue", "dashboard")


def pg_url(admin: str, database: str) -> str:
    return make_url(admin).set(database=database).render_as_string(hide_password=False)


def plain(url: str) -> str:
    """The URL psycopg takes (no +psycopg)."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def admin_sql(admin: str, *statements: str) -> None:
    with psycopg.connect(plain(admin), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)  # type: ignore[arg-type]


def exists(admin: str, name: str) -> bool:
    with psycopg.connect(plain(admin), autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            is not None
        )


# -- the template: demo scale 1 and the desks' work ---------------------------------


def build_base(admin: str, base: str, desks: int) -> None:
    if not exists(admin, base):
        print(f"building {base}: demo scale 1…", file=sys.stderr, flush=True)
        admin_sql(admin, f'CREATE DATABASE "{base}"')
        db = Database(pg_url(admin, base))
        db.upgrade()
        generate.fill(db, scale=1)
        db.close()
    db = Database(pg_url(admin, base))
    with db.transaction(readonly=True) as s:
        ready = s.scalar(select(func.count()).where(Course.code.like("BAN-%"))) or 0
    if ready >= desks * CLASSES:
        db.close()
        return
    print(
        f"adding the work of desks {ready // CLASSES}-{desks - 1} to {base}…",
        file=sys.stderr,
        flush=True,
    )
    db.actor = unsigned("bench-setup")
    with db.transaction() as s:
        people = list(s.scalars(select(Person.id).order_by(Person.id)))
        rng = random.Random(18 + ready)
        today = date.today()
        for d in range(ready // CLASSES, desks):
            for k in range(CLASSES):
                c = Course(
                    code=f"BAN-{d:02d}-{k}",
                    title=f"Kỹ năng số, bàn {d} lớp {k}",
                    organiser="Sở Khoa học và Công nghệ",
                    status=CourseStatus.RUNNING,
                    start_date=today - timedelta(days=SESSIONS + 1),
                    end_date=today + timedelta(days=5),
                )
                s.add(c)
                s.flush()
                s.add_all(
                    Enrolment(course_id=c.id, person_id=p) for p in rng.sample(people, PEOPLE)
                )
                s.add_all(
                    CourseSession(
                        course_id=c.id,
                        starts_at=datetime.combine(
                            today - timedelta(days=SESSIONS - j), datetime.min.time()
                        )
                        + timedelta(hours=7 + k),
                        ends_at=datetime.combine(
                            today - timedelta(days=SESSIONS - j), datetime.min.time()
                        )
                        + timedelta(hours=7 + k, minutes=50),
                    )
                    for j in range(SESSIONS)
                )
            if d % CERT_DESK_EVERY:
                continue
            for k in range(ISSUE_COURSES):
                c = Course(
                    code=f"CAP-{d:02d}-{k:03d}",
                    title=f"Kỹ năng số, khóa {k}",
                    organiser="Sở Khoa học và Công nghệ",
                    status=CourseStatus.FINISHED,
                    start_date=today - timedelta(days=12),
                    end_date=today - timedelta(days=8),
                )
                s.add(c)
                s.flush()
                s.add_all(
                    Enrolment(
                        course_id=c.id, person_id=p, status=EnrolmentStatus.COMPLETED, post_score=8
                    )
                    for p in rng.sample(people, PEOPLE)
                )
            s.flush()
    db.analyze()
    db.close()


def plan(admin: str, base: str, desks: int, dashboard_every: int) -> dict:  # type: ignore[type-arg]
    db = Database(pg_url(admin, base))
    out = []
    with db.transaction(readonly=True) as s:
        for d in range(desks):
            classes = []
            for k in range(CLASSES):
                cid = s.scalar(select(Course.id).where(Course.code == f"BAN-{d:02d}-{k}"))
                sessions = list(
                    s.scalars(
                        select(CourseSession.id)
                        .where(CourseSession.course_id == cid)
                        .order_by(CourseSession.starts_at)
                    )
                )
                enrolments = list(s.scalars(select(Enrolment.id).where(Enrolment.course_id == cid)))
                classes.append({"course": cid, "sessions": sessions, "enrolments": enrolments})
            issue = list(
                s.scalars(
                    select(Course.id)
                    .where(Course.code.like(f"CAP-{d:02d}-%"))
                    .order_by(Course.code)
                )
            )
            out.append({"classes": classes, "issue": issue, "dashboard_every": dashboard_every})
    db.close()
    return {"desks": out}


# -- watching the server while the desks work ---------------------------------------


def what_waits(query: str) -> str:
    q = query.lower()
    for needle, name in (
        ("audit_entries", "audit chain head (INSERT audit_entries)"),
        ("serial_counters", "serial counter"),
        ("register_counter", "register counter"),
        ("for update", "course lock (issue)"),
    ):
        if needle in q:
            return name
    return q[:50]


class Watcher(threading.Thread):
    def __init__(self, url: str, database: str) -> None:
        super().__init__(daemon=True)
        self.url, self.database = url, database
        self.stop = threading.Event()
        self.samples = 0
        self.waiting: Counter[str] = Counter()  # desk-samples waiting, by what
        self.blocked_samples = 0  # samples where at least one desk waited on a lock
        self.active: list[int] = []
        self.connections = 0
        self.ungranted: Counter[str] = Counter()  # pg_locks not granted: type and table

    def run(self) -> None:
        with psycopg.connect(plain(self.url), autocommit=True) as conn:
            while not self.stop.wait(0.25):
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                    (self.database,),
                ).fetchall()
                self.samples += 1
                self.connections = max(self.connections, len(rows))
                self.active.append(sum(1 for r in rows if r[0] == "active"))
                locked = [r for r in rows if r[1] == "Lock"]
                if locked:
                    self.blocked_samples += 1
                for r in locked:
                    self.waiting[what_waits(r[3] or "")] += 1
                for kind, table in conn.execute(
                    "SELECT l.locktype, c.relname FROM pg_locks l LEFT JOIN pg_class c "
                    "ON c.oid = l.relation WHERE NOT l.granted AND l.pid IN "
                    "(SELECT pid FROM pg_stat_activity WHERE datname = %s)",
                    (self.database,),
                ).fetchall():
                    self.ungranted[f"{kind} {table or ''}".strip()] += 1
                for r in rows:
                    if r[0] == "active" and r[1] not in (None, "Lock", "Client"):
                        self.waiting[f"{r[1]}:{r[2]}"] += 1


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores so far."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# -- one N ---------------------------------------------------------------------------


def run_desks(admin: str, base: str, n: int, seconds: float, plan_path: Path) -> dict:  # type: ignore[type-arg]
    run_db = f"pgdesk_run_{n}"
    admin_sql(
        admin,
        f'DROP DATABASE IF EXISTS "{run_db}"',
        f'CREATE DATABASE "{run_db}" TEMPLATE "{base}"',
    )
    url = pg_url(admin, run_db)
    before = counters(url)
    with tempfile.TemporaryDirectory(prefix="pgdesks-") as tmp:
        outs = [Path(tmp) / f"desk-{d}.json" for d in range(n)]
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "bench" / "pg_desk.py"),
                    url,
                    str(d),
                    str(seconds),
                    str(plan_path),
                    str(outs[d]),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            for d in range(n)
        ]
        for p in procs:
            assert p.stdout is not None
            if p.stdout.readline().strip() != "ready":
                raise SystemExit("a desk did not start")
        watcher = Watcher(url, run_db)
        watcher.start()
        busy0 = machine_busy()
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        codes = [p.wait() for p in procs]
        busy1 = machine_busy()
        watcher.stop.set()
        watcher.join()
        desks = [json.loads(o.read_text()) for o in outs if o.exists()]
    if codes != [0] * n or len(desks) != n:
        raise SystemExit(f"desk processes ended with {codes}")
    result = {
        "n": n,
        "desks": desks,
        "watcher": watcher,
        "cpu_share": (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]),
        "check": verify(url, desks, before),
    }
    admin_sql(admin, f'DROP DATABASE "{run_db}"')
    return result


def counters(url: str) -> dict:  # type: ignore[type-arg]
    db = Database(url)
    with db.transaction(readonly=True) as s:
        found = {
            "register_max": s.scalar(select(func.max(Certificate.register_no))) or 0,
            "certificates": s.scalar(select(func.count()).select_from(Certificate)) or 0,
        }
    db.close()
    return found


def verify(url: str, desks: list[dict], before: dict) -> list[str]:  # type: ignore[type-arg]
    """What is wrong in the database after the run (empty: every counted write is there)."""
    problems = []
    db = Database(url)
    with db.transaction(readonly=True) as s:
        for d in desks:
            audited = dict(
                s.execute(
                    select(AuditEntry.action, func.count())
                    .where(AuditEntry.user == d["name"])
                    .group_by(AuditEntry.action)
                ).all()
            )
            if audited.get("attendance.mark", 0) != d["marks_audited"]:
                problems.append(
                    f"{d['name']}: {d['marks_audited']} marks counted, {audited.get('attendance.mark', 0)} audited"
                )
            if audited.get("certificate.issue", 0) != len(d["serials"]):
                problems.append(
                    f"{d['name']}: {len(d['serials'])} certificates counted, {audited.get('certificate.issue', 0)} audited"
                )
            stored = set(
                s.scalars(select(Certificate.serial).where(Certificate.issued_by == d["name"]))
            )
            if stored != set(d["serials"]):
                problems.append(
                    f"{d['name']}: serials counted and stored differ ({len(stored ^ set(d['serials']))})"
                )
            sessions = {sid for sid, _e, _st in d["marks"]}
            found = (
                {
                    (a, e): st.value
                    for a, e, st in s.execute(
                        select(
                            Attendance.session_id, Attendance.enrolment_id, Attendance.status
                        ).where(Attendance.session_id.in_(sessions))
                    )
                }
                if sessions
                else {}
            )
            lost = [m for m in d["marks"] if found.get((m[0], m[1])) != m[2]]
            if lost:
                problems.append(f"{d['name']}: {len(lost)} marks not as saved, e.g. {lost[0]}")
        dup = s.execute(
            select(Certificate.serial).group_by(Certificate.serial).having(func.count() > 1)
        ).all()
        if dup:
            problems.append(f"duplicate serials: {dup[:3]}")
        issued = sum(len(d["serials"]) for d in desks)
        numbers = sorted(
            s.scalars(
                select(Certificate.register_no).where(
                    Certificate.register_no > before["register_max"]
                )
            )
        )
        if numbers != list(range(before["register_max"] + 1, before["register_max"] + issued + 1)):
            problems.append(
                f"register numbers not 1..{issued} after {before['register_max']}: {len(numbers)} new"
            )
    report = db.check()
    if report.audit is None or not report.audit.ok:
        problems.append(
            f"audit chain: {report.audit.describe() if report.audit else 'not checked'}"
        )
    db.close()
    return problems


# -- printing ------------------------------------------------------------------------


def show(r: dict, seconds: float) -> None:  # type: ignore[type-arg]
    desks, w = r["desks"], r["watcher"]
    elapsed = max(d["elapsed"] for d in desks)
    times: dict[str, list[float]] = {}
    for d in desks:
        for kind, values in d["times"].items():
            times.setdefault(kind, []).extend(values)
    actions = sum(len(v) for v in times.values())
    marks = sum(d["marks_audited"] for d in desks)
    certs = sum(len(d["serials"]) for d in desks)
    print(
        f"\nN = {r['n']} desks, {elapsed:.0f} s: {actions / elapsed:,.1f} actions/s "
        f"({marks / elapsed:,.0f} marks/s saved, {certs / elapsed:,.1f} certificates/s)"
    )
    server_by_kind: dict[str, float] = {}
    for d in desks:
        for kind, cpu in d["server_by_kind"].items():
            server_by_kind[kind] = server_by_kind.get(kind, 0.0) + cpu
    print(
        f"  {'action':<11}{'count':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"{'server CPU ms':>15}"
    )
    for kind in KINDS:
        v = times.get(kind, [])
        if v:
            print(
                f"  {kind:<11}{len(v):>7}{len(v) / elapsed:>8.1f}{percentile(v, 0.5):>9.0f}"
                f"{percentile(v, 0.95):>9.0f}{max(v):>9.0f}"
                f"{1000 * server_by_kind.get(kind, 0.0) / len(v):>15.1f}"
            )
    errors = [e for d in desks for e in d["errors"]]
    conflicts = [c for d in desks for c in d["conflicts"]]
    print(f"  errors: {len(errors)}; conflicts shown in Vietnamese: {len(conflicts)}")
    for kind, text in errors[:3]:
        print(f"    ERROR in {kind}: {text.strip().splitlines()[0]}")
    for (kind, text), count in Counter(map(tuple, conflicts)).most_common(3):
        print(f"    {count} × {kind}: {text}")
    server = sum(d["server_cpu"] for d in desks)
    client = sum(d["client_cpu"] for d in desks)
    print(
        f"  CPU: machine {100 * r['cpu_share']:.0f}% busy (2 cores, shared); server backends "
        f"{server:.1f} s ({1000 * server / max(1, actions):.1f} ms/action), desks {client:.1f} s "
        f"({1000 * client / max(1, actions):.1f} ms/action)"
    )
    avg_active = sum(w.active) / max(1, len(w.active))
    print(
        f"  server: {w.connections} connections; {avg_active:.1f} desks in a statement on average; "
        f"a desk waited on a lock in {100 * w.blocked_samples / max(1, w.samples):.0f}% of {w.samples} samples"
    )
    for what, count in w.waiting.most_common(6):
        print(f"    {count / max(1, w.samples):5.2f} desks waiting on average: {what}")
    for what, count in w.ungranted.most_common(4):
        print(f"    pg_locks not granted, {count / max(1, w.samples):5.2f} on average: {what}")
    if not all(d["enough_work"] for d in desks):
        print("  NOTE: a desk ran out of work before the time was up")
    check = r["check"]
    print(
        "  check after the run: "
        + (
            "every counted write stored, serials and register numbers "
            "unique and without gaps, audit chain intact"
            if not check
            else "PROBLEMS"
        )
    )
    for line in check:
        print(f"    {line}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--url",
        default="postgresql+psycopg://postgres@127.0.0.1:54329/postgres",
        help="a role that may create databases (the run's are made and dropped)",
    )
    parser.add_argument("--desks", default="1,5,20")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--dashboard-every", type=int, default=10)
    parser.add_argument("--base", default="pgdesk_base")
    parser.add_argument("--drop-base", action="store_true")
    args = parser.parse_args()
    ns = [int(x) for x in args.desks.split(",")]
    build_base(args.url, args.base, max(ns))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(plan(args.url, args.base, max(ns), args.dashboard_every), f)
    print(
        f"PostgreSQL {args.url.rsplit('@', 1)[-1]}, {args.seconds:.0f} s per N, dashboard every "
        f"{args.dashboard_every} writes; desks {', '.join(map(str, ns))}"
    )
    failed = False
    for n in ns:
        r = run_desks(args.url, args.base, n, args.seconds, Path(f.name))
        show(r, args.seconds)
        failed = failed or bool(r["check"]) or any(d["errors"] for d in r["desks"])
    Path(f.name).unlink()
    if args.drop_base:
        admin_sql(args.url, f'DROP DATABASE "{args.base}"')
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
