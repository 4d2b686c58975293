"""Issuing 1,000 certificates one file a person, unsigned against signed (ký số) with a
.p12, end to end from the CLI (whole processes): seconds, the ratio, file sizes.

    python bench/bench_sign_issue.py [--count 1000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.app.sign_helpers import PASSWORD, make_key  # noqa: E402

COURSE = "TH-2026-500"


def _database(folder: Path, count: int, env: dict[str, str], p12: Path) -> list[str]:
    """A database with `count` people who completed a course; the CLI prefix for it."""
    folder.mkdir(parents=True)
    cli = [sys.executable, "-m", "app", "--db", str(folder / "gcn.db")]

    def run(*words: str) -> None:
        subprocess.run([*cli, *words], cwd=ROOT, env=env, check=True, capture_output=True)

    run("init")
    run("course", "add", "--code", COURSE, "--title",
        "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng", "--start", "2026-03-02",
        "--end", "2026-03-06")  # fmt: skip
    for key, value in (
        ("issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
        ("issuer_parent", "UBND TỈNH VĨNH LONG"),
        ("place", "Vĩnh Long"),
        ("signer_name", "Nguyễn Văn Tâm"),
        ("sign_p12", str(p12)),
    ):
        run("settings", "set", key, value)
    now = "2026-03-06 00:00:00"
    with sqlite3.connect(folder / "gcn.db") as con:
        for i in range(count):
            con.execute(
                "INSERT INTO people (id, full_name, family_name, middle_name, given_name,"
                " sort_key, search_key, birth_date, birth_year_only, is_trainer, version,"
                " created_at, updated_at) VALUES (?, ?, 'Nguyễn', 'Thị Thanh', 'Hà', ?, ?,"
                " '1986-05-02', 0, 0, 1, ?, ?)",
                (i + 1, f"Nguyễn Thị Thanh Hà {i}", f"k{i:05d}", f"nguyen thi thanh ha {i}",
                 now, now),
            )  # fmt: skip
            con.execute(
                "INSERT INTO enrolments (course_id, person_id, status, registered_at, source,"
                " post_score, version, created_at, updated_at)"
                " VALUES (1, ?, 'completed', ?, 'manual', 8.5, 1, ?, ?)",
                (i + 1, now, now, now),
            )
    return cli


def _issue(cli: list[str], env: dict[str, str], out_dir: Path, sign: bool) -> float:
    started = time.perf_counter()
    words = ["certificates", "issue", "--course", COURSE, "--out-dir", str(out_dir)]
    subprocess.run([*cli, *words, *(["--sign"] if sign else [])], cwd=ROOT, env=env,
                   check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def _sizes(folder: Path) -> tuple[int, float]:
    sizes = [p.stat().st_size for p in folder.glob("*.pdf")]
    return len(sizes), sum(sizes) / max(len(sizes), 1) / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    top = Path(tempfile.mkdtemp(prefix="taphuan-ky-so-"))
    key = make_key(top / "khoa")
    env = dict(os.environ, TAPHUAN_DATA_DIR=str(top), TAPHUAN_SIGN_PASSWORD=PASSWORD)
    plain_cli = _database(top / "plain", args.count, env, key.p12)
    signed_cli = _database(top / "signed", args.count, env, key.p12)
    plain = _issue(plain_cli, env, top / "plain" / "gcn", sign=False)
    signed = _issue(signed_cli, env, top / "signed" / "gcn", sign=True)
    n_plain, kib_plain = _sizes(top / "plain" / "gcn")
    n_signed, kib_signed = _sizes(top / "signed" / "gcn")
    print(f"{args.count:,} certificates, one file a person, whole processes (RSA-2048 .p12):")
    print(f"  issue, unsigned:    {plain:7.2f} s  {n_plain} files, {kib_plain:6.1f} KiB a file")
    print(f"  issue --sign:       {signed:7.2f} s  {n_signed} files, {kib_signed:6.1f} KiB a file")
    print(
        f"  ratio signed/unsigned: {signed / plain:.2f}x time, {kib_signed / kib_plain:.2f}x size"
    )
    print(f"  signing alone: {(signed - plain) / args.count * 1000:.1f} ms a certificate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
