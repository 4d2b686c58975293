"""The user guide's pictures of reading a signed sign-in sheet back (§6), from a demo
database: a sheet printed through the program, signed with synthetic pen strokes
(tests/scans), read back; the page as the reader saw it (every cell outlined in the
colour of its verdict) and the review dialog.

    python docs/chup_anh_quet.py DEMO.db    (docs/chup_anh.py runs it on its demo)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "anh"
COURSE = "TH-2026-021"


def main(db_path: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    import cv2
    from sqlalchemy import select

    from app.db import Database
    from app.scan import read_files
    from app.scan.overlay import overlay
    from app.services import sheet_scan
    from models import Course
    from tests.ui.scan_helpers import print_and_sign
    from ui.dialogs.scan_review_dialog import ScanReviewDialog
    from ui.launcher import application

    db = Database(db_path, must_exist=True)
    with db.transaction(readonly=True) as s:
        course_id = s.scalars(select(Course.id).where(Course.code == COURSE)).one()
    with tempfile.TemporaryDirectory(prefix="taphuan-quet-") as tmp:
        pages = print_and_sign(db, course_id, 1, Path(tmp), signed=set(range(1, 40, 3)) | {2, 5},
                               unsure=frozenset({8}), walk_in_names=frozenset(), blank_rows=2)  # fmt: skip
        with db.transaction(readonly=True) as s:
            readings = list(read_files(pages, lambda code: sheet_scan.geometry(s, code)))
            plan = sheet_scan.plan(s, readings)
            gray = cv2.imread(str(pages[0]), cv2.IMREAD_GRAYSCALE)
            drawn = overlay(gray, lambda code: sheet_scan.geometry(s, code))
    h, w = drawn.shape[:2]
    cv2.imwrite(str(OUT / "bang-ky-ten-da-doc.png"), cv2.resize(drawn, (1100, round(h * 1100 / w))))
    print("docs/anh/bang-ky-ten-da-doc.png")
    application()
    dialog = ScanReviewDialog(plan, plan.walk_ins)
    dialog.resize(1100, 720)
    dialog.show()
    dialog.grab().save(str(OUT / "doc-bang-ky-ten.png"))
    print("docs/anh/doc-bang-ky-ten.png")
    dialog.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
