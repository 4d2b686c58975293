"""What the verification site publishes (app.services.verify_publish) and the command
`taphuan certificates publish --out DIR`: only what the paper shows, every status, who may
publish, and what changed since the folder was published before."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from app.db import Database
from app.services import certificates, verify_publish
from app.services.access import Forbidden
from app.verify_site import site
from app.verify_site.records import PublicRecord
from tests.app import two_trainers, verify_site_world
from tests.app.clirun import run
from tests.app.two_trainers import PASSWORD
from tests.app.verify_site_world import REASON, SiteWorld

PAPER = {"v", "serial", "name", "birth_year", "course", "period", "issued_on", "issuer",
         "status", "expires_on", "revoked_on", "reason", "replaced_by"}  # fmt: skip


@pytest.fixture
def published(db: Database) -> tuple[Database, SiteWorld, dict[str, PublicRecord]]:
    w = verify_site_world.build(db)
    with db.transaction(readonly=True) as s:
        records = verify_publish.public_records(s)
    return db, w, {r.serial: r for r in records}


def test_each_status_and_only_what_the_paper_shows(published) -> None:  # type: ignore[no-untyped-def]
    db, w, by_serial = published
    assert len(by_serial) == 6
    rec = {kind: by_serial[serial] for kind, serial in w.serials.items()}
    assert {k: r.status for k, r in rec.items()} == {
        "valid": "valid", "revoked": "revoked", "replaced": "replaced", "expired": "expired",
        "year_only": "valid", "reissued": "valid",
    }  # fmt: skip
    valid = rec["valid"]
    assert (valid.full_name, valid.birth_year, valid.course_title) == (
        "Nguyễn Thị Thanh Hà", "1986", "Tập huấn kỹ năng số")  # fmt: skip
    assert valid.period == "từ ngày 04/03/2024 đến ngày 06/03/2024"
    assert valid.issuer == "SỞ KHOA HỌC VÀ CÔNG NGHỆ" and valid.issued_on == date.today()
    assert valid.code == w.codes["valid"] and valid.expires_on is not None
    assert rec["year_only"].birth_year == "1979"
    assert rec["expired"].expires_on == date(2025, 3, 8)
    assert rec["revoked"].revoked_reason == REASON
    assert rec["revoked"].revoked_on == datetime.now(verify_publish.VIETNAM).date()
    assert rec["replaced"].replaced_by == w.serials["reissued"]
    assert rec["replaced"].revoked_reason is None and rec["valid"].revoked_on is None


def test_the_files_hold_nothing_the_paper_does_not(published, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _db, w, by_serial = published
    out = tmp_path / "tra-cuu"
    site_dir = tmp_path / "moi"
    site_dir.mkdir()
    site.write_site(site_dir, list(by_serial.values()), datetime(2026, 11, 30, 10, 42), 6)
    names = {p.name for p in (site_dir / "gcn").iterdir()}
    wanted = {hashlib.sha256(code.encode()).hexdigest() + ".json" for code in w.codes.values()}
    assert names == wanted | {"index.html"}
    for path in (site_dir / "gcn").glob("*.json"):
        content = json.loads(path.read_text(encoding="utf-8"))
        assert set(content) <= PAPER
    everything = "\n".join(
        p.read_text(encoding="utf-8") for p in site_dir.rglob("*") if p.is_file()
    )
    for secret in w.private:  # CCCD, phone, email, full birth date, hamlet and commune
        assert secret not in everything, secret
    for code in w.codes.values():  # the codes name the files; no file holds one
        assert code not in everything
    assert "Dữ liệu công bố lúc 30/11/2026 10:42" in (site_dir / "index.html").read_text()
    assert not out.exists()


def test_a_trainer_may_not_publish(
    sqlite_db: Database, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TAPHUAN_PASSWORD", PASSWORD)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    t = two_trainers.build(sqlite_db)
    with pytest.raises(Forbidden) as err, sqlite_db.transaction(readonly=True) as s:
        s.info["actor"] = t.accounts["lan"]
        verify_publish.public_records(s)
    assert "không được xuất trang tra cứu giấy chứng nhận" in err.value.message
    web = tmp_path / "web"
    web.mkdir()
    out = web / "tra-cuu"
    db = ["--db", str(sqlite_db.path)]
    code, stdout, err_text = run(capsys, *db, "--user", "lan", "certificates", "publish",
                                 "--out", str(out))  # fmt: skip
    assert code == 3 and stdout == ""
    assert "Tài khoản" in err_text and "không được xuất trang tra cứu giấy chứng nhận" in err_text
    assert list(web.iterdir()) == []
    code, stdout, _ = run(capsys, *db, "--user", "canbo", "certificates", "publish",
                          "--out", str(out))  # fmt: skip
    assert code == 0 and "4 giấy chứng nhận" in stdout
    assert len(list((out / "gcn").glob("*.json"))) == 4


def test_publish_again_says_what_changed(published, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, w, _ = published
    web = tmp_path / "web"
    web.mkdir()
    out = web / "tra-cuu"
    argv = ["--db", str(db.path) if db.path else db.engine.url.render_as_string(False)]
    code, stdout, err = run(capsys, *argv, "certificates", "publish", "--out", str(out))
    assert code == 0, err
    assert "Đã xuất trang tra cứu vào" in stdout and "6 giấy chứng nhận" in stdout
    assert "Lần xuất đầu tiên vào thư mục này." in stdout
    assert "Chưa đặt verify_url" in err
    with db.transaction() as s:
        certificates.revoke(s, w.serials["valid"], "Cấp nhầm người")
    code, stdout, err = run(capsys, *argv, "certificates", "publish", "--out", str(out))
    assert code == 0, err
    assert "0 giấy mới, 1 đổi trạng thái, 0 không còn công bố, 5 không đổi." in stdout
    assert re.search(
        rf"  {re.escape(w.serials['valid'])}: Hợp lệ \(đến \d\d/\d\d/\d{{4}}\) → Đã thu hồi$",
        stdout,
        re.M,
    )
    key = hashlib.sha256(w.codes["valid"].encode()).hexdigest()
    content = json.loads((out / "gcn" / f"{key}.json").read_text(encoding="utf-8"))
    assert (content["status"], content["reason"]) == ("revoked", "Cấp nhầm người")
    assert [p.name for p in web.iterdir() if p.name != ".tra-cuu.khoa"] == ["tra-cuu"]


def test_the_command_refuses_a_folder_that_holds_other_files(
    sqlite_db: Database, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    verify_site_world.build(sqlite_db)
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "bao-cao.docx").write_bytes(b"of the user's")
    code, stdout, err = run(capsys, "--db", str(sqlite_db.path), "certificates", "publish",
                            "--out", str(documents))  # fmt: skip
    assert code == 3 and stdout == ""
    assert f"Thư mục {documents} đã có tệp khác và không phải trang tra cứu TapHuan" in err
    assert [p.name for p in documents.iterdir()] == ["bao-cao.docx"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".Documents")]
    code, _, err = run(capsys, "--db", str(sqlite_db.path), "certificates", "publish")
    assert code == 2 and "--out" in err


def test_the_page_loads_nothing_from_outside_its_folder() -> None:
    """The page's own files name no other place; its policy allows only its own origin."""
    from app import resources

    folder = resources.path("verify_site")
    index = (folder / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', index)
    assert policy is not None
    rules = dict(part.strip().split(" ", 1) for part in policy.group(1).split(";"))
    assert rules["default-src"] == "'none'"
    for kind in ("script-src", "style-src", "connect-src", "img-src", "form-action"):
        assert rules[kind] == "'self'"
    assert rules["base-uri"] == "'none'"
    for name in site.PAGE_FILES:
        text = (folder / name).read_text(encoding="utf-8")
        text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")  # a name, not a fetch
        assert not re.search(r"(https?:)?//[a-z0-9]", text, re.I), name
        assert "@import" not in text and "<iframe" not in text, name
    assert 'lang="vi"' in index and 'name="viewport"' in index


def test_publishing_is_in_the_audit_and_an_erased_person_is_not_published(
    published, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    """Names and birth years made public: the audit says who published how many and
    where, committed before the folder is written. Someone whose data was erased on
    request keeps their certificate in the register but is not on the public page."""
    from sqlalchemy import select

    from app.services import person_edit
    from models import AuditEntry, Certificate

    db, w, _ = published
    with db.transaction() as s:
        holder = s.scalars(
            select(Certificate.person_id).where(Certificate.serial == w.serials["valid"])
        ).one()
        person_edit.erase(s, holder, "Theo đơn đề nghị ngày 01/11/2026")
    with db.transaction(readonly=True) as s:
        records = verify_publish.public_records(s)
    assert w.serials["valid"] not in {r.serial for r in records}
    assert len(records) == 5 and all("xóa dữ liệu" not in r.full_name for r in records)
    out = tmp_path / "tra-cuu"
    argv = ["--db", str(db.path) if db.path else db.engine.url.render_as_string(False)]
    code, stdout, err = run(capsys, *argv, "certificates", "publish", "--out", str(out))
    assert code == 0, err
    key = hashlib.sha256(w.codes["valid"].encode()).hexdigest()
    assert not (out / "gcn" / f"{key}.json").exists()
    with db.transaction(readonly=True) as s:
        notes = list(
            s.scalars(select(AuditEntry.note).where(AuditEntry.action == "certificates.publish"))
        )
    assert notes == [
        f"Bắt đầu xuất trang tra cứu (công khai họ tên, năm sinh): 5 giấy chứng nhận vào {out}"
    ]
