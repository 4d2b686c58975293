"""`taphuan verify FILE.pdf` against what a hostile review found: wording (a revoked
certificate said once, a signed report said to be one, a folder named x.pdf), big or
appended files, identity read from the signed revision, and the signer's issuer checked
against sign_trust_roots."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.pdfgen import canvas
from sqlalchemy import select

from app.services import certificates
from models import AuditEntry
from tests.app import sign_helpers_verify as helpers
from tests.app import test_pdf_verify as base
from tests.app.test_pdf_verify import Signed, audit_count, verify

ca, signed = base.ca, base.signed  # the fixtures: three certificates, the first signed


def test_a_revoked_certificate_says_revoked_once(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    with signed.db.transaction() as s:
        certificates.revoke(s, signed.serials[0], "Ghi sai ngày sinh")
    code, out, _ = verify(capsys, signed, signed.write("thu-hoi.pdf", signed.signed))
    assert code == 1
    assert out.splitlines()[0] == "Giấy chứng nhận số 0001/GCN-SKHCN: ĐÃ THU HỒI."
    assert out.count("ĐÃ THU HỒI") == 1
    assert "Lý do thu hồi: Ghi sai ngày sinh" in out


def test_a_signed_report_says_what_it_is(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    out_pdf = io.BytesIO()
    page = canvas.Canvas(out_pdf)
    page.setTitle("Báo cáo kết quả tập huấn")
    page.drawString(72, 720, "Bao cao")
    page.save()
    report = helpers.sign(out_pdf.getvalue(), signed.p12).data
    code, out, _ = verify(capsys, signed, signed.write("bao-cao.pdf", report))
    assert code == 1
    assert out.splitlines()[0] == (
        "Chữ ký số nguyên vẹn, nhưng tệp này không phải một giấy chứng nhận trong sổ cấp "
        "(có thể là báo cáo hay sổ cấp đã ký số)."
    )


def test_a_folder_named_like_a_pdf_is_said_a_folder(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = signed.folder / "x.pdf"
    folder.mkdir()
    code, out, err = verify(capsys, signed, folder)
    assert (code, out) == (3, "")
    assert err == f"Lỗi: “{folder}” là một thư mục, không phải tệp PDF.\n"


def test_a_small_object_appended_after_eof_is_said_added(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = b"\n99 0 obj\n<< /Thu (them sau khi ky) >>\nendobj\nstartxref\n123456789\n%%EOF\n"
    code, out, err = verify(capsys, signed, signed.write("them-tho.pdf", signed.signed + raw))
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == (
        "Giấy số 0001/GCN-SKHCN: chữ ký số còn nguyên nhưng tệp đã bị thêm nội dung sau khi ký."
    )
    assert f"Người ký: {helpers.AGENCY}" in out


def test_a_file_over_the_limit_is_refused_without_reading_it_whole(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    path = signed.write("lon.pdf", signed.signed)
    with path.open("ab") as file:  # sparse: the limit and one byte more, without writing it
        file.truncate(50 * 1024 * 1024 + 1)
    before = audit_count(signed.db)
    code, out, err = verify(capsys, signed, path)
    assert (code, out) == (3, "")
    assert err == (
        "Lỗi: Tệp lớn quá 50 MB: một giấy chứng nhận đã ký số chỉ khoảng 100 KB, tệp này không "
        "phải giấy chứng nhận của TapHuan (hoặc đã bị thêm rất nhiều nội dung).\n"
    )
    assert audit_count(signed.db) == before


def test_identity_is_read_from_the_signed_revision(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    """An incremental update that changes the title and draws over the page is still named
    as the certificate it was signed as, and said added to."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.signed))
    title = generic.pdf_string("Giấy chứng nhận 0002/GCN-SKHCN")
    writer.set_info(generic.DictionaryObject({generic.NameObject("/Title"): title}))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    cover = generic.StreamObject(stream_data=b"q 1 1 1 rg 0 0 900 700 re f Q")
    page[generic.NameObject("/Contents")] = writer.add_object(cover)  # the page drawn over
    writer.update_container(page)
    out_file = io.BytesIO()
    writer.write(out_file)
    code, out, _ = verify(capsys, signed, signed.write("doi-ten.pdf", out_file.getvalue()))
    assert code == 1
    assert out.splitlines()[0] == (
        "Giấy số 0001/GCN-SKHCN: chữ ký số còn nguyên nhưng tệp đã bị thêm nội dung sau khi ký."
    )


def test_the_signer_s_issuer_is_checked_against_sign_trust_roots(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    """A home-made CA's certificate, recorded, is refused once the department's roots are
    set; the trusted one names its issuer. The PEM content is stored, not the path."""
    from tests.app.clirun import run
    from tests.app.test_pdf_verify import target

    path = signed.write("0001.pdf", signed.signed)
    other = signed.folder / "khac.pem"
    helpers.make_ca("CA Khác").pem(other)
    code, _, err = run(
        capsys, "--db", target(signed.db), "settings", "set", "sign_trust_roots", str(other)
    )
    assert (code, err) == (0, "")
    other.unlink()  # the content was stored
    code, out, _ = verify(capsys, signed, path)
    assert code == 1
    assert out.splitlines()[0] == (
        "Chứng thư số của người ký không do tổ chức tin cậy cấp (do “CA Thử nghiệm TapHuan” "
        "cấp, không phải tổ chức nào đặt ở sign_trust_roots)."
    )
    code, out, _ = run(capsys, "--db", target(signed.db), "settings", "show")
    assert "CN=CA Khác" in out and "BEGIN CERTIFICATE" not in out
    with signed.db.transaction(readonly=True) as s:  # the trail names it, without the PEM
        trail = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert trail is not None and "CN=CA Khác" in str(trail.after)
    assert "BEGIN CERTIFICATE" not in str(trail.after)
    root = signed.folder / "goc.cer"
    root.write_bytes(signed.ca.der)  # DER too
    run(capsys, "--db", target(signed.db), "settings", "set", "sign_trust_roots", str(root))
    code, out, _ = verify(capsys, signed, path)
    assert code == 0
    assert out.splitlines()[0].startswith("HỢP LỆ: tệp đúng là giấy chứng nhận số 0001/GCN-SKHCN")
    assert "Chứng thư số do CA Thử nghiệm TapHuan cấp: tin cậy" in out


def test_sign_trust_roots_that_are_no_certificate_are_refused_and_nothing_written(
    signed: Signed, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.app.clirun import run
    from tests.app.test_pdf_verify import target

    junk = signed.write("rac.pem", b"-----BEGIN CERTIFICATE-----\nkhong phai\n")
    before = audit_count(signed.db)
    code, out, err = run(
        capsys, "--db", target(signed.db), "settings", "set", "sign_trust_roots", str(junk)
    )
    assert (code, out) == (3, "")
    assert "không đọc được chứng thư số nào" in err
    assert audit_count(signed.db) == before


def test_a_key_not_issued_by_the_trust_roots_does_not_sign(signed: Signed) -> None:
    from app.signed_files import KeyPlan, open_signer
    from app.signing.keys import KeySource, SigningError

    source = KeySource(p12=str(signed.p12))
    other = helpers.make_ca("CA Khác").der
    untrusting = KeyPlan(source, "", helpers.AGENCY, trust_roots=(other,))
    with pytest.raises(SigningError) as refused, open_signer(untrusting, helpers.PASSWORD):
        pytest.fail("signed with a key the roots do not trust")
    assert str(refused.value) == (
        "Chứng thư số dùng để ký không do tổ chức tin cậy cấp (do “CA Thử nghiệm TapHuan” cấp, "
        "không phải tổ chức nào đặt ở sign_trust_roots): không ký. Hãy dùng chứng thư số của "
        "Sở hoặc đặt lại sign_trust_roots."
    )
    plan = KeyPlan(source, "", helpers.AGENCY, trust_roots=(other, signed.ca.der))
    with open_signer(plan, helpers.PASSWORD) as signer:
        assert signer.document(signed.unsigned, None)[:5] == b"%PDF-"
