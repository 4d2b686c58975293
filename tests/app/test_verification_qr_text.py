"""Issue 21: TapHuan's verify (and `taphuan verify`) reads the QR text "GCN số … · mã …"
strictly: serial and code one certificate, and the whole text the one printed on it, as a
phone app or a scanner may hand it back (decomposed letters, other spaces). The older
`TAPHUAN|serial|code` keeps working."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from app.services import certificates
from app.services.verification import verify
from models import Certificate
from tests.app import test_certificates
from tests.app.clirun import run
from tests.app.test_certificates import configure
from tests.app.test_pdf_verify import target

done = test_certificates.done  # the fixture: three people who completed a course
FORGED = "không thuộc cùng một giấy chứng nhận"
ALTERED = "nội dung không khớp với mã QR in trên giấy chứng nhận số"


@pytest.fixture
def issued(done):  # type: ignore[no-untyped-def]
    """Two certificates issued without a verification address, and Hà's QR text."""
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s)
        ha, an = certificates.issue(s, w.course, [enr["ha"], enr["an"]], on=date(2026, 10, 21))
        printed = s.get_one(Certificate, ha.id).snapshot["qr_text"]
    assert printed.startswith("GCN số 0001/GCN-SKHCN · Nguyễn Thị Thanh Hà · ")
    return db, ha, an, printed


def refused(result, why: str) -> None:  # type: ignore[no-untyped-def]
    assert (result.found, result.valid, result.refused) == (False, False, True)
    assert result.message.startswith("Mã QR không hợp lệ") and why in result.message
    assert "Thanh Hà" not in result.message and "Lê Văn An" not in result.message
    assert "1986" not in result.message


def test_the_printed_text_is_valid_as_a_phone_or_a_scanner_hands_it_back(issued) -> None:  # type: ignore[no-untyped-def]
    db, ha, _an, printed = issued
    with db.transaction(readonly=True) as s:
        for scanned in (
            printed,
            unicodedata.normalize("NFD", printed),  # letters and their marks apart
            printed.replace(" ", "\u00a0"),  # no-break spaces
            printed + "\u200b",  # a zero-width space from a copy and paste
            printed.replace(" · ", "  ·\t") + "\r\n",  # other spaces, a line's end
        ):
            result = verify(s, scanned)
            assert result.valid and result.status == "valid", repr(scanned)
            assert result.message.startswith("Giấy chứng nhận số 0001/GCN-SKHCN: CÒN HIỆU LỰC")
            assert "Nguyễn Thị Thanh Hà, sinh 02/05/1986" in result.message
        # the older form still reads, for this certificate as for those printed with it
        assert verify(s, f"TAPHUAN|{ha.serial}|{ha.verification_code}").valid


def test_another_name_course_or_date_over_a_real_code_is_refused(issued) -> None:  # type: ignore[no-untyped-def]
    db, _ha, _an, printed = issued
    with db.transaction(readonly=True) as s:
        for altered in (
            printed.replace("Nguyễn Thị Thanh Hà", "Nguyễn Thị Thanh Hoa"),
            printed.replace("Tập huấn kỹ năng số", "Tập huấn an toàn thông tin"),
            printed.replace("cấp 21/10/2026", "cấp 21/10/2025"),
            printed.replace(" · cấp", " · Giỏi · cấp"),
            printed.replace("GCN số", "gcn số"),
            printed.replace("Thanh Hà", "Thanh Ha"),  # a mark dropped
        ):
            refused(verify(s, altered), ALTERED)


def test_a_serial_and_a_code_of_two_certificates_are_refused(issued) -> None:  # type: ignore[no-untyped-def]
    db, ha, an, printed = issued
    with db.transaction(readonly=True) as s:
        refused(verify(s, printed.replace(ha.serial, an.serial)), FORGED)  # An's number
        refused(verify(s, printed.replace(ha.verification_code, an.verification_code)), FORGED)
        refused(verify(s, printed.replace(ha.verification_code, "ZZZZZZZZZZ")), FORGED)
        mangled = verify(s, f"GCN số {ha.serial} · Nguyễn Thị Thanh Hà")  # no code
        assert not mangled.valid and "không đúng dạng" in mangled.message


def test_a_certificate_printed_with_the_older_form_is_not_valid_under_the_new_one(issued) -> None:  # type: ignore[no-untyped-def]
    """Its paper holds `TAPHUAN|…`: a text of the new form naming it was never printed."""
    db, ha, _an, printed = issued
    with db.transaction() as s:
        cert = s.get_one(Certificate, ha.id)
        old = f"TAPHUAN|{ha.serial}|{ha.verification_code}"
        cert.snapshot = {**cert.snapshot, "qr_text": old}
    with db.transaction(readonly=True) as s:
        assert verify(s, old).valid
        refused(verify(s, printed), ALTERED)


def test_taphuan_verify_reads_the_text_as_its_argument(  # type: ignore[no-untyped-def]
    issued, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ha, _an, printed = issued
    for scanned in (printed, unicodedata.normalize("NFD", printed)):
        code, out, err = run(capsys, "--db", target(db), "verify", scanned)
        assert (code, err) == (0, "")
        assert out.startswith("Giấy chứng nhận số 0001/GCN-SKHCN: CÒN HIỆU LỰC")
        assert "Người được cấp: Nguyễn Thị Thanh Hà, sinh 02/05/1986" in out
    altered = printed.replace("Nguyễn Thị Thanh Hà", "Nguyễn Thị Thanh Hoa")
    code, out, err = run(capsys, "--db", target(db), "verify", altered)
    assert (code, out) == (1, "")
    assert err.startswith("Mã QR không hợp lệ: nội dung không khớp") and "Thanh Hà" not in err
