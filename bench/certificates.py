"""1,000 certificates into one PDF, end to end from the CLI (a whole process), against a
bare Python process drawing the same page's text 1,000 times with ReportLab.

    python bench/certificates.py [--count 1000] [--out-dir]

--out-dir also writes one file a person (the parallel renderer, app/certificate_pool.py);
the floor stays the bare process drawing the combined file's text.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = r"""
import sys
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
fonts = sys.argv[2]
for style in ("Regular", "Bold", "Italic"):
    pdfmetrics.registerFont(TTFont("S" + style, f"{fonts}/LiberationSerif-{style}.ttf"))
c = canvas.Canvas(sys.argv[1], pagesize=landscape(A4))
for i in range(int(sys.argv[3])):
    c.setFont("SRegular", 11.5); c.drawCentredString(220, 560, "UBND TỈNH VĨNH LONG")
    c.setFont("SBold", 11.5); c.drawCentredString(220, 545, "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    c.drawCentredString(620, 560, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"); c.drawCentredString(620, 545, "Độc lập – Tự do – Hạnh phúc")
    c.setFont("SBold", 32); c.drawCentredString(421, 440, "GIẤY CHỨNG NHẬN")
    c.setFont("SItalic", 13); c.drawCentredString(421, 395, "Chứng nhận:")
    c.setFont("SBold", 26); c.drawCentredString(421, 365, f"NGUYỄN THỊ THANH HÀ {i}")
    c.setFont("SRegular", 13); c.drawCentredString(421, 340, "Ngày sinh: 02/05/1986")
    c.drawCentredString(421, 322, "Đơn vị: Ấp Thạnh Hòa, xã Đại Điền")
    c.setFont("SBold", 15); c.drawCentredString(421, 290, "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng")
    c.setFont("SRegular", 12.5); c.drawCentredString(421, 265, "Thời gian: từ ngày 02/03/2026 đến ngày 06/03/2026")
    c.drawCentredString(421, 245, "Kết quả: Hoàn thành – điểm cuối khóa 8,5/10")
    c.drawString(150, 113, f"Số: {i:04d}/GCN-SKHCN"); c.drawCentredString(620, 180, "Vĩnh Long, ngày 28 tháng 11 năm 2026")
    c.setFont("SBold", 12.5); c.drawCentredString(620, 160, "GIÁM ĐỐC"); c.drawCentredString(620, 54, "Nguyễn Văn Tâm")
    c.showPage()
c.save()
"""


def prepare(folder: Path, count: int) -> tuple[dict[str, str], list[str]]:
    """A database in folder (gcn.db) with one course and `count` completed people; returns
    the environment and the command line to run the CLI on it."""
    env = dict(os.environ, TAPHUAN_DATA_DIR=str(folder))
    db = folder / "gcn.db"
    cli = [sys.executable, "-m", "app", "--db", str(db)]
    subprocess.run([*cli, "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [
            *cli,
            "course",
            "add",
            "--code",
            "TH-2026-500",
            "--title",
            "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng",
            "--start",
            "2026-03-02",
            "--end",
            "2026-03-06",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    for key, value in (
        ("issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"),
        ("issuer_parent", "UBND TỈNH VĨNH LONG"),
        ("place", "Vĩnh Long"),
        ("signer_name", "Nguyễn Văn Tâm"),
    ):
        subprocess.run(
            [*cli, "settings", "set", key, value],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    with sqlite3.connect(db) as con:
        now = "2026-03-06 00:00:00"
        for i in range(count):
            con.execute(
                "INSERT INTO people (id, full_name, family_name, middle_name, given_name, sort_key, search_key,"
                " birth_date, birth_year_only, is_trainer, version, created_at, updated_at)"
                " VALUES (?, ?, 'Nguyễn', 'Thị Thanh', 'Hà', ?, ?, '1986-05-02', 0, 0, 1, ?, ?)",
                (
                    i + 1,
                    f"Nguyễn Thị Thanh Hà {i}",
                    f"k{i:05d}",
                    f"nguyen thi thanh ha {i}",
                    now,
                    now,
                ),
            )
            con.execute(
                "INSERT INTO enrolments (course_id, person_id, status, registered_at, source, post_score, version,"
                " created_at, updated_at) VALUES (1, ?, 'completed', ?, 'manual', 8.5, 1, ?, ?)",
                (i + 1, now, now, now),
            )
    return env, cli


def _children_cpu() -> float:
    """User + system CPU seconds of the finished child processes (their workers too)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument(
        "--out-dir",
        action="store_true",
        help="also one file a person (rendered in parallel processes), besides the combined one",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="taphuan-gcn-"))
    env, cli = prepare(folder, args.count)
    out = folder / "gcn.pdf"
    each = ["--out-dir", str(folder / "gcn")] if args.out_dir else []
    started, cpu0 = time.perf_counter(), _children_cpu()
    subprocess.run(
        [*cli, "certificates", "issue", "--course", "TH-2026-500", "--out", str(out), *each],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    ours, ours_cpu = time.perf_counter() - started, _children_cpu() - cpu0
    started, cpu0 = time.perf_counter(), _children_cpu()
    subprocess.run(
        [
            sys.executable,
            "-c",
            BARE,
            str(folder / "bare.pdf"),
            str(ROOT / "resources" / "fonts"),
            str(args.count),
        ],
        check=True,
    )
    bare, bare_cpu = time.perf_counter() - started, _children_cpu() - cpu0
    size = out.stat().st_size
    what = "one combined PDF and one a person" if args.out_dir else "one combined PDF"
    print(f"{args.count:,} certificates, {what}, whole processes:")
    print(
        f"  taphuan certificates issue: {ours:6.2f} s  ({size / 1024 / 1024:.1f} MiB, {size / args.count / 1024:.1f} KiB a certificate)"
    )
    print(f"  pages per second (issue, whole process): {args.count / ours:6.1f}")
    print(
        f"  bare ReportLab, text only:  {bare:6.2f} s  ({(folder / 'bare.pdf').stat().st_size / args.count / 1024:.1f} KiB a page)"
    )
    print(f"  ratio: {ours / bare:.2f}x")
    print(
        f"  CPU (user+system): taphuan {ours_cpu:6.2f} s, bare {bare_cpu:6.2f} s, "
        f"ratio {ours_cpu / bare_cpu:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
