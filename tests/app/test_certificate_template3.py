"""Template version 3 (issue 18, second round): the QR code as a 1-bit image mask and what
every certificate of a batch prints alike drawn once. Certificates issued with versions 1
and 2 still render the very bytes they did (pinned below: rendered before version 3
existed); a version-3 page reads back whole, its QR code decodes, and the combined file
shows each person's page as their own file does."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.db import Database
from app.documents.certificate import render_certificates, render_one
from app.services import certificates
from tests.app.clirun import run
from tests.app.test_certificate_files import COURSE, ready  # noqa: F401 - the fixture
from tests.app.test_documents import read_qr_codes

V2 = {
    "course_code": "TH-2026-007",
    "course_title": "Tập huấn kỹ năng số cho Tổ công nghệ số cộng đồng",
    "expires_on": None,
    "images": {"background": None, "logo": None, "seal": None, "signature": None},
    "issued_on": "2026-11-28",
    "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "issuer_parent": "UBND TỈNH VĨNH LONG",
    "legal_basis": "",
    "period": "từ ngày 02/03/2026 đến ngày 06/03/2026",
    "place": "Vĩnh Long",
    "signer_name": "Nguyễn Văn Tâm",
    "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
    "template": "classic",
    "template_version": 2,
    "venue": "Hội trường Sở",
    "verify_url": "",
    "full_name": "Nguyễn Thị Thanh Hà",
    "birth_date": "02/05/1986",
    "salutation": "Bà",
    "unit": "Ấp Thạnh Hòa, xã Đại Điền",
    "result": "Hoàn thành – điểm cuối khóa 8,5/10",
    "grade": "Giỏi",
    "serial": "0007/GCN-SKHCN",
    "register_no": 7,
    "verification_code": "ABCDEFGH23",
    "qr_text": "TAPHUAN|0007/GCN-SKHCN|ABCDEFGH23",
}
SECOND = V2 | {  # the other design, a legal basis, no birth date, a validity
    "template": "modern",
    "legal_basis": "Căn cứ Quyết định số 123/QĐ-SKHCN ngày 01/03/2026 của Giám đốc Sở",
    "full_name": "Lê Văn Ấn",
    "birth_date": None,
    "salutation": "Ông",
    "grade": "",
    "expires_on": "2028-11-28",
    "verify_url": "https://xacminh.vinhlong.gov.vn/gcn",
    "serial": "0008/GCN-SKHCN",
    "register_no": 8,
    "verification_code": "ZYXWVUTS98",
    "qr_text": "https://xacminh.vinhlong.gov.vn/gcn?ma=ZYXWVUTS98",
}
V1 = {k: v for k, v in V2.items() if k not in ("template_version", "register_no")}
# SHA-256 of the files rendered from these snapshots on main 8e3db35, before version 3.
PINNED = {
    "v1": "0b402106186839c8918757fdac325a6c58c92f95129c6940f312f17bcdc2d69a",
    "v2": "3d61d09e70cd9a99389a023dd2dc37031ca3bf2ca3dfcf0c04638be379646fd2",
    "v2-second": "78ef4cc5cc99b8d20ee7305c9c8fc2cf211fa8ab993434af5f46ae68303247d0",
    "v2-combined": "338a625e3c3b187f49bcf06e036d4dbe33dcec235f130585c8521ab64152338c",
}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_versions_1_and_2_render_the_bytes_they_did(sqlite_db: Database) -> None:
    with sqlite_db.transaction(readonly=True) as s:
        v1, v2, second = (certificates.data_of(s, x) for x in (V1, V2, SECOND))
    combined = io.BytesIO()
    render_certificates([v2, second, v2], combined, "Giấy chứng nhận TH-2026-007")
    assert {
        "v1": _sha(render_one(v1)),
        "v2": _sha(render_one(v2)),
        "v2-second": _sha(render_one(second)),
        "v2-combined": _sha(combined.getvalue()),
    } == PINNED


def _text(pdf: bytes, page: int = 0) -> str:
    return unicodedata.normalize("NFC", PdfReader(io.BytesIO(pdf)).pages[page].extract_text())


def _pixels(pdf: bytes, page: int = 0) -> bytes:
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(pdf)[page].render(scale=100 / 72).to_pil().tobytes()


def test_a_version_3_page_reads_back_and_matches_its_own_file(  # type: ignore[no-untyped-def]
    ready,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, path = ready
    folder = tmp_path / "gcn"
    code, _out, err = run(capsys, *db, "certificates", "issue", "--course", COURSE,
                          "--out", str(tmp_path / "gop.pdf"), "--out-dir", str(folder))  # fmt: skip
    assert code == 0, err
    with sqlite3.connect(path) as con:
        snapshots = [
            json.loads(x) for (x,) in con.execute("SELECT snapshot FROM certificates ORDER BY id")
        ]
    assert len(snapshots) == 3 and all(x["template_version"] == 3 for x in snapshots)
    combined = (tmp_path / "gop.pdf").read_bytes()
    by_serial = {}
    for n in range(3):
        page = _text(combined, n)
        by_serial[page.split("Số hiệu: ")[1].split()[0]] = n
    for snap in snapshots:
        own = next(f for f in folder.iterdir() if snap["serial"].replace("/", "-") in f.name)
        pdf = own.read_bytes()
        text = _text(pdf)
        for fragment in (
            snap["full_name"].upper(),
            f"Số hiệu: {snap['serial']}",
            f"Mã xác minh: {snap['verification_code']}",
            snap["course_title"],
            "Chứng nhận:",
            "Đã hoàn thành khóa tập huấn:",
            "GIẤY CHỨNG NHẬN",
            "Vĩnh Long, ngày",
        ):
            assert fragment in text, fragment
        assert read_qr_codes(pdf) == [snap["qr_text"]]
        n = by_serial[snap["serial"]]
        assert _text(combined, n) == text  # the combined file's page is the person's page
        assert _pixels(combined, n) == _pixels(pdf)


def test_one_picture_in_another_place_is_another_page(sqlite_db: Database) -> None:
    """Two batches in one file (a combined reprint): the same picture as the seal of one
    and the logo of the other are two different fixed parts, not one reused."""
    from dataclasses import replace

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buf, "PNG")
    picture = buf.getvalue()
    with sqlite_db.transaction(readonly=True) as s:
        base = certificates.data_of(s, V2)
    sealed, with_logo = replace(base, seal=picture), replace(base, logo=picture)
    both = io.BytesIO()
    render_certificates([sealed, with_logo], both, "Giấy chứng nhận")
    assert _pixels(both.getvalue(), 1) == _pixels(render_one(with_logo))
    assert _pixels(both.getvalue(), 0) != _pixels(both.getvalue(), 1)
