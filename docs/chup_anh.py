"""Regenerate the user guide's pictures from the demo data, so they never go stale.

    python docs/chup_anh.py

Builds a fresh demo database in a temporary folder, takes `taphuan --screenshot` of every
page (1280×800, offscreen), and renders the first page of a certificate, a sign-in sheet
and the periodic report to PNG, then a signed sheet read back (docs/chup_anh_quet.py).
Writes docs/anh/*.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "anh"
PAGES = ("hoc-vien", "to-cnscd", "khoa-hoc", "lich", "diem-danh", "chung-nhan", "bao-cao",
         "nhat-ky", "cai-dat")  # fmt: skip


def taphuan(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "app", *args], check=True, cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def pdf_page_png(pdf: Path, png: Path, width: int = 1100) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0]
    scale = width / page.get_width()
    page.render(scale=scale).to_pil().convert("RGB").save(png, optimize=True)
    page.close()
    doc.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="taphuan-anh-") as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TAPHUAN_DATA_DIR=tmp,
                   PYTHONPATH=str(ROOT))  # fmt: skip
        db = str(Path(tmp) / "demo.db")
        taphuan(env, "--db", db, "demo")
        for slug in PAGES:
            taphuan(env, "--db", db, "--screenshot", str(OUT / f"{slug}.png"), "--page", slug)
            print(f"docs/anh/{slug}.png")
        course = "TH-2026-020"
        pdfs = {
            "giay-chung-nhan": ("certificates", "issue", "--course", course),
            "danh-sach-ky-ten": ("attendance-sheet", "--course", "TH-2026-021", "--qr"),
            "bao-cao-dinh-ky": ("report", "--from", "2026-01-01", "--to", "2026-12-31"),
        }
        for name, args in pdfs.items():
            pdf = Path(tmp) / f"{name}.pdf"
            taphuan(env, "--db", db, *args, "--out", str(pdf))
            pdf_page_png(pdf, OUT / f"{name}.png")
            print(f"docs/anh/{name}.png")
        subprocess.run([sys.executable, str(ROOT / "docs" / "chup_anh_quet.py"), db], check=True,
                       cwd=ROOT, env=env)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
