"""app.signing.check on hostile files: each gets a Vietnamese verdict, never a traceback;
what is not a readable PDF is a user error. And a signed PDF that is not a certificate
(a report) is said to be none in the register."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from app.db import Database
from app.services import pdf_verification
from app.signing.check import UnreadablePdf, check_pdf
from tests.app import sign_helpers_verify as helpers


@pytest.fixture(scope="module")
def ca() -> helpers.TestCa:
    return helpers.make_ca()


def a_pdf(title: str = "Báo cáo kết quả tập huấn") -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setTitle(title)
    page.drawString(72, 720, "Bao cao")
    page.save()
    return out.getvalue()


@pytest.fixture
def signed(tmp_path: Path, ca: helpers.TestCa) -> bytes:
    return helpers.sign(a_pdf(), helpers.make_p12(tmp_path, ca)).data


def test_a_good_signature_with_and_without_trust_roots(signed: bytes, ca: helpers.TestCa) -> None:
    plain = check_pdf(signed)
    assert plain.ok and plain.verdict == "Chữ ký số hợp lệ: tệp còn nguyên vẹn từ khi ký."
    (sig,) = plain.signatures
    assert (sig.intact, sig.whole_file, sig.appended, sig.skips) == (True, True, False, False)
    assert sig.signer is not None and sig.signer.serial == "1234ABCD"
    assert sig.cert_valid_then is True and sig.trusted is None and sig.signed_at is not None
    assert check_pdf(signed, [ca.der]).signatures[0].trusted is True
    other = check_pdf(signed, [helpers.make_ca("CA Khác").der])
    assert not other.ok and other.signatures[0].trusted is False
    assert other.verdict == (
        "Chứng thư số của người ký không do tổ chức tin cậy cấp (do “CA Thử nghiệm TapHuan” "
        "cấp, không phải tổ chức nào đặt ở sign_trust_roots)."
    )


def test_two_signatures_are_said_added_to(
    signed: bytes, tmp_path: Path, ca: helpers.TestCa
) -> None:
    twice = helpers.sign_raw(signed, helpers.make_p12(tmp_path, ca, file_name="b.p12"))
    result = check_pdf(twice)
    assert not result.ok and len(result.signatures) == 2
    assert result.verdict == (
        "Tệp có 2 chữ ký số, giấy tờ của TapHuan chỉ mang một: tệp đã bị thêm nội dung sau khi ký."
    )
    assert result.signatures[0].appended and result.signatures[0].intact


def test_bytes_appended_without_an_update_are_said_added(signed: bytes) -> None:
    result = check_pdf(signed + b"\n% them sau khi ky\n")
    assert result.verdict == "Chữ ký số còn nguyên nhưng tệp đã bị thêm nội dung sau khi ký."


def test_a_byte_range_that_skips_bytes_is_said_not_covering(signed: bytes) -> None:
    found = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed)
    assert found is not None
    a, b, c, d = map(int, found.groups())
    new = f"/ByteRange [{a} {b - 5} {c} {d}]".encode()
    forged = signed[: found.start()] + new.ljust(len(found.group(0))) + signed[found.end() :]
    result = check_pdf(forged)
    assert not result.ok and result.signatures[0].skips
    assert result.verdict == (
        "Chữ ký số không bao trùm toàn bộ tệp: có phần của tệp nằm ngoài chữ ký."
    )


def test_a_certificate_expired_when_it_signed(tmp_path: Path, ca: helpers.TestCa) -> None:
    expired = helpers.make_p12(tmp_path, ca, days=(-400, -35), file_name="het-han.p12")
    result = check_pdf(helpers.sign_raw(a_pdf(), expired, field="KySo"))
    assert result.signatures[0].intact and result.signatures[0].cert_valid_then is False
    assert result.verdict == "Chứng thư số của người ký không còn hiệu lực vào lúc ký."


@pytest.mark.parametrize(
    "data, said",
    [
        (b"", "Tệp không phải là tệp PDF."),
        (b"PK\x03\x04 a zip", "Tệp không phải là tệp PDF."),
        (b"%PDF-1.7\n garbage", "Tệp PDF bị hỏng (có thể chưa tải về hết): không đọc được."),
    ],
)
def test_what_is_not_a_pdf_is_a_user_error(data: bytes, said: str) -> None:
    with pytest.raises(UnreadablePdf) as err:
        check_pdf(data)
    assert str(err.value) == said


def test_truncated_signed_files_never_raise_anything_else(
    signed: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for cut in range(len(signed) // 8, len(signed), len(signed) // 8):
        try:
            result = check_pdf(signed[:cut])
        except UnreadablePdf:
            continue
        assert not result.ok and result.verdict
    assert not [r for r in caplog.records if r.exc_info]  # no traceback in the log


def test_a_signed_report_is_no_certificate_of_the_register(db: Database, signed: bytes) -> None:
    with db.transaction(readonly=True) as s:
        result = pdf_verification.verify_pdf(s, signed)
    assert not result.valid and result.serial is None
    lines = result.message.splitlines()
    assert lines[0] == pdf_verification.SIGNED_NOT_A_CERTIFICATE
    assert "Chữ ký số hợp lệ: tệp còn nguyên vẹn từ khi ký." in lines
    assert any(line.startswith(f"Người ký: {helpers.AGENCY}") for line in lines)


def test_a_serial_in_the_title_alone_is_matched_for_staff_only(
    db: Database, tmp_path: Path, ca: helpers.TestCa
) -> None:
    """A file showing no verification code is matched to a certificate by the serial of
    its title only for staff and administrators, never naming the holder; a trainer is
    told no more than for a serial that does not exist (verification.py's rule)."""
    from datetime import date

    from app.actor import Actor
    from app.services import certificates, settings
    from models import Enrolment, EnrolmentStatus
    from tests.app import world

    with db.transaction() as s:
        w = world.build(s)
        eid = world.enrol(s, w, world.person(s, "Lê Văn An", birth_date=date(1990, 1, 1)), [], post=9)  # fmt: skip
        s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        settings.set_value(s, "issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
        settings.set_value(s, "signer_name", "Nguyễn Văn Tâm")
        (row,) = certificates.issue(s, w.course, None)
    p12 = helpers.make_p12(tmp_path, ca)
    titled = helpers.sign(a_pdf(f"Giấy chứng nhận {row.serial}"), p12).data
    nowhere = helpers.sign(a_pdf("Giấy chứng nhận 9999/KHONG-CO"), p12).data
    with db.transaction(readonly=True) as s:
        staff = pdf_verification.verify_pdf(s, titled)
    assert staff.message.splitlines()[0] == (
        f"Giấy số {row.serial} có trong sổ nhưng tệp này không phải tệp đã ký ghi trong sổ "
        "(đã bị sửa hoặc ký lại)."
    )
    assert not staff.valid and staff.holder is None and "Lê Văn An" not in staff.message
    db.actor = Actor("gv", "trainer", "Phạm Thị Lan")
    with db.transaction(readonly=True) as s:
        said = [
            pdf_verification.verify_pdf(s, x).message.splitlines()[0] for x in (titled, nowhere)
        ]
    assert said == [pdf_verification.SIGNED_NOT_A_CERTIFICATE] * 2
