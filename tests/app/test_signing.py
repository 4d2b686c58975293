"""Ký số end to end below the services: a certificate PDF signed with a .p12 and with a
real PKCS#11 token (SoftHSM2), checked by outside clients (poppler's pdfsig, pyHanko's
validator with our test CA as the trust root), and every refusal in Vietnamese."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents.certificate import CertificateData, render_one, signature_spot
from app.signing import keys, pdf
from app.signing.keys import KeySource, SigningError
from tests.app.signing_keys import (
    AGENCY,
    Ca,
    Signer,
    make_ca,
    make_signer,
    seal_png,
    signature_png,
    softhsm_token,  # noqa: F401 - the fixture
)

NOW = datetime.now(UTC)
needs_pdfsig = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils chưa cài")


@pytest.fixture(scope="module")
def ca() -> Ca:
    return make_ca()


@pytest.fixture(scope="module")
def signer(ca: Ca, tmp_path_factory: pytest.TempPathFactory) -> Signer:
    return make_signer(ca, tmp_path_factory.mktemp("keys"))


def certificate(template: str = "classic", title: str = "GIÁM ĐỐC") -> CertificateData:
    return CertificateData(
        issuer_parent="UBND TỈNH VĨNH LONG", issuer="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        place="Vĩnh Long", signer_title=title, signer_name="Nguyễn Văn Tâm",
        full_name="Lê Thị Ánh Tuyết", birth_date="02/05/1986", unit="Xã Đại Điền",
        course_title="Kỹ năng số cho cán bộ cấp xã", venue="Hội trường Sở",
        period="từ ngày 02/03/2026 đến ngày 06/03/2026", result="Hoàn thành",
        serial="0001/GCN-2026", issued_on=date(2026, 3, 6), verification_code="ABCD-EFGH",
        qr_text="TAPHUAN|0001/GCN-2026|ABCD-EFGH", register_no="12/2026",
        verify_url="https://taphuan.vinhlong.gov.vn/xac-minh", template=template,
        seal=seal_png(), signature=signature_png(),
    )  # fmt: skip


LOOK = pdf.Look(AGENCY, seal_png(), signature_png())


def sign_certificate(key: keys.OpenKey, d: CertificateData, **kw: object) -> pdf.SignedFile:
    return pdf.sign_pdf(render_one(d, signing=True), key, signature_spot(d), LOOK, **kw)  # type: ignore[arg-type]


def pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def appearance_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    annot = next(
        a.get_object()
        for a in reader.pages[0]["/Annots"]
        if a.get_object().get("/FT") == "/Sig" or a.get_object().get("/T") == pdf.FIELD
    )
    form = annot["/AP"]["/N"].get_object()
    from pypdf.generic import ContentStream

    parts: list[str] = []
    content = ContentStream(form, reader)
    for operands, op in content.operations:  # the ActualText spans carry the Unicode
        if op == b"BDC" and len(operands) > 1 and hasattr(operands[1], "get"):
            actual = operands[1].get("/ActualText")
            if actual is not None:
                parts.append(str(actual))
    return "\n".join(parts)


@needs_pdfsig
def test_a_p12_signed_certificate_is_valid_whole_and_trusted(
    signer: Signer, ca: Ca, tmp_path: Path
) -> None:
    with keys.open_key(KeySource(p12=str(signer.p12)), signer.password, NOW) as key:
        signed = sign_certificate(key, certificate())
    file = tmp_path / "signed.pdf"
    file.write_bytes(signed.data)
    said = pdfsig(file)
    assert "Signature is Valid" in said and "Total document signed" in said, said
    assert "CN=Sở Khoa học và Công nghệ tỉnh Vĩnh Long" in said
    assert signed.cert.subject == f"CN={AGENCY}, O=UBND tỉnh Vĩnh Long, C=VN"

    broken = bytearray(signed.data)
    at = signed.data.index(b"stream") + 40  # inside the page's first stream, signed
    broken[at] ^= 0x01  # one changed byte
    (tmp_path / "broken.pdf").write_bytes(bytes(broken))
    assert "Signature is Valid" not in pdfsig(tmp_path / "broken.pdf")

    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(ca.cert.public_bytes(Encoding.DER))
    reader = PdfFileReader(io.BytesIO(signed.data))
    status = validate_pdf_signature(
        reader.embedded_signatures[0], ValidationContext(trust_roots=[root])
    )
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    # The time shown is the time signed: CMS signing time, SignedFile and the appearance.
    assert status.signer_reported_dt == signed.signed_at
    text = appearance_text(signed.data)
    assert f"Ký bởi: {AGENCY}" in text
    assert f"Thời gian ký: {signed.signed_at.isoformat()}" in text and "+07:00" in text


def test_the_signature_spot_stays_clear_of_name_serial_and_qr() -> None:
    for template in ("classic", "modern"):
        for title in ("GIÁM ĐỐC", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"):
            d = certificate(template, title)
            left, bottom, right, top = signature_spot(d).box
            reader = PdfReader(io.BytesIO(render_one(d, signing=True)))
            seen: list[tuple[str, float, float]] = []

            def visit(t: str, cm: object, tm: list[float], *_: object, seen: list = seen) -> None:
                if t.strip():
                    seen.append((t.strip(), tm[4], tm[5]))

            reader.pages[0].extract_text(visitor_text=visit)
            name = next(y for t, _, y in seen if t == "Nguyễn Văn Tâm")
            title_last = min(y for t, _, y in seen if t in ("GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"))
            assert name + 13 * 0.72 < bottom  # the name's capitals and accents are below
            assert top < title_last  # the title is above
            inside = [t for t, x, y in seen if left <= x <= right and bottom <= y <= top]
            assert inside == []  # no serial, register number, URL or body text in it
            assert left > 60 * 72 / 25.4  # the QR (22–49 mm) and serial column are left of it


def test_signing_leaves_the_seal_and_signature_images_out_of_the_page() -> None:
    d = certificate()
    plain = PdfReader(io.BytesIO(render_one(d)))
    to_sign = PdfReader(io.BytesIO(render_one(d, signing=True)))

    def images(r: PdfReader) -> int:
        return len(r.pages[0].images)

    assert images(plain) == images(to_sign) + 2


def test_a_wrong_password_is_refused_in_vietnamese(signer: Signer) -> None:
    with (
        pytest.raises(SigningError, match="sai mật khẩu"),
        keys.open_key(KeySource(p12=str(signer.p12)), "sai-mat-khau", NOW),
    ):
        pass


def test_a_p12_without_its_private_key_is_refused_in_vietnamese(
    signer: Signer, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    only_cert = tmp_path / "chi-chung-thu.p12"
    only_cert.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"x", None, signer.cert, None, BestAvailableEncryption(signer.password.encode())
        )
    )
    with (
        pytest.raises(SigningError, match="không có khóa bí mật để ký"),
        keys.open_key(KeySource(p12=str(only_cert)), signer.password, NOW),
    ):
        pass


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        (-400, -2, "đã hết hạn ngày"),
        (3, 400, "chỉ có hiệu lực từ"),
    ],
)
def test_an_expired_or_not_yet_valid_certificate_is_refused(
    ca: Ca, tmp_path: Path, start: int, end: int, said: str
) -> None:
    s = make_signer(ca, tmp_path, NOW + timedelta(days=start), NOW + timedelta(days=end))
    with (
        pytest.raises(SigningError, match=said),
        keys.open_key(KeySource(p12=str(s.p12)), s.password, NOW),
    ):
        pass


@needs_pdfsig
def test_a_token_signs_with_one_pin_for_a_batch(softhsm_token, tmp_path: Path) -> None:  # noqa: F811
    source = KeySource(pkcs11=softhsm_token.lib, token=softhsm_token.label)
    with keys.open_key(source, softhsm_token.pin, NOW) as key:
        files = [sign_certificate(key, certificate()) for _ in range(3)]
    assert files[0].cert.serial == format(softhsm_token.signer.cert.serial_number, "X")
    for i, f in enumerate(files):
        (tmp_path / f"{i}.pdf").write_bytes(f.data)
        said = pdfsig(tmp_path / f"{i}.pdf")
        assert "Signature is Valid" in said and "Total document signed" in said, said


def test_token_refusals_are_vietnamese(softhsm_token, tmp_path: Path) -> None:  # noqa: F811
    lib, label = softhsm_token.lib, softhsm_token.label

    def refused(source: KeySource, pin: str) -> str:
        with pytest.raises(SigningError) as caught, keys.open_key(source, pin, NOW):
            pass
        return str(caught.value)

    assert refused(KeySource(pkcs11=lib, token=label), "000000").startswith(
        "Sai mã PIN của thiết bị ký số"
    )
    assert "Không thấy thiết bị ký số có nhãn “Khác”" in refused(
        KeySource(pkcs11=lib, token="Khác"), softhsm_token.pin
    )
    assert "Không thấy thư viện PKCS#11" in refused(
        KeySource(pkcs11=str(tmp_path / "khong-co.so")), softhsm_token.pin
    )
    not_a_lib = tmp_path / "hong.so"
    not_a_lib.write_bytes(b"not a library")
    assert "Không nạp được thư viện PKCS#11" in refused(
        KeySource(pkcs11=str(not_a_lib)), softhsm_token.pin
    )


def test_no_token_plugged_in_is_said(softhsm_token, tmp_path: Path) -> None:  # noqa: F811
    import os

    empty = tmp_path / "empty"
    empty.mkdir()
    conf = tmp_path / "empty.conf"
    conf.write_text(f"directories.tokendir = {empty}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # the fixture puts it back
    with (
        pytest.raises(SigningError, match="Không thấy thiết bị ký số: cắm thiết bị"),
        keys.open_key(KeySource(pkcs11=softhsm_token.lib), softhsm_token.pin, NOW),
    ):
        pass


def test_a_token_without_a_certificate_is_said(softhsm_token) -> None:  # noqa: F811
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    lib = pkcs11.lib(softhsm_token.lib)
    lib.reinitialize()
    token = lib.get_token(token_label=softhsm_token.label)
    with token.open(rw=True, user_pin=softhsm_token.pin) as session:
        for cert in list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})):
            cert.destroy()
    with (
        pytest.raises(SigningError, match="không có chứng thư số nào kèm khóa ký"),
        keys.open_key(
            KeySource(pkcs11=softhsm_token.lib, token=softhsm_token.label),
            softhsm_token.pin,
            NOW,
        ),
    ):
        pass


def test_a_timestamp_server_that_does_not_answer_is_said(signer: Signer) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with (
        keys.open_key(KeySource(p12=str(signer.p12)), signer.password, NOW) as key,
        pytest.raises(SigningError, match="Máy chủ cấp dấu thời gian"),
    ):
        sign_certificate(key, certificate(), tsa_url=f"http://127.0.0.1:{port}/tsa")


@needs_pdfsig
def test_a_timestamp_server_makes_it_pades_b_t(signer: Signer, ca: Ca, tmp_path: Path) -> None:
    """A local timestamp server (pyHanko's DummyTimeStamper behind a tiny HTTP server)."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509 as c_x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    from tests.app.signing_keys import _rsa

    tsa_key = _rsa()
    tsa_cert = (
        c_x509.CertificateBuilder()
        .subject_name(c_x509.Name([c_x509.NameAttribute(NameOID.COMMON_NAME, "TSA Thử")]))
        .issuer_name(ca.cert.subject)
        .public_key(tsa_key.public_key())
        .serial_number(c_x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=30))
        .add_extension(c_x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa_cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            tsa_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )

    class Tsa(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Tsa)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
        with keys.open_key(KeySource(p12=str(signer.p12)), signer.password, NOW) as key:
            signed = sign_certificate(key, certificate(), tsa_url=url)
    finally:
        server.shutdown()
    (tmp_path / "b-t.pdf").write_bytes(signed.data)
    said = pdfsig(tmp_path / "b-t.pdf")
    assert "Signature is Valid" in said and "Total document signed" in said, said

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root])
    reader = PdfFileReader(io.BytesIO(signed.data))
    status = validate_pdf_signature(
        reader.embedded_signatures[0], context, ts_validation_context=context
    )
    assert status.intact and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
