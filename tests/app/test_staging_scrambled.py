"""Temporary certificate files are unreadable as PDFs until the commit: a process killed
(SIGKILL) after staging its files leaves only scrambled bytes, which the next run clears;
after the commit the files are placed byte for byte."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents.certificate import CertificateData, render_one
from app.staging import WORK_PREFIX, Staging
from tests.app import crash


def readable_pdfs(folder: Path) -> list[str]:
    """Every file under folder (hidden ones included) that a PDF reader reads."""
    out = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        try:
            PdfReader(io.BytesIO(data)).pages[0].extract_text()
        except Exception:
            assert b"%PDF" not in data[:1024]  # not even the start of one
            continue
        out.append(str(path.relative_to(folder)))
    return out


def certificate_pdf() -> bytes:
    return render_one(
        CertificateData(
            "UBND TỈNH VĨNH LONG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Vĩnh Long", "GIÁM ĐỐC",
            "Nguyễn Văn Tâm", "Nguyễn Thị Thanh Hà", "02/05/1986", "Xã Tân Ngãi", "Kỹ năng số",
            "từ ngày 02/03/2026 đến ngày 06/03/2026", "", "Hoàn thành", "0162/2026/GCN",
            date(2026, 3, 6), "ABCDEFGHJK", "TAPHUAN|0162/2026/GCN|ABCDEFGHJK",
        )
    )  # fmt: skip


@pytest.fixture
def pdf() -> bytes:
    return certificate_pdf()


def test_staged_files_are_scrambled_and_placed_whole(tmp_path: Path, pdf: bytes) -> None:
    big = pdf * 3  # more than one block of the keystream
    staging = Staging()
    staging.folder(tmp_path / "gcn", create=True)
    staging.add(tmp_path / "gcn" / "a.pdf", pdf)
    staging.add(tmp_path / "gcn" / "b.pdf", big)
    assert readable_pdfs(tmp_path) == []  # before the commit: nothing a reader can open
    temporary = sorted((tmp_path / "gcn").glob(f"{WORK_PREFIX}*/*"))
    assert len(temporary) == 2 and temporary[0].read_bytes() != pdf
    assert temporary[0].stat().st_size == len(pdf)  # the disk space is taken before the commit
    placed = staging.place()
    assert [p.name for p in placed] == ["a.pdf", "b.pdf"]
    assert (tmp_path / "gcn" / "a.pdf").read_bytes() == pdf
    assert (tmp_path / "gcn" / "b.pdf").read_bytes() == big
    assert sorted(p.name for p in (tmp_path / "gcn").iterdir()) == ["a.pdf", "b.pdf"]


STAGE_THEN_WAIT = """
import sys, time
from pathlib import Path
from app.staging import Staging
from tests.app.test_staging_scrambled import certificate_pdf
staging = Staging()
folder = Path(sys.argv[1])
staging.folder(folder, create=True)
for n in range(3):
    staging.add(folder / f"{n}.pdf", certificate_pdf())
print("staged", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_process_killed_before_the_commit_leaves_nothing_readable(tmp_path: Path) -> None:
    folder = tmp_path / "gcn"
    proc = subprocess.Popen([sys.executable, "-c", STAGE_THEN_WAIT, str(folder)], env=crash.env(),
                            cwd=crash.ROOT, stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline() == "staged\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    left = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert len([x for x in left if x.endswith(".tam")]) == 3  # what the killed run left…
    assert readable_pdfs(folder) == []  # …holds no certificate anyone can read
    after = Staging()
    after.folder(folder)  # the next run writing there clears it…
    after.discard()  # …and, writing nothing, leaves nothing either
    assert list(folder.iterdir()) == []
