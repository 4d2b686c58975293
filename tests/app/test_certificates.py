"""Certificates: settings, serials, snapshots, reprints, verification, revoke, reissue."""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app import commands
from app.certificate_files import Targets, write_after_commit
from app.db import Database
from app.documents.certificate import render_one
from app.errors import InvalidValue
from app.services import certificate_register, certificates, settings
from app.services.certificates import CertificateRefused
from app.services.verification import verify
from models import Certificate, Course, Enrolment, EnrolmentStatus, Person, SerialCounter
from tests.app import world
from tests.app.test_documents import read_qr_codes


def text_of(pdf: bytes) -> str:
    return unicodedata.normalize("NFC", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def configure(s, **extra: str) -> None:  # type: ignore[no-untyped-def]
    values = {
        "issuer_parent": "UBND TỈNH VĨNH LONG",
        "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "place": "Vĩnh Long",
        "signer_title": "KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Tâm",
        "serial_pattern": "{seq:04d}/GCN-SKHCN",
    } | extra
    for key, value in values.items():
        settings.set_value(s, key, value)


@pytest.fixture
def done(db: Database):  # type: ignore[no-untyped-def]
    """Three people who completed a course (one without a birth date, one with a long name)."""
    with db.transaction() as s:
        w = world.build(s)
        people = {
            "ha": world.person(s, "Nguyễn Thị Thanh Hà", birth_date=date(1986, 5, 2)),
            "long": world.person(s, "Tôn Nữ Hoàng Thị Thanh Xuân Mỹ Ngọc Bích Phương Quỳnh Như Ý"),
            "an": world.person(s, "Lê Văn An", birth_date=date(1990, 1, 1)),
        }
        enr = {k: world.enrol(s, w, pid, [], post=8.5) for k, pid in people.items()}
        for eid in enr.values():
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
    return db, w, people, enr


def test_settings_are_checked() -> None:
    with pytest.raises(InvalidValue) as err:
        settings.check_pattern("GCN-{nam}")
    assert "phải có {seq}" in str(err.value)
    with pytest.raises(InvalidValue):
        settings.check_pattern("{seq:04d}/{huyen}")
    assert settings.check_pattern("{seq:04d}/GCN-{year}") == "{seq:04d}/GCN-{year}"
    with pytest.raises(InvalidValue) as err:
        settings.normalise("verify_url", "sokhcn.vinhlong.gov.vn")
    assert "http://" in str(err.value)
    with pytest.raises(InvalidValue) as err:
        settings.check_image(b"%PDF-1.4 not an image", "Con dấu")
    assert "Con dấu: tệp không phải là ảnh" in str(err.value)


def test_issue_refused_without_signer_and_nothing_written(done) -> None:  # type: ignore[no-untyped-def]
    db, w, *_ = done
    with pytest.raises(CertificateRefused) as err, db.transaction() as s:
        certificates.issue(s, w.course, None)
    # the command for the database in use (issue 16): a file's path, a server's URL
    assert f"Cơ quan cấp chứng nhận ({commands.command(db, 'settings set issuer')}" in str(
        err.value
    )
    assert f"Họ tên người ký ({commands.command(db, 'settings set signer_name')}" in str(err.value)
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Certificate)) == 0
        assert s.scalar(select(func.count()).select_from(SerialCounter)) == 0


def canonical_sha256(snapshot: dict) -> str:  # type: ignore[type-arg]
    """Issue 18: what the register keeps is the SHA-256 of the snapshot as sorted-key,
    compact JSON in UTF-8 (written out here, not taken from the program)."""
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_issue_serials_snapshot_and_reprint_bytes(done, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, w, people, enr = done
    with db.transaction() as s:
        configure(s)

    def act(s, _sink):  # type: ignore[no-untyped-def]
        issued = certificates.issue(s, w.course, None, on=date(2026, 11, 28))
        return issued, certificates.reprint(s, [r.id for r in issued])

    folder = tmp_path / "gcn"  # each person's file as rendered at issue (--out-dir)
    issued, _placed = write_after_commit(db, Targets(out_dir=folder), act, None)
    assert [r.serial for r in issued] == ["0001/GCN-SKHCN", "0002/GCN-SKHCN", "0003/GCN-SKHCN"]
    at_issue = (folder / "0002-GCN-SKHCN_Nguyen-Thi-Thanh-Ha.pdf").read_bytes()
    with db.transaction() as s:  # editing the person later changes nothing printed
        s.get_one(Person, people["ha"]).full_name = "Nguyễn Thị Hà Sửa Tên"
    with db.transaction(readonly=True) as s:
        cert = s.scalars(select(Certificate).where(Certificate.person_id == people["ha"])).one()
        ((data, name),) = certificates.reprint(s, [cert.id])
        assert (
            cert.snapshot["full_name"] == "Nguyễn Thị Thanh Hà"
            and name == "0002-GCN-SKHCN_Nguyen-Thi-Thanh-Ha.pdf"
        )
        pdf = render_one(data)
        assert pdf == at_issue  # a reprint is the very file issued, byte for byte
        assert cert.snapshot["template_version"] == 3
        assert cert.pdf_sha256 == canonical_sha256(cert.snapshot)
    text = text_of(pdf)
    for fragment in (
        "GIẤY CHỨNG NHẬN",
        "NGUYỄN THỊ THANH HÀ",
        "Ngày sinh: 02/05/1986",
        "Số hiệu: 0002/GCN-SKHCN",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Vĩnh Long, ngày 28 tháng 11 năm 2026",
        "8,5/10",
    ):
        assert fragment in text
    qr = read_qr_codes(pdf, dpi=150)
    assert qr == [  # issue 21: a text a phone shows as it is (TAPHUAN|… before)
        "GCN số 0002/GCN-SKHCN · Nguyễn Thị Thanh Hà · Tập huấn kỹ năng số · cấp 28/11/2026 · "
        f"mã {cert.verification_code}"
    ]


def test_no_birth_date_and_a_very_long_name(done) -> None:  # type: ignore[no-untyped-def]
    db, w, people, _ = done
    with db.transaction() as s:
        configure(s)
        certificates.issue(s, w.course, None)
        cert = s.scalars(select(Certificate).where(Certificate.person_id == people["long"])).one()
        pdf = render_one(certificates.reprint(s, [cert.id])[0][0])
    text = text_of(pdf)
    assert "None" not in text and "Ngày sinh" not in text
    assert (
        "TÔN NỮ HOÀNG THỊ THANH XUÂN MỸ NGỌC BÍCH PHƯƠNG QUỲNH NHƯ Ý" in text
    )  # on one line, smaller


def test_twice_is_refused_then_reissue_and_verify(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s)
        first = certificates.issue(s, w.course, [enr["an"]])[0]
    with pytest.raises(CertificateRefused) as err, db.transaction() as s:
        certificates.issue(s, w.course, [enr["an"]])
    assert "đã được cấp giấy chứng nhận số 0001/GCN-SKHCN" in str(err.value)
    with db.transaction() as s:
        assert verify(s, f"TAPHUAN|{first.serial}|{first.verification_code}").valid
        new = certificates.reissue(s, first.serial)
        assert (new.serial, new.replaces) == ("0002/GCN-SKHCN", "0001/GCN-SKHCN")
        old = verify(s, first.verification_code)
        assert not old.valid and "Được thay bằng giấy chứng nhận số 0002/GCN-SKHCN" in old.message
        with pytest.raises(InvalidValue):
            certificates.revoke(s, new.serial, " ")
        certificates.revoke(s, new.serial, "Cấp nhầm người")
        result = verify(s, new.verification_code)
        assert (
            not result.valid
            and "ĐÃ THU HỒI" in result.message
            and "Cấp nhầm người" in result.message
        )
        assert not verify(s, "KHONGCO").found


def test_serials_and_cancel_rolls_back(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s)

    def stop(n: int, total: int) -> None:
        if n == 2:
            raise KeyboardInterrupt  # the user pressed Hủy

    with pytest.raises(KeyboardInterrupt), db.transaction() as s:
        certificates.issue(s, w.course, None, on=date(2026, 12, 30), progress=stop)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Certificate)) == 0
        assert s.scalar(select(func.count()).select_from(SerialCounter)) == 0
        a = certificates.issue(s, w.course, [enr["ha"]], on=date(2026, 12, 30))
    with db.transaction() as s:  # the pattern has no {year}: it counts on in 2027
        b = certificates.issue(s, w.course, [enr["an"]], on=date(2027, 1, 2))
    assert (a[0].serial, b[0].serial) == ("0001/GCN-SKHCN", "0002/GCN-SKHCN")


def test_validity_marks_expired_and_soon(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s, serial_pattern="{seq:03d}/{year}")
        s.get_one(Course, w.course).validity_months = 24
        old = certificates.issue(s, w.course, [enr["ha"]], on=date(2024, 3, 6))[0]
        recent = certificates.issue(s, w.course, [enr["an"]], on=date.today())[0]
    assert old.serial == "001/2024" and old.expires_on == date(2026, 3, 6)
    with db.transaction(readonly=True) as s:
        assert verify(s, old.serial).status == "expired"
        assert "HẾT HẠN" in verify(s, old.serial).message
        assert verify(s, recent.serial).valid


def test_register_pdf_and_xlsx(done, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, w, *_ = done
    with db.transaction() as s:
        configure(s)
        certificates.issue(s, w.course, None, on=date(2026, 11, 28))
        lines = certificate_register.register_lines(s, year=2026)
    assert [x.serial for x in lines] == ["0001/GCN-SKHCN", "0002/GCN-SKHCN", "0003/GCN-SKHCN"]
    from app.documents.common import Heading
    from app.documents.register import render_register

    out = io.BytesIO()
    render_register(
        Heading("UBND TỈNH VĨNH LONG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Vĩnh Long"),
        "Năm 2026",
        lines,
        "Giám đốc",
        out,
    )
    text = text_of(out.getvalue())
    assert "SỔ CẤP GIẤY CHỨNG NHẬN" in text and "0002/GCN-SKHCN" in text and "Ký nhận" in text


def test_a_long_serial_stays_on_one_line_in_the_register(tmp_path: Path) -> None:
    """Serials with the year (the demo's {seq:04d}/{year}/GCN-SKHCN, or longer) are never
    broken across two lines of the register: the column is as wide as the longest."""
    from app.documents.common import Heading
    from app.documents.register import RegisterLine, render_register

    serials = ["0001/2026/GCN-SKHCN", "0123/2026/GCN-SKHCN-VLG"]
    lines = [
        RegisterLine(
            serial,
            str(n),
            "Lê Văn An",
            "04/05/1989",
            "Nam",
            "Ấp 1, xã Đại Điền",
            "Kỹ năng số cơ bản",
            "Hoàn thành",
            date(2026, 11, 28),
            "",
        )
        for n, serial in enumerate(serials, start=1)
    ]
    out = io.BytesIO()
    render_register(
        Heading("UBND TỈNH VĨNH LONG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Vĩnh Long"),
        "Năm 2026",
        lines,
        "Giám đốc",
        out,
    )
    text_lines = text_of(out.getvalue()).splitlines()
    for serial in serials:
        assert any(serial in line for line in text_lines), serial
