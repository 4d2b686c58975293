"""Backups of the SQLite file, kept in `backups/` beside it.

Every copy is made with SQLite's backup API into a temporary file, integrity-checked,
and only then given its name; a copy that fails the check is thrown away and the kept
ones stay as they were. What is kept: every copy of the last 14 days, then the newest of
each week for 13 weeks, then the newest of each month for two years. The newest copy is
never removed.

Made automatically on the first start of each day, before every schema upgrade and
before a restore; by hand from the menu or `taphuan backup`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.errors import CorruptDatabase
from app.files import make_temp

STAMP = re.compile(r"(\d{8})-(\d{6})")
DAILY_DAYS, WEEKLY_WEEKS, MONTHLY_MONTHS = 14, 13, 24
KINDS = {
    "hang-ngay": "hằng ngày",
    "thu-cong": "sao lưu tay",
    "truoc-nang-cap": "trước khi nâng cấp",
    "truoc-khoi-phuc": "trước khi khôi phục",
}


def folder_of(db_path: Path) -> Path:
    return db_path.parent / "backups"


def integrity_ok(path: Path, quick: bool = False) -> bool:
    """PRAGMA integrity_check (or the faster quick_check) over a read-only connection."""
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as con:
            rows = con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check")
            return [r[0] for r in rows.fetchall()] == ["ok"]
    except sqlite3.DatabaseError:
        return False


def checked_copy(src: Path, dest: Path) -> Path:
    """Copy a live SQLite file page by page into a temporary file beside dest, check it,
    then move it into place in one step. Raises CorruptDatabase if the copy is bad."""
    fd, tmp_name = make_temp(dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        # The source over a read-write connection (read-only if the system says so, never
        # created): closing it as the last connection checkpoints and removes the WAL
        # files, which a read-only connection would leave beside the database.
        with (
            closing(sqlite3.connect(f"{src.absolute().as_uri()}?mode=rw", uri=True)) as s,
            closing(sqlite3.connect(tmp)) as d,
        ):
            s.backup(d)
            d.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        if not integrity_ok(tmp):
            raise CorruptDatabase(
                f"Bản sao của {src.name} không qua được kiểm tra toàn vẹn; các bản sao lưu cũ "
                "được giữ nguyên."
            )
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def make(db_path: Path, kind: str, now: datetime | None = None) -> Path:
    """A new checked copy in backups/, then the old ones thinned out."""
    now = now or datetime.now()
    folder = folder_of(db_path)
    folder.mkdir(exist_ok=True)
    dest = folder / f"{db_path.stem}-{now:%Y%m%d-%H%M%S-%f}-{kind}.db"
    checked_copy(db_path, dest)
    prune(folder, now)
    return dest


def daily(db_path: Path, now: datetime | None = None) -> Path | None:
    """The first start of the day makes a copy; later starts that day do not."""
    now = now or datetime.now()
    if not db_path.exists():
        return None
    today = f"{now:%Y%m%d}"
    if any(b.taken.strftime("%Y%m%d") == today for b in listing(folder_of(db_path))):
        return None
    return make(db_path, "hang-ngay", now)


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime

    @property
    def kind(self) -> str:
        return next((label for key, label in KINDS.items() if key in self.path.name), "")


def listing(folder: Path) -> list[Backup]:
    """Kept copies, the newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.db"):
        m = STAMP.search(path.name)
        if m:
            found.append(Backup(path, datetime.strptime("".join(m.groups()), "%Y%m%d%H%M%S")))
    return sorted(found, key=lambda b: (b.taken, b.path.name), reverse=True)


def to_keep(backups: list[Backup], now: datetime) -> set[Path]:
    """The retention rule (see the module's text)."""
    keep: set[Path] = set()
    weeks: set[tuple[int, int]] = set()
    months: set[tuple[int, int]] = set()
    for b in backups:  # newest first: the first of each week or month is its newest
        age = now - b.taken
        if age < timedelta(days=DAILY_DAYS):
            keep.add(b.path)
        elif age < timedelta(weeks=WEEKLY_WEEKS):
            week = b.taken.isocalendar()[:2]
            if week not in weeks:
                weeks.add(week)
                keep.add(b.path)
        elif age < timedelta(days=31 * MONTHLY_MONTHS):
            month = (b.taken.year, b.taken.month)
            if month not in months:
                months.add(month)
                keep.add(b.path)
    if backups:
        keep.add(backups[0].path)
    return keep


def prune(folder: Path, now: datetime | None = None) -> list[Path]:
    """Remove the copies the rule does not keep; returns them."""
    backups = listing(folder)
    keep = to_keep(backups, now or datetime.now())
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def keep_broken(db_path: Path, now: datetime | None = None) -> Path:
    """A file that fails its check is evidence and may hold later work: moved (with its
    WAL companions) into backups/tep-hong, which pruning never touches. Returns where."""
    folder = folder_of(db_path) / "tep-hong"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{now or datetime.now():%Y%m%d-%H%M%S}"
    kept = folder / f"{db_path.stem}-hong-luc-{stamp}{db_path.suffix}"
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(db_path) + suffix)
        if part.exists():
            part.replace(Path(str(kept) + suffix))
    return kept


def newest_good(folder: Path) -> Backup | None:
    """The newest copy that passes the integrity check, to offer when the file is broken."""
    return next((b for b in listing(folder) if integrity_ok(b.path)), None)
