"""The rows of the hostile-argument table (see tests/app/hostile.py for the placeholders)."""

from __future__ import annotations

from tests.app.hostile import COURSE, HUGE, LONG, WORDS, Case

# Arguments that would succeed on a good database: each command also meets every bad --db.
VALID: dict[tuple[str, ...], tuple[str, ...]] = {
    ("init",): (),
    ("demo",): ("--scale", "1"),
    ("check",): (),
    ("backup",): ("{out}/sao-luu-moi.db",),
    ("restore",): ("{backup}",),
    ("people", "list"): (),
    ("people", "erase"): ("{p1}", "--reason", "Người dân yêu cầu"),
    ("import", "people"): ("{xlsx}",),
    ("export", "people"): ("{out}/hoc-vien.xlsx",),
    ("export", "team"): ("{team}", "{out}/to.xlsx"),
    ("export", "course"): (COURSE, "{out}/khoa.xlsx"),
    ("export", "ics"): ("--course", COURSE, "{out}/lich.ics"),
    ("course", "add"): (
        "--code",
        "TH-2026-900",
        "--title",
        "Khóa mới",
        "--start",
        "2026-03-02",
        "--end",
        "2026-03-06",
    ),
    ("course", "edit"): (COURSE, "--legal-basis", "Căn cứ Quyết định số 1/QĐ-SKHCN"),
    ("course", "list"): (),
    ("course", "show"): (COURSE,),
    ("course", "finish"): (COURSE, "--yes"),
    ("session", "add"): (
        "--course",
        COURSE,
        "--date",
        "2024-03-07",
        "--start",
        "07:30",
        "--end",
        "11:00",
    ),
    ("enrol",): ("--course", COURSE, "--person", "{p3}"),
    ("attendance-sheet",): ("--course", COURSE, "--out", "{out}/ds.pdf"),
    ("badges",): ("--course", COURSE, "--out", "{out}/the.pdf"),
    ("transcript",): ("--person", "{p1}", "--out", "{out}/hs.pdf"),
    ("attendance", "mark"): (
        "--course",
        COURSE,
        "--session",
        "1",
        "--person",
        "{p1}",
        "--status",
        "present",
    ),
    ("scores", "import"): ("{scores}", "--course", COURSE),
    ("attendance", "scan"): ("{xlsx}", "--apply"),  # no page read: nothing written
    ("settings", "show"): (),
    ("settings", "set"): ("place", "Vĩnh Long"),
    ("certificates", "issue"): ("--course", COURSE, "--out", "{out}/gcn.pdf"),
    ("certificates", "list"): (),
    ("certificates", "revoke"): ("{serial}", "--reason", "Cấp nhầm"),
    ("certificates", "reissue"): ("{serial}",),
    ("certificates", "reprint"): ("{serial}", "--out", "{out}/in-lai.pdf"),
    ("certificates", "print"): ("--course", COURSE, "--out", "{out}/in.pdf"),
    ("certificates", "register"): ("--year", "2024", "--out", "{out}/so.pdf"),
    ("certificates", "publish"): ("--out", "{out}/tra-cuu"),
    ("verify",): ("{serial}",),
    ("report",): ("--from", "2024-01-01", "--to", "2024-12-31", "--out", "{out}/bc.pdf"),
    # No TAPHUAN_NEW_PASSWORD and no terminal: refused before anything is written.
    ("users", "add"): ("thu_ky", "--role", "staff", "--full-name", "Võ Thị Mai"),
    ("users", "list"): (),
    ("users", "lock"): ("thu_ky",),
    ("users", "unlock"): ("thu_ky",),
    ("users", "reset"): ("thu_ky",),
    ("users", "role"): ("thu_ky", "--role", "trainer"),
    # Only a PostgreSQL administrator's URL is accepted: every --db here is refused.
    ("server", "setup"): ("--owner", "taphuan_chu", "--app-user", "taphuan_app"),
}

# --db that is no usable database: a folder, missing, empty, not SQLite, a corrupt page,
# a name too long, a NUL byte, a read-only folder; an in-memory database, engines TapHuan
# does not use, a server URL without its host, a server that does not answer.
BAD_DBS = {
    "folder": "{dir}",
    "missing": "{out}/khong-co/taphuan.db",
    "empty": "{out}/trong.db",
    "garbage": "{garbage}",
    "corrupt": "{corrupt}",
    "long": "{out}/" + LONG + ".db",
    "nul": "{out}/ta\x00phuan.db",
    "readonly": "{ro}/taphuan.db",
    "memory": "sqlite://",
    "mysql": "mysql://taphuan@maychu/taphuan",
    "http": "http://x",
    "no-host": "postgresql://",
    "server-down": "postgresql://taphuan_app@127.0.0.1:1/taphuan",
}


def _db_cases() -> list[Case]:
    cases = []
    for command, argv in VALID.items():
        for name, target in BAD_DBS.items():
            if command == ("demo",) and name in ("missing", "empty"):
                continue  # a whole demo on a new file: slow, and what demo is for
            cases.append(Case(command, (*command, *argv), db=target))
    return cases


def _c(*argv: str, allowed: tuple[int, ...] = (0, 2, 3)) -> Case:
    command = next(k for k in sorted(VALID, key=len, reverse=True) if argv[: len(k)] == k)
    return Case(command, argv, allowed=frozenset(allowed))


OUT_PATHS = (
    "{dir}",
    "{ro}/x.{ext}",
    "{out}/" + LONG + ".{ext}",
    "{out}/khong-co/x.{ext}",
    "{out}/x\x00.{ext}",
    "",
    "{out}/x.txt",
)


def _outs(prefix: tuple[str, ...], ext: str, suffix: tuple[str, ...] = ()) -> list[Case]:
    return [_c(*prefix, p.replace("{ext}", ext), *suffix) for p in OUT_PATHS]


SPECIFIC: list[Case] = [
    _c("demo", "--scale", HUGE),
    _c("demo", "--scale", "1e21"),
    _c("demo", "--seed", HUGE),
    *_outs(("backup",), "db"),
    _c("backup", "{db}"),
    _c("restore", "{dir}"),
    _c("restore", "{garbage}"),
    _c("restore", "{empty}"),
    _c("restore", "{out}/" + LONG),
    _c("restore", "{out}/khong-co.db"),
    _c("restore", "x\x00.db"),
    _c("restore", "{corrupt}"),
    _c("people", "list", "--limit", "1e21"),
    _c("people", "list", "--limit", HUGE),
    _c("people", "list", "--limit", "-1"),
    _c("people", "list", "--search", WORDS),
    _c("people", "list", "--search", ""),
    _c("people", "list", "--search", "\x00"),
    _c("people", "list", "--search", "%_\\'\"*"),
    _c("people", "list", "--search", "\udcff"),
    _c("people", "erase", "999999", "--reason", "Yêu cầu"),
    _c("people", "erase", HUGE, "--reason", "Yêu cầu"),
    _c("people", "erase", "{p1}", "--reason", ""),
    _c("people", "erase", "{p1}", "--reason", "x" * 5000),
    _c("import", "people", "{dir}"),
    _c("import", "people", "{garbage}"),
    _c("import", "people", "{brokenxml}"),
    _c("import", "people", "{zip}"),
    _c("import", "people", "{csvbin}"),
    _c("import", "people", "{empty}"),
    _c("import", "people", "{out}/" + LONG + ".xlsx"),
    _c("import", "people", "{out}/khong-co.xlsx"),
    _c("import", "people", "{db}"),
    _c("import", "people", "{xlsx}", "--team", "999999"),
    _c("import", "people", "{xlsx}", "--team", HUGE),
    _c("import", "people", "{xlsx}", "--course", "KHONG-CO"),
    _c("import", "people", "{xlsx}", "--course", ""),
    _c("import", "people", "{xlsx}", "--sheet", "Không có"),
    _c("import", "people", "{xlsx}", "--sheet", LONG),
    *_outs(("export", "people"), "xlsx"),
    _c("export", "people", "{out}/hv.xlsx", "--search", WORDS),
    _c("export", "people", "{out}/hv.xlsx", "--unmask"),
    _c("export", "people", "{out}/hv.xlsx", "--unmask", "--reason", "x" * 5000),
    _c("export", "team", "999999", "{out}/to.xlsx"),
    _c("export", "team", HUGE, "{out}/to.xlsx"),
    *_outs(("export", "team", "{team}"), "csv"),
    _c("export", "course", "KHONG-CO", "{out}/k.xlsx"),
    _c("export", "course", "", "{out}/k.xlsx"),
    *_outs(("export", "course", COURSE), "xlsx"),
    _c("export", "ics", "--course", "KHONG-CO", "{out}/l.ics"),
    _c("export", "ics", "--trainer", "999999", "{out}/l.ics"),
    _c("export", "ics", "--trainer", HUGE, "{out}/l.ics"),
    *_outs(("export", "ics", "--course", COURSE), "ics"),
]

_ADD = ("course", "add", "--code", "TH-2026-901", "--title", "Khóa mới")
_DATES = ("--start", "2026-03-02", "--end", "2026-03-06")
SPECIFIC += [
    _c(*_ADD, "--start", "0001-01-01", "--end", "0001-01-03"),
    _c(*_ADD, "--start", "9999-12-29", "--end", "9999-12-31"),
    _c(*_ADD, "--start", "0001-01-01", "--end", "9999-12-31"),
    _c(*_ADD, "--start", "2026-02-30", "--end", "2026-03-06"),
    _c(*_ADD, "--start", "2026-03-06", "--end", "2026-03-02"),
    _c(*_ADD, *_DATES, "--capacity", HUGE),
    _c(*_ADD, *_DATES, "--capacity", "1e21"),
    _c(*_ADD, *_DATES, "--capacity", "2147483648"),
    _c(*_ADD, *_DATES, "--min-attendance", HUGE),
    _c(*_ADD, *_DATES, "--min-attendance", "-5"),
    _c(*_ADD, *_DATES, "--pass-score", "nan"),
    _c(*_ADD, *_DATES, "--pass-score", "inf"),
    _c(*_ADD, *_DATES, "--pass-score", "1e308"),
    _c(*_ADD, *_DATES, "--validity-months", HUGE),
    _c(*_ADD, *_DATES, "--validity-months", "99999"),
    _c("course", "add", "--code", "TH-2026-901", "--title", "x" * 5000, *_DATES),
    _c("course", "add", "--code", "x" * 5000, "--title", "Khóa mới", *_DATES),
    _c("course", "add", "--code", "", "--title", "Khóa mới", *_DATES),
    _c("course", "add", "--code", "TH-2026-901", "--title", "", *_DATES),
    _c("course", "add", "--code", "TH\x00", "--title", "Khóa mới", *_DATES),
    _c("course", "add", "--code", COURSE, "--title", "Trùng mã", *_DATES),
    _c("course", "list", "--year", HUGE),
    _c("course", "list", "--year", "1e21"),
    _c("course", "list", "--year", "0"),
    _c("course", "list", "--year", "-1"),
    _c("course", "show", "KHONG-CO"),
    _c("course", "show", ""),
    _c("course", "show", "x" * 5000),
    _c("course", "show", WORDS),
    _c("course", "finish", "KHONG-CO"),
    _c("course", "finish", COURSE),
    _c(*_ADD, *_DATES, "--grade-excellent", "6", "--grade-good", "8"),
    _c(*_ADD, *_DATES, "--grade-excellent", "8"),
    _c(*_ADD, *_DATES, "--grade-excellent", "80", "--grade-good", "70"),
    _c(*_ADD, *_DATES, "--legal-basis", "x" * 5000),
    _c("course", "edit", "KHONG-CO", "--legal-basis", "Căn cứ"),
    _c("course", "edit", COURSE, "--grade-excellent", "nan", "--grade-good", "6"),
    _c("course", "edit", COURSE, "--grade-excellent", "9", "--grade-good", "4"),
    _c("course", "edit", COURSE, "--grade-good", "6"),
    _c("course", "edit", COURSE, "--legal-basis", "Căn cứ\x00"),
    _c("course", "edit", COURSE, "--legal-basis", WORDS),
    _c("course", "edit", COURSE, "--no-grades"),
]

_SESSION = ("session", "add", "--course", COURSE)
_TIMES = ("--start", "07:30", "--end", "11:00")
SPECIFIC += [
    _c("session", "add", "--course", "KHONG-CO", "--date", "2024-03-07", *_TIMES),
    _c(*_SESSION, "--date", "0001-01-01", *_TIMES),
    _c(*_SESSION, "--date", "9999-12-31", *_TIMES),
    _c(*_SESSION, "--date", "2026-02-30", *_TIMES),
    _c(*_SESSION, "--date", "2024-03-07", "--start", "25:00", "--end", "26:00"),
    _c(*_SESSION, "--date", "2024-03-07", "--start", "11:00", "--end", "07:30"),
    _c(*_SESSION, "--date", "2024-03-07", *_TIMES, "--trainer", "999999"),
    _c(
        *_SESSION,
        "--date",
        "2024-03-05",
        "--start",
        "13:30",
        "--end",
        "16:30",
        "--trainer",
        "999999",
    ),
    _c(*_SESSION, "--date", "2024-03-07", *_TIMES, "--trainer", "999999", "--override", "Bù"),
    _c(*_SESSION, "--date", "2024-03-07", *_TIMES, "--trainer", HUGE),
    _c(*_SESSION, "--date", "2024-03-07", *_TIMES, "--trainer", "{p1}"),
    _c(*_SESSION, "--date", "2024-03-07", *_TIMES, "--venue", "Không có"),
    _c(*_SESSION, "--date", "2024-03-07", *_TIMES, "--venue", ""),
    _c(*_SESSION, "--date", "2024-03-07", *_TIMES, "--title", "x" * 5000),
    _c(*_SESSION, "--date", "2024-03-07", *_TIMES, "--override", "x" * 5000),
    _c("enrol", "--course", "KHONG-CO", "--person", "{p3}"),
    _c("enrol", "--course", COURSE, "--team", "999999"),
    _c("enrol", "--course", COURSE, "--team", HUGE),
    _c("enrol", "--course", COURSE, "--person", "999999"),
    _c("enrol", "--course", COURSE, "--person", HUGE),
    _c("enrol", "--course", COURSE, "--person", "{p3}", "{p3}"),
    _c("attendance-sheet", "--course", "KHONG-CO", "--out", "{out}/a.pdf"),
    _c("attendance-sheet", "--course", COURSE, "--session", HUGE, "--out", "{out}/a.pdf"),
    _c("attendance-sheet", "--course", COURSE, "--session", "999", "--out", "{out}/a.pdf"),
    _c("attendance-sheet", "--course", COURSE, "--blank", "-1", "--out", "{out}/a.pdf"),
    _c("attendance-sheet", "--course", COURSE, "--blank", HUGE, "--out", "{out}/a.pdf"),
    _c("attendance-sheet", "--course", COURSE, "--blank", "100000000", "--out", "{out}/a.pdf"),
    *_outs(("attendance-sheet", "--course", COURSE, "--out"), "pdf"),
    _c("badges", "--course", "KHONG-CO", "--out", "{out}/b.pdf"),
    *_outs(("badges", "--course", COURSE, "--out"), "pdf"),
    _c("transcript", "--person", "999999", "--out", "{out}/t.pdf"),
    _c("transcript", "--person", HUGE, "--out", "{out}/t.pdf"),
    *_outs(("transcript", "--person", "{p1}", "--out"), "pdf"),
]

_MARK = ("attendance", "mark", "--course", COURSE, "--session")
SPECIFIC += [
    _c(
        "attendance",
        "mark",
        "--course",
        "KHONG-CO",
        "--session",
        "1",
        "--all",
        "--status",
        "present",
    ),
    _c(*_MARK, HUGE, "--all", "--status", "present"),
    _c(*_MARK, "999", "--all", "--status", "present"),
    _c(*_MARK, "1", "--code", "KHONGCO", "--status", "present"),
    _c(*_MARK, "1", "--code", "", "--status", "present"),
    _c(*_MARK, "1", "--code", WORDS, "--status", "present"),
    _c(*_MARK, "1", "--person", "999999", "--status", "present"),
    _c(*_MARK, "1", "--person", HUGE, "--status", "present"),
    _c(*_MARK, "1", "--person", "{p3}", "--status", "present"),
    _c(*_MARK, "1", "--all", "--status", "absent"),
    _c(*_MARK, "1", "--all", "--status", "gone"),
    _c("scores", "import", "{dir}", "--course", COURSE),
    _c("scores", "import", "{garbage}", "--course", COURSE),
    _c("scores", "import", "{brokenxml}", "--course", COURSE),
    _c("scores", "import", "{zip}", "--course", COURSE),
    _c("scores", "import", "{csvbin}", "--course", COURSE),
    _c("scores", "import", "{empty}", "--course", COURSE),
    _c("scores", "import", "{out}/" + LONG + ".xlsx", "--course", COURSE),
    _c("scores", "import", "{xlsx}", "--course", COURSE),
    _c("scores", "import", "{scores}", "--course", "KHONG-CO"),
    _c("scores", "import", "{scores}", "--course", COURSE, "--sheet", "Không có"),
    *(
        _c("attendance", "scan", *files, "--apply")
        for files in (
            ("{dir}",),
            ("{garbage}",),
            ("{empty}",),
            ("{zip}",),
            ("{brokenxml}",),
            ("{csvbin}",),
            ("",),
            ("{out}/" + LONG + ".pdf",),
            ("{out}/khong-co.pdf",),
            ("{out}/x\x00.jpg",),
            ("{xlsx}", "{out}/khong-co.jpg"),
        )
    ),
    _c("attendance", "scan"),  # no file: a usage error
    *(
        _c("certificates", "publish", "--out", out)
        for out in (
            "{dir}",  # a folder of other files
            "{garbage}",  # a file
            "",
            "{out}/" + LONG,
            "{out}/khong-co/tra-cuu",
            "{out}/x\x00",
        )
    ),
    _c("certificates", "publish"),  # no --out: a usage error
]

BAD_PATTERNS = (
    "{seq!r}",
    "{0}",
    "{}",
    "{seq.__class__}",
    "{year:>99999}",
    "{seq[0]}",
    "{seq:>999999999999999999999}",
    "{seq:04d}/{year!s}",
    "{seq:04d}/{nam}",
    "{seq:c}",
    "{seq:,}",
    "{seq:04d}{",
    "}{seq}",
    "GCN",
    "{seq:.2f}",
    "{seq.real}",
    "{year:04d}-{seq:x}",
    "{seq:099d}",
    "",
)
SPECIFIC += [
    *[_c("settings", "set", "serial_pattern", p) for p in BAD_PATTERNS],
    _c("settings", "set", "serial_pattern", "{seq:05d}/{year}/GCN-SKHCN"),
    _c("settings", "set", "issuer", "x" * 5000),
    _c("settings", "set", "issuer", ""),
    _c("settings", "set", "issuer", "\x00"),
    _c("settings", "set", "khong-co", "x"),
    _c("settings", "set", "verify_url", "javascript:alert(1)"),
    _c("settings", "set", "template", "x" * 5000),
    _c("settings", "set", "logo", "{dir}"),
    _c("settings", "set", "logo", "{garbage}"),
    _c("settings", "set", "logo", "{empty}"),
    _c("settings", "set", "logo", "{out}/" + LONG + ".png"),
    _c("settings", "set", "logo", "{out}/khong-co.png"),
    _c("certificates", "issue", "--course", "KHONG-CO", "--out", "{out}/c.pdf"),
    _c("certificates", "issue", "--course", COURSE),
    *_outs(("certificates", "issue", "--course", COURSE, "--out"), "pdf"),
    _c("certificates", "issue", "--course", COURSE, "--out-dir", "{xlsx}"),
    _c("certificates", "issue", "--course", COURSE, "--out-dir", "{ro}/gcn"),
    _c("certificates", "issue", "--course", COURSE, "--out-dir", "{out}/" + LONG),
    _c("certificates", "issue", "--course", COURSE, "--out-dir", "{out}/a\x00"),
    _c("certificates", "list", "--course", "KHONG-CO"),
    _c("certificates", "list", "--course", WORDS),
    _c("certificates", "revoke", "KHONG-CO", "--reason", "Cấp nhầm"),
    _c("certificates", "revoke", "{serial}", "--reason", ""),
    _c("certificates", "revoke", "{serial}", "--reason", "x" * 5000),
    _c("certificates", "revoke", "", "--reason", "Cấp nhầm"),
    _c("certificates", "reissue", "KHONG-CO"),
    *_outs(("certificates", "reissue", "{serial}", "--out"), "pdf"),
    _c("certificates", "reprint"),
    _c("certificates", "reprint", "KHONG-CO", "--out", "{out}/r.pdf"),
    _c("certificates", "reprint", "--course", "KHONG-CO", "--out", "{out}/r.pdf"),
    _c("certificates", "reprint", "{serial}", "--out-dir", "{xlsx}"),
    _c("certificates", "reprint", *["{serial}"] * 200, "--out", "{out}/r.pdf"),
    *_outs(("certificates", "reprint", "{serial}", "--out"), "pdf"),
    _c("certificates", "register", "--year", "1", "--out", "{out}/s.pdf"),
    _c("certificates", "register", "--year", "9999", "--out", "{out}/s.xlsx"),
    _c("certificates", "register", "--year", "0", "--out", "{out}/s.pdf"),
    _c("certificates", "register", "--year", HUGE, "--out", "{out}/s.pdf"),
    _c("certificates", "register", "--year", "1e21", "--out", "{out}/s.pdf"),
    *_outs(("certificates", "register", "--year", "2024", "--out"), "pdf"),
    _c("verify", "", allowed=(0, 1, 2, 3)),
    _c("verify", "KHONG-CO", allowed=(0, 1, 2, 3)),
    _c("verify", WORDS, allowed=(0, 1, 2, 3)),
    _c("verify", "x" * 5000, allowed=(0, 1, 2, 3)),
    _c("verify", "https://tra-cuu.example/?ma=" + "A" * 5000, allowed=(0, 1, 2, 3)),
    _c("verify", "{out}/khong-co.pdf", allowed=(3,)),
    _c("verify", "{db}", allowed=(3,)),  # a file, not a PDF
    _c("verify", "{out}/" + LONG + ".pdf", allowed=(3,)),
    _c("verify", "x" * 5000 + ".PDF", allowed=(3,)),
    _c("verify", "{dir}", allowed=(1, 3)),
    _c("report", "--from", "0001-01-01", "--to", "9999-12-31", "--out", "{out}/r.pdf"),
    _c("report", "--from", "9999-12-31", "--to", "9999-12-31", "--out", "{out}/r.xlsx"),
    _c("report", "--from", "2026-02-30", "--to", "2026-03-01", "--out", "{out}/r.pdf"),
    _c("report", "--from", "2024-12-31", "--to", "2024-01-01", "--out", "{out}/r.pdf"),
    _c(
        "report",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--unit",
        "KHONG-CO",
        "--out",
        "{out}/r.pdf",
    ),
    _c(
        "report", "--from", "2024-01-01", "--to", "2024-12-31", "--unit", "", "--out", "{out}/r.pdf"
    ),
    *_outs(("report", "--from", "2024-01-01", "--to", "2024-12-31", "--out"), "pdf"),
    _c("server", "setup", "--owner", "", "--app-user", "taphuan_app"),
    _c("server", "setup", "--owner", "x" * 5000, "--app-user", "taphuan_app"),
    _c("server", "setup", "--owner", "a; DROP ROLE postgres", "--app-user", "taphuan_app"),
    _c("server", "setup", "--owner", "taphuan_app", "--app-user", "taphuan_app"),
]

SPECIFIC += [
    _c("certificates", "print", "--course", "KHONG-CO", "--out", "{out}/p.pdf"),
    _c("certificates", "print", "--course", COURSE),
    _c("certificates", "print", "--course", COURSE, "--serial", "KHONG-CO", "--out", "{out}/p.pdf"),
    _c("certificates", "print", "--course", COURSE, "--serial", "", "--out", "{out}/p.pdf"),
    _c("certificates", "print", "--course", COURSE, "--out-dir", "{xlsx}"),
    *_outs(("certificates", "print", "--course", COURSE, "--out"), "pdf"),
    _c("users", "add", "", "--role", "staff"),
    _c("users", "add", "x" * 5000, "--role", "staff"),
    _c("users", "add", "ta\x00i", "--role", "staff"),
    _c("users", "add", "thu_ky", "--role", "god"),
    _c("users", "add", "thu_ky", "--role", "trainer"),
    _c("users", "add", "thu_ky", "--role", "trainer", "--person", "999999"),
    _c("users", "add", "thu_ky", "--role", "trainer", "--person", HUGE),
    _c("users", "add", "thu_ky", "--role", "trainer", "--person", "{p1}"),
    _c("users", "add", "thu_ky", "--role", "staff", "--full-name", "x" * 5000),
    _c("users", "add", "thu_ky", "--role", "staff", "--full-name", WORDS),
    *[
        _c("users", verb, name)
        for verb in ("lock", "unlock", "reset")
        for name in ("KHONG-CO", "", "x" * 5000, WORDS)
    ],
    _c("users", "role", "KHONG-CO", "--role", "staff"),
    _c("users", "role", "thu_ky", "--role", "god"),
    _c("users", "role", "thu_ky", "--role", "trainer", "--person", HUGE),
]

# The review of issue 20: usage errors said in Vietnamese (exit 2), rules of accounts (3).
SPECIFIC += [
    _c("certificates", "reprint", "{serial}"),
    _c("certificates", "print", "--course", COURSE, "--serial", "--out", "{out}/p.pdf"),
    _c("certificates", "print", "--course", COURSE, "--serial", "{serial}"),
    _c("export", "ics", "{out}/l.ics"),
    _c("export", "ics", "--course", COURSE, "--trainer", "1", "{out}/l.ics"),
    _c("check", "--demo=co"),
    _c("users", "add", "\u212aanbo", "--role", "staff", "--full-name", "Võ Thị Mai"),
    _c("users", "add", "...", "--role", "staff", "--full-name", "Võ Thị Mai"),
    _c("users", "role", "thu_ky", "--role", "staff", "--person", "{p1}"),
    _c("users", "role", "thu_ky", "--role", "admin", "--person", "{p1}"),
]

CASES: list[Case] = _db_cases() + SPECIFIC
