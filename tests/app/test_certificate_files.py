"""Certificate files from the command line: no paper the register does not hold.

Files are rendered to temporary files beside their targets, the serials are committed,
and only then are the files moved into place; a folder that cannot be written is found
before anything is committed, and a failure leaves neither files nor serials."""

from __future__ import annotations

import io
import os
import re
import sqlite3
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.db import Database
from models import Enrolment, EnrolmentStatus
from tests.app import certificate_digests, world
from tests.app.clirun import run
from tests.app.test_certificates import configure

COURSE = "TH-2024-001"
NAMES = ("Nguyễn Thị Thanh Hà", "Lê Văn An", "Trần Thị Bích Ngọc")


@pytest.fixture
def ready(sqlite_db: Database) -> tuple[list[str], Path]:
    """Three people who completed a course, the department's settings filled in; the
    `--db` arguments and the database file."""
    with sqlite_db.transaction() as s:
        w = world.build(s)
        for name in NAMES:
            eid = world.enrol(s, w, world.person(s, name, birth_date=date(1986, 5, 2)), [], post=9)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        configure(s)
    assert sqlite_db.path is not None
    return ["--db", str(sqlite_db.path)], sqlite_db.path


def register(path: Path) -> dict[str, tuple[str, str]]:
    """serial -> (holder, status) as the database holds them."""
    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT serial, snapshot, status FROM certificates").fetchall()
    import json

    return {serial: (json.loads(snap)["full_name"], status) for serial, snap, status in rows}


def counters(path: Path) -> tuple[int, int, int]:
    """Certificates, the serial counter, certificate.issue audit entries."""
    with sqlite3.connect(path) as con:
        return (
            con.execute("SELECT count(*) FROM certificates").fetchone()[0],
            con.execute("SELECT coalesce(max(last), 0) FROM serial_counters").fetchone()[0],
            con.execute(
                "SELECT count(*) FROM audit_entries WHERE action = 'certificate.issue'"
            ).fetchone()[0],
        )


def every_file(folder: Path) -> list[str]:
    """Every file under folder, hidden temporary files included."""
    if not folder.exists():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def printed(pdf: Path) -> list[tuple[str, str]]:
    """(serial, page text) of every page of a PDF on disk."""
    out = []
    for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages:
        text = unicodedata.normalize("NFC", page.extract_text())
        serial = re.search(r"Số hiệu: (\S+)", text)
        out.append((serial.group(1) if serial else "", text))
    return out


def test_out_dir_that_cannot_be_created_writes_no_file_and_no_serial(
    ready, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    db, path = ready
    blocker = tmp_path / "gcn"
    blocker.write_text("một tệp, không phải thư mục")
    combined = tmp_path / "in" / "c.pdf"
    combined.parent.mkdir()
    code, out, err = run(capsys, *db, "certificates", "issue", "--course", COURSE,
                         "--out", str(combined), "--out-dir", str(blocker / "tung-nguoi"))  # fmt: skip
    assert code == 3, (out, err)
    assert f"Không tạo được thư mục {blocker / 'tung-nguoi'}" in err
    assert "Chưa cấp giấy chứng nhận nào" in err
    assert every_file(combined.parent) == [] and not (blocker / "tung-nguoi").exists()
    assert counters(path) == (0, 0, 0)
    # The next issue, to a good folder, starts at 0001: no number was given away.
    code, out, _ = run(capsys, *db, "certificates", "issue", "--course", COURSE,
                       "--out", str(combined), "--out-dir", str(tmp_path / "ok"))  # fmt: skip
    assert code == 0 and "(0001/GCN-SKHCN – 0003/GCN-SKHCN)" in out


def test_out_dir_that_is_a_file_or_read_only_writes_nothing(
    ready, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    db, path = ready
    a_file = tmp_path / "gcn.pdf"
    a_file.write_bytes(b"%PDF-1.4 cu")
    combined = tmp_path / "c.pdf"
    code, _, err = run(capsys, *db, "certificates", "issue", "--course", COURSE,
                       "--out", str(combined), "--out-dir", str(a_file))  # fmt: skip
    assert code == 3 and f"{a_file} là một tệp, không phải thư mục" in err
    assert not combined.exists() and a_file.read_bytes() == b"%PDF-1.4 cu"
    if (
        getattr(os, "geteuid", lambda: 1)() == 0
    ):  # root ignores permissions; the kernel's /sys refuses even root
        read_only = Path("/sys")
        if sys.platform != "linux" or not read_only.is_dir():
            pytest.skip("no read-only folder for root here")
    else:
        read_only = tmp_path / "chi-doc"
        read_only.mkdir()
        read_only.chmod(0o555)
    code, _, err = run(capsys, *db, "certificates", "issue", "--course", COURSE,
                       "--out", str(combined), "--out-dir", str(read_only))  # fmt: skip
    assert code == 3 and f"Không ghi được vào thư mục {read_only}" in err
    assert not combined.exists()
    assert counters(path) == (0, 0, 0)


def test_a_folder_in_the_way_of_one_file_stops_the_issue_before_the_register(
    ready, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """A folder named like the second person's file: found before anything is committed."""
    db, path = ready
    folder = tmp_path / "gcn"
    (folder / "0002-GCN-SKHCN_Nguyen-Thi-Thanh-Ha.pdf").mkdir(parents=True)
    combined = tmp_path / "c.pdf"
    code, _, err = run(capsys, *db, "certificates", "issue", "--course", COURSE,
                       "--out", str(combined), "--out-dir", str(folder))  # fmt: skip
    assert code == 3
    assert "0002-GCN-SKHCN_Nguyen-Thi-Thanh-Ha.pdf là một thư mục" in err
    assert not combined.exists()
    assert every_file(folder) == [] and counters(path) == (0, 0, 0)


def test_a_failure_while_rendering_leaves_no_file_and_no_serial(
    ready, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db, path = ready
    from app.documents import certificate

    real = certificate.render_certificates
    calls = [0]

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        if calls[0] == 4:  # the combined file, after each person's own (written already)
            raise MemoryError("out of memory")
        return real(*args, **kwargs)

    monkeypatch.setattr(certificate, "render_certificates", failing)
    combined, folder = tmp_path / "in" / "c.pdf", tmp_path / "gcn"
    combined.parent.mkdir()
    # A failure nobody foresaw: an internal error (exit 5, logged), never a traceback.
    code, _, err = run(capsys, *db, "certificates", "issue", "--course", COURSE,
                       "--out", str(combined), "--out-dir", str(folder))  # fmt: skip
    assert code == 5 and "Lỗi nội bộ" in err and "Traceback" not in err
    assert calls[0] == 4
    assert every_file(combined.parent) == [] and every_file(folder) == []
    assert counters(path) == (0, 0, 0)


def test_files_hold_exactly_the_registered_serials_and_holders(
    ready, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    db, path = ready
    combined, folder = tmp_path / "c.pdf", tmp_path / "gcn"
    code, out, _ = run(capsys, *db, "certificates", "issue", "--course", COURSE,
                       "--out", str(combined), "--out-dir", str(folder))  # fmt: skip
    assert code == 0, out
    held = register(path)
    assert every_file(folder) == [
        "0001-GCN-SKHCN_Le-Van-An.pdf", "0002-GCN-SKHCN_Nguyen-Thi-Thanh-Ha.pdf", "0003-GCN-SKHCN_Tran-Thi-Bich-Ngoc.pdf",
    ]  # fmt: skip
    pages = printed(combined) + [page for f in sorted(folder.iterdir()) for page in printed(f)]
    assert len(pages) == 6
    for serial, text in pages:
        holder, status = held[serial]
        assert status == "valid" and holder.upper() in text
    for f in folder.iterdir():  # each person's file is the very one issued (its snapshot's)
        assert certificate_digests.problem(path, f.read_bytes()) is None


def test_moving_into_place_fails_after_the_commit_says_what_was_issued_and_how_to_reprint(
    ready, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db, path = ready
    from app import staging

    real = os.replace
    moved = [0]

    def replace(src, dst):  # type: ignore[no-untyped-def]
        if Path(dst).suffix == ".pdf":
            moved[0] += 1
            if moved[0] == 3:  # two people's files are in place
                raise PermissionError(13, "Tệp đang mở trong chương trình khác")
        return real(src, dst)

    monkeypatch.setattr(staging.os, "replace", replace)
    combined, folder = tmp_path / "c.pdf", tmp_path / "gcn"
    code, out, err = run(capsys, *db, "certificates", "issue", "--course", COURSE,
                         "--out", str(combined), "--out-dir", str(folder))  # fmt: skip
    assert code == 4, (out, err)
    assert "Đã cấp 3 giấy chứng nhận (0001/GCN-SKHCN – 0003/GCN-SKHCN) và đã ghi vào sổ" in err
    assert "không đặt được tệp 0003-GCN-SKHCN_Tran-Thi-Bich-Ngoc.pdf" in err
    assert f'“taphuan --db "{path}" certificates reprint --course {COURSE} --out' in err
    assert counters(path) == (3, 3, 3)
    # What is on disk holds registered serials only, and no temporary file is left behind.
    held = register(path)
    assert every_file(folder) == [
        "0001-GCN-SKHCN_Le-Van-An.pdf",
        "0002-GCN-SKHCN_Nguyen-Thi-Thanh-Ha.pdf",
    ]
    assert not combined.exists()
    for f in folder.iterdir():
        for serial, text in printed(f):
            assert held[serial][0].upper() in text
    monkeypatch.setattr(staging.os, "replace", real)
    code, out, _ = run(capsys, *db, "certificates", "reprint", "--course", COURSE,
                       "--out-dir", str(folder))  # fmt: skip
    assert code == 0 and "3 tệp" in out
    assert len(every_file(folder)) == 3 and counters(path) == (3, 3, 3)


def test_reissue_out_is_written_only_after_the_new_serial_is_kept(
    ready, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    db, path = ready
    assert run(capsys, *db, "certificates", "issue", "--course", COURSE,
               "--out", str(tmp_path / "c.pdf"))[0] == 0  # fmt: skip
    in_the_way = tmp_path / "cap-lai.pdf"
    in_the_way.mkdir()
    code, _, err = run(capsys, *db, "certificates", "reissue", "0001/GCN-SKHCN",
                       "--out", str(in_the_way))  # fmt: skip
    assert code == 3 and "cap-lai.pdf là một thư mục" in err
    assert counters(path) == (3, 3, 3)
    target = tmp_path / "lai.pdf"
    code, out, _ = run(capsys, *db, "certificates", "reissue", "0001/GCN-SKHCN",
                       "--out", str(target))  # fmt: skip
    assert code == 0 and "số 0004/GCN-SKHCN thay số 0001/GCN-SKHCN" in out
    ((serial, text),) = printed(target)
    assert serial == "0004/GCN-SKHCN" and "LÊ VĂN AN" in text
    assert register(path)["0004/GCN-SKHCN"] == ("Lê Văn An", "valid")


def test_register_pdf_is_never_half_written(
    ready, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    db, _path = ready
    assert run(capsys, *db, "certificates", "issue", "--course", COURSE,
               "--out", str(tmp_path / "c.pdf"))[0] == 0  # fmt: skip
    target = tmp_path / "so" / "so-cap.pdf"
    target.parent.mkdir()
    target.write_bytes(b"%PDF-1.4 so cu")
    from app.documents import register as register_doc

    def broken(heading, period, lines, signer, out, on=None):  # type: ignore[no-untyped-def]
        out.write(b"%PDF-1.4 half")
        raise MemoryError("out of memory")

    monkeypatch.setattr(register_doc, "render_register", broken)
    code, _, err = run(capsys, *db, "certificates", "register", "--year",
                       str(date.today().year), "--out", str(target))  # fmt: skip
    assert code == 5 and "Lỗi nội bộ" in err and "Traceback" not in err
    assert target.read_bytes() == b"%PDF-1.4 so cu"
    assert every_file(target.parent) == ["so-cap.pdf"]
