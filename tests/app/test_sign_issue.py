"""Ký số when issuing, reprinting, and writing the report and the register: the key is
opened before anything is issued; each person's file is signed after the commit, its
SHA-256 and signer recorded, and only then placed; a failure while signing leaves the
certificates issued, the signed files recorded and placed, and no unsigned file."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.certificate_files import Targets
from app.db import Database
from app.services import certificate_signing, certificates, courses, settings
from app.signed_files import SigningStopped, key_plan, open_signer, write_signed
from app.signing.keys import PASSWORD_ENV, SigningError
from models import Enrolment, EnrolmentStatus
from tests.app import world
from tests.app.clirun import run
from tests.app.sign_helpers import PASSWORD, SUBJECT, make_key, pdfsig, signature_valid
from tests.app.test_certificate_files import COURSE, counters, every_file
from tests.app.test_certificates import configure

NAMES = ("Nguyễn Thị Thanh Hà", "Lê Văn An", "Trần Thị Bích Ngọc", "Phạm Minh Quân")


def _fill(db: Database, p12: Path) -> None:
    with db.transaction() as s:
        w = world.build(s)
        for name in NAMES:
            eid = world.enrol(s, w, world.person(s, name, birth_date=date(1986, 5, 2)), [], post=9)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        configure(s)
        settings.set_value(s, "sign_p12", str(p12))


@pytest.fixture
def signing_db(sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Four people who completed a course, a .p12 set, its password in the environment."""
    key = make_key(tmp_path / "khoa")
    _fill(sqlite_db, key.p12)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    assert sqlite_db.path is not None
    return ["--db", str(sqlite_db.path)], sqlite_db.path


def _signatures(path: Path) -> dict[str, tuple[str, str]]:
    """sha256 -> (certificate serial, signer subject) as the register holds them."""
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT s.sha256, c.serial, s.signer_subject, s.signer_serial "
            "FROM certificate_signatures s JOIN certificates c ON c.id = s.certificate_id"
        ).fetchall()
    return {sha: (serial, subject) for sha, serial, subject, _ in rows}


def _sign_audits(path: Path) -> int:
    with sqlite3.connect(path) as con:
        sql = "SELECT count(*) FROM audit_entries WHERE action = 'certificate.sign'"
        return int(con.execute(sql).fetchone()[0])


def _has_signature(pdf: Path) -> bool:
    fields = PdfReader(pdf).get_fields() or {}
    return any(f.get("/FT") == "/Sig" for f in fields.values())


def test_issue_sign_writes_signed_files_recorded_and_valid(capsys, signing_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    args, path = signing_db
    folder, combined = tmp_path / "gcn", tmp_path / "in-chung.pdf"
    code, out, err = run(capsys, *args, "certificates", "issue", "--course", COURSE,
                         "--out-dir", str(folder), "--out", str(combined), "--sign")  # fmt: skip
    assert code == 0, err
    assert "Đã cấp 4 giấy chứng nhận" in out and "4 tệp trong" in out and "đã ký số" in out
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == 4
    recorded = _signatures(path)
    for f in files:
        assert signature_valid(f), pdfsig(f)
        serial, subject = recorded[hashlib.sha256(f.read_bytes()).hexdigest()]
        assert subject == f"CN={SUBJECT},C=VN" or SUBJECT in subject
        assert f.name.startswith(serial.replace("/", "-"))
    assert len(recorded) == 4 and _sign_audits(path) == 4
    assert not _has_signature(combined)  # the printer's file stays unsigned
    assert "does not contain any signatures" in pdfsig(combined)


def test_wrong_password_issues_nothing_and_writes_nothing(
    capsys, signing_db, tmp_path, monkeypatch
):  # type: ignore[no-untyped-def]
    args, path = signing_db
    monkeypatch.setenv(PASSWORD_ENV, "sai-mat-khau")
    folder = tmp_path / "gcn"
    before = counters(path)
    code, out, err = run(capsys, *args, "certificates", "issue", "--course", COURSE,
                         "--out-dir", str(folder), "--sign")  # fmt: skip
    assert code == 3
    assert "sai mật khẩu" in err and "ky-so.p12" in err
    assert counters(path) == before  # no certificate, serial counter unchanged, no audit
    assert not folder.exists() and every_file(tmp_path / "gcn") == []
    assert _signatures(path) == {}


def test_no_password_and_no_terminal_names_the_variable(capsys, signing_db, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    args, path = signing_db
    monkeypatch.delenv(PASSWORD_ENV)
    before = counters(path)
    code, _out, err = run(capsys, *args, "certificates", "issue", "--course", COURSE,
                          "--out-dir", str(tmp_path / "gcn"), "--sign")  # fmt: skip
    assert code == 3
    assert "TAPHUAN_SIGN_PASSWORD" in err and "mật khẩu tệp chứng thư số" in err
    assert counters(path) == before and not (tmp_path / "gcn").exists()


def test_no_key_set_is_refused_before_issuing(capsys, signing_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    args, path = signing_db
    with sqlite3.connect(path) as con:
        con.execute("DELETE FROM settings WHERE key = 'sign_p12'")
    before = counters(path)
    code, _out, err = run(capsys, *args, "certificates", "issue", "--course", COURSE,
                          "--out-dir", str(tmp_path / "gcn"), "--sign")  # fmt: skip
    assert code == 3 and "Chưa đặt chứng thư số" in err
    assert counters(path) == before


def test_sign_usage_errors(capsys, signing_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    args, path = signing_db
    before = counters(path)
    code, _o, err = run(capsys, *args, "certificates", "issue", "--course", COURSE,
                        "--out", str(tmp_path / "a.pdf"), "--sign")  # fmt: skip
    assert code == 2 and "--sign cần --out-dir" in err
    code, _o, err = run(capsys, *args, "certificates", "register", "--year", "2026",
                        "--out", str(tmp_path / "so.xlsx"), "--sign")  # fmt: skip
    assert code == 2 and "--sign chỉ dùng với sổ cấp PDF" in err
    code, _o, err = run(capsys, *args, "report", "--from", "01/01/2024", "--to", "31/12/2024",
                        "--out", str(tmp_path / "bc.xlsx"), "--sign")  # fmt: skip
    assert code == 2 and "--sign chỉ dùng với báo cáo PDF" in err
    assert counters(path) == before
    assert not any((tmp_path / n).exists() for n in ("a.pdf", "so.xlsx", "bc.xlsx"))


def test_reprint_sign_adds_a_signature(capsys, signing_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    args, path = signing_db
    code, _o, err = run(capsys, *args, "certificates", "issue", "--course", COURSE,
                        "--out-dir", str(tmp_path / "mot"), "--sign")  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, *args, "certificates", "reprint", "--course", COURSE,
                         "--out-dir", str(tmp_path / "hai"), "--sign")  # fmt: skip
    assert code == 0, err
    assert "Đã in lại 4 giấy chứng nhận" in out and "đã ký số" in out
    files = sorted((tmp_path / "hai").glob("*.pdf"))
    assert len(files) == 4 and all(signature_valid(f) for f in files)
    recorded = _signatures(path)
    assert len(recorded) == 8  # signed again: one more row each
    code, out, _err = run(capsys, *args, "certificates", "list")
    assert code == 0 and out.count("đã ký số") == 4
    assert all(hashlib.sha256(f.read_bytes()).hexdigest() in recorded for f in files)


def test_report_and_register_sign(capsys, signing_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    args, _path = signing_db
    code, _o, err = run(capsys, *args, "certificates", "issue", "--course", COURSE,
                        "--out", str(tmp_path / "in.pdf"))  # fmt: skip
    assert code == 0, err
    report = tmp_path / "bao-cao.pdf"
    code, out, err = run(capsys, *args, "report", "--from", "01/01/2020", "--to", "31/12/2030",
                         "--out", str(report), "--sign")  # fmt: skip
    assert code == 0, err
    assert "đã ký số" in out and signature_valid(report), pdfsig(report)
    book = tmp_path / "so-cap.pdf"
    year = str(date.today().year)
    code, out, err = run(capsys, *args, "certificates", "register", "--year", year,
                         "--out", str(book), "--sign")  # fmt: skip
    assert code == 0, err
    assert "đã ký số" in out and signature_valid(book), pdfsig(book)


def test_report_wrong_password_writes_no_file(capsys, signing_db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    args, _path = signing_db
    monkeypatch.setenv(PASSWORD_ENV, "sai")
    report = tmp_path / "bao-cao.pdf"
    code, _o, err = run(capsys, *args, "report", "--from", "01/01/2020", "--to", "31/12/2030",
                        "--out", str(report), "--sign")  # fmt: skip
    assert code == 3 and "sai mật khẩu" in err
    assert not report.exists() and not list(tmp_path.glob(".bao-cao*"))


def test_failure_in_the_middle_keeps_what_was_signed(db: Database, tmp_path: Path) -> None:
    """The third signature fails: two files signed, recorded and placed; all four stay
    issued; no unsigned file; the message counts them and gives the command to go on."""
    key = make_key(tmp_path / "khoa")
    _fill(db, key.p12)
    folder = tmp_path / "gcn"
    with db.transaction(readonly=True) as s:
        plan = key_plan(s)
        course_id = courses.by_code(s, COURSE).id
    calls = [0]

    def act(s, _sink):  # type: ignore[no-untyped-def]
        issued = certificates.issue(s, course_id, None)
        return (COURSE, issued), certificates.reprint(s, [r.id for r in issued])

    with open_signer(plan, PASSWORD) as signer:

        def flaky(data):  # type: ignore[no-untyped-def]
            calls[0] += 1
            if calls[0] == 3:
                raise SigningError("Thiết bị ký số đã bị rút ra.")
            return signer.certificate(data)

        with pytest.raises(SigningStopped) as stopped:
            write_signed(db, Targets(out_dir=folder), act, "GCN", flaky,
                         issued=lambda r: len(r[1]), course_code=lambda r: r[0])  # fmt: skip
    message = stopped.value.message
    (_code, issued) = stopped.value.result
    serials = [r.serial for r in issued]
    assert "Đã cấp 4 giấy chứng nhận" in message and "đã ký số 2/4 tệp" in message
    assert "Thiết bị ký số đã bị rút ra" in message
    assert f"certificates reprint {serials[2]} {serials[3]}" in message
    assert "--out-dir THƯ_MỤC --sign" in message
    files = sorted(folder.glob("*.pdf"))
    assert every_file(folder) == sorted(f.name for f in files)  # no temporary file left
    assert len(files) == 2 and all(signature_valid(f) for f in files)
    with db.transaction(readonly=True) as s:
        assert len(certificates.listing(s)) == 4  # all issued
        ids = certificate_signing.ids_by_serial(s, serials)
        recorded = [certificate_signing.signatures(s, ids[x]) for x in serials]
    assert [len(r) for r in recorded] == [1, 1, 0, 0]
    assert {r[0].sha256 for r in recorded[:2]} == {
        hashlib.sha256(f.read_bytes()).hexdigest() for f in files
    }
    assert recorded[0][0].signer_serial == "1234ABCD"
