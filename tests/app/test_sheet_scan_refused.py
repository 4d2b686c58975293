"""Pages the reader must refuse, each listed with its reason and nothing written for it
(issue 19): a sheet of another database, a page beyond the sheet, a blank page, a random
photo, a file that is no image, a broken PDF, a page cut short of a corner mark, a page
forged with our QR, and a page seen twice (used once)."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select

from app.db import Database
from app.documents.qr import draw_qr
from app.documents.sheet_marks import draw_page_marks, page_qr_text
from app.scan import read_files
from app.services import sheet_scan
from models import Attendance, AuditEntry
from tests.app import scan_world
from tests.scans import make_scans


def _png(path: Path, image: np.ndarray) -> Path:
    path.write_bytes(cv2.imencode(".png", image)[1].tobytes())
    return path


def _pdf(path: Path, draw: object) -> Path:
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    draw(c)  # type: ignore[operator]
    c.showPage()
    c.save()
    path.write_bytes(out.getvalue())
    return path


def test_pages_not_ours_or_unreadable_are_listed_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    p = scan_world.printed(db)
    other, _g = make_scans.sheet(7, people=8)  # printed by another TapHuan: unknown code
    longer, _g = make_scans.sheet(8, people=30, code=p.code)  # a page 2 this sheet never had
    (tmp_path / "khac.pdf").write_bytes(other)
    (tmp_path / "dai.pdf").write_bytes(longer)
    rng = np.random.default_rng(5)
    page = make_scans.render(p.pdf, 1, 150)
    h, w = page.shape[:2]
    files = {
        "khac.pdf": "không có trong dữ liệu này",
        "dai.pdf": "không có trang 2",
        _png(tmp_path / "trang.png", np.full((1754, 1240), 255, np.uint8)).name:
            "không đọc được mã QR",
        _png(tmp_path / "anh.png", rng.integers(0, 256, (900, 1200, 3), np.uint8)).name:
            "không đọc được mã QR",
        "gia.jpg": "không phải tệp ảnh",
        "hong.pdf": "tệp PDF bị hỏng",
        _png(tmp_path / "cat.png", page[int(h * 0.1):, : int(w * 0.9)]).name: "",
        _pdf(tmp_path / "ma-gia.pdf", lambda c: draw_qr(c, "TH:ZZZZ9999:1", 400, 50, 40)).name:
            "không có trong dữ liệu này",
        _pdf(tmp_path / "chi-dau.pdf",  # our QR and corner marks, but no table on the page
             lambda c: draw_page_marks(c, *A4, page_qr_text(p.code, 1))).name: "",
    }  # fmt: skip
    (tmp_path / "gia.jpg").write_text("Đây không phải ảnh.", encoding="utf-8")
    (tmp_path / "hong.pdf").write_bytes(p.pdf[: len(p.pdf) // 3])
    paths = [tmp_path / name for name in files]
    with db.transaction(readonly=True) as s:
        found = sheet_scan.plan(s, read_files(paths, lambda c: sheet_scan.geometry(s, c)))
    outcomes = {o.source.split(",")[0]: o for o in found.pages}
    assert set(outcomes) == set(files)  # no page lost
    for name, reason in files.items():
        problem = outcomes[name].problem
        assert problem is not None and reason in problem, (name, problem)
    assert found.proposals == [] and found.walk_ins == []
    with db.transaction() as s:
        done = sheet_scan.apply(s, found.proposals)
    assert done.written == 0
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Attendance)) == 0
        scans = select(func.count()).where(AuditEntry.action == "attendance.scan")
        assert s.scalar(scans) == 0
