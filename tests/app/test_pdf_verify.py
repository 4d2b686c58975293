"""`taphuan verify FILE.pdf`: the file's own signature (intact, over the whole file, who,
when, signer certificate valid then) and the register (the recorded file of a certificate
still valid, signed by the recorded signer). Exit 0 only for that; 1 for every other
verdict, in Vietnamese; 3 for a missing file or one that is not a PDF. On SQLite and
PostgreSQL; poppler's pdfsig agrees on valid and broken."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from sqlalchemy import func, select

from app.db import Database
from app.services import certificates, settings
from models import AuditEntry, Enrolment, EnrolmentStatus
from tests.app import sign_helpers_verify as helpers
from tests.app import world
from tests.app.clirun import run

HOLDERS = ["Nguyễn Thị Thanh Hà", "Lê Văn An", "Trần Thị Bích Ngọc"]


@dataclass
class Signed:
    db: Database
    folder: Path
    ca: helpers.TestCa
    p12: Path
    serials: list[str]
    ids: list[int]
    holders: list[str]
    unsigned: bytes  # the first certificate's file before signing
    signed: bytes  # the first certificate's signed file, recorded in the register

    def write(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        return path


def target(db: Database) -> str:
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def ca() -> helpers.TestCa:
    return helpers.make_ca()


@pytest.fixture
def signed(db: Database, tmp_path: Path, ca: helpers.TestCa) -> Signed:
    """Three certificates issued; the first signed with the department's .p12 and recorded."""
    with db.transaction() as s:
        w = world.build(s)
        for name in HOLDERS:
            eid = world.enrol(s, w, world.person(s, name, birth_date=date(1986, 5, 2)), [], post=9)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        for key, value in {
            "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "signer_name": "Nguyễn Văn Tâm",
            "serial_pattern": "{seq:04d}/GCN-SKHCN",
        }.items():
            settings.set_value(s, key, value)
        issued = certificates.issue(s, w.course, None)
    folder = tmp_path / "files"
    folder.mkdir()
    p12 = helpers.make_p12(folder, ca)
    with db.transaction() as s:
        unsigned = helpers.unsigned_certificate(s, issued[0].id)
        done = helpers.sign(unsigned, p12)
        helpers.record(s, issued[0].id, done)
    return Signed(
        db, folder, ca, p12, [r.serial for r in issued], [r.id for r in issued],
        [r.full_name for r in issued], unsigned,
        done.data,
    )  # fmt: skip


def audit_count(db: Database) -> int:
    with db.transaction(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def verify(capsys: pytest.CaptureFixture[str], x: Signed, path: Path | str) -> tuple[int, str, str]:
    return run(capsys, "--db", target(x.db), "verify", str(path))


def test_the_recorded_signed_file_of_a_valid_certificate_is_valid(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    path = signed.write("0001.PDF", signed.signed)  # upper-case extension too
    code, out, err = verify(capsys, signed, path)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "HỢP LỆ (chưa kiểm tra nơi cấp chứng thư số: chưa đặt sign_trust_roots): tệp đúng là "
        "giấy chứng nhận số 0001/GCN-SKHCN đã ký ghi trong sổ, chữ ký số còn nguyên vẹn, giấy "
        "còn hiệu lực."
    )
    assert f"Người ký: {helpers.AGENCY}" in out
    assert re.search(
        r"Thời điểm ký: \d\d/\d\d/\d{4} \d\d:\d\d:\d\d giờ Việt Nam \(theo máy của người ký\)", out
    )
    assert "còn hiệu lực vào lúc ký" in out
    assert "Giấy chứng nhận số 0001/GCN-SKHCN: CÒN HIỆU LỰC" in out
    assert f"Người được cấp: {signed.holders[0]}" in out
    assert "(khớp sổ cấp)" in out


def test_one_byte_changed_is_said_changed(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    data = signed.signed
    at = data.index(b"ReportLab")  # a byte inside the signed range, the file still parses
    code, out, _ = verify(
        capsys, signed, signed.write("sua.pdf", data[:at] + b"X" + data[at + 1 :])
    )
    assert code == 1
    assert out.splitlines()[0] == (
        "Giấy số 0001/GCN-SKHCN: chữ ký số KHÔNG hợp lệ: tệp đã bị sửa sau khi ký."
    )
    assert "(không có trong sổ cấp)" in out and signed.holders[0] not in out


def test_an_incremental_update_after_the_signature_is_said_added(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.signed))
    writer.root["/TapHuanSua"] = generic.pdf_string("sửa sau khi ký")
    writer.update_root()
    out_file = io.BytesIO()
    writer.write(out_file)
    code, out, _ = verify(capsys, signed, signed.write("them.pdf", out_file.getvalue()))
    assert code == 1
    assert out.splitlines()[0] == (
        "Giấy số 0001/GCN-SKHCN: chữ ký số còn nguyên nhưng tệp đã bị thêm nội dung sau khi ký."
    )


def test_the_same_certificate_signed_by_another_key_is_refused(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    other = helpers.make_p12(
        signed.folder, signed.ca, "Nguyễn Văn Giả", 0x5555, file_name="gia.p12"
    )
    forged = helpers.sign(signed.unsigned, other).data
    code, out, _ = verify(capsys, signed, signed.write("gia.pdf", forged))
    assert code == 1
    assert out.splitlines()[0] == (
        "Tệp được ký bởi Nguyễn Văn Giả (số sê-ri chứng thư số 5555), không phải người ký ghi "
        f"trong sổ ({helpers.AGENCY}, số sê-ri 1234ABCD)."
    )
    assert signed.holders[0] not in out  # not the recorded file: no holder from the register


def test_a_signed_file_not_recorded_is_not_the_register_s(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    with signed.db.transaction(readonly=True) as s:
        second = helpers.unsigned_certificate(s, signed.ids[1])
    again = helpers.sign(second, signed.p12).data  # the right key, never recorded
    code, out, _ = verify(capsys, signed, signed.write("0002.pdf", again))
    assert code == 1
    assert out.splitlines()[0] == (
        "Giấy số 0002/GCN-SKHCN có trong sổ nhưng tệp này không phải tệp đã ký ghi trong sổ "
        "(đã bị sửa hoặc ký lại)."
    )
    assert "Chữ ký số hợp lệ: tệp còn nguyên vẹn từ khi ký." in out
    assert "Giấy chứng nhận số 0002/GCN-SKHCN trong sổ: CÒN HIỆU LỰC" in out


def test_the_signed_file_of_a_revoked_certificate_is_not_valid(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    with signed.db.transaction() as s:
        certificates.revoke(s, signed.serials[0], "Ghi sai ngày sinh")
    code, out, _ = verify(capsys, signed, signed.write("thu-hoi.pdf", signed.signed))
    assert code == 1
    assert out.splitlines()[0] == "Giấy chứng nhận số 0001/GCN-SKHCN: ĐÃ THU HỒI."
    assert "Lý do thu hồi: Ghi sai ngày sinh" in out
    assert "Chữ ký số hợp lệ" not in out.splitlines()[0]


def test_an_unsigned_certificate_has_no_signature(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = verify(capsys, signed, signed.write("chua-ky.pdf", signed.unsigned))
    assert code == 1
    assert out.splitlines()[0] == "Giấy số 0001/GCN-SKHCN: tệp không có chữ ký số."
    assert "Giấy chứng nhận số 0001/GCN-SKHCN trong sổ: CÒN HIỆU LỰC" in out


def test_a_missing_file_or_not_a_pdf_is_a_user_error_and_writes_nothing(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    before = audit_count(signed.db)
    missing = signed.folder / "khong-co.pdf"
    code, out, err = verify(capsys, signed, missing)
    assert (code, out) == (3, "")
    assert err == f"Lỗi: Không thấy tệp “{missing}”.\n"
    code, out, err = verify(capsys, signed, signed.write("anh.pdf", b"\x89PNG\r\n\x1a\n rubbish"))
    assert (code, out, err) == (3, "", "Lỗi: Tệp không phải là tệp PDF.\n")
    half = signed.write("nua.pdf", signed.signed[: len(signed.signed) // 2])
    code, out, err = verify(capsys, signed, half)
    assert (code, out) == (3, "")
    assert err == "Lỗi: Tệp PDF bị hỏng (có thể chưa tải về hết): không đọc được.\n"
    assert audit_count(signed.db) == before
    assert sorted(p.name for p in signed.folder.iterdir()) == ["anh.pdf", "ky-so.p12", "nua.pdf"]


def test_a_code_is_still_looked_up_as_before(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    with signed.db.transaction(readonly=True) as s:
        from models import Certificate

        code_text = s.get_one(Certificate, signed.ids[0]).verification_code
    code, out, _ = verify(capsys, signed, code_text)
    assert code == 0 and out.startswith("Giấy chứng nhận số 0001/GCN-SKHCN: CÒN HIỆU LỰC")


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_pdfsig_agrees_on_valid_and_broken(signed: Signed, tmp_path: Path) -> None:
    good = signed.write("tot.pdf", signed.signed)
    at = signed.signed.index(b"ReportLab")
    broken = signed.write("hong.pdf", signed.signed[:at] + b"X" + signed.signed[at + 1 :])

    def pdfsig(path: Path) -> str:
        done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
        return done.stdout

    said = pdfsig(good)
    assert "Signature Validation: Signature is Valid." in said
    assert "Total document signed" in said
    assert "Digest Mismatch." in pdfsig(broken)
