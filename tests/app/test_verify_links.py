"""The verification address in the QR code when the department's address has its own query
string, a fragment or a final slash; and reading such links back (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from app.errors import InvalidValue
from app.services import certificates, settings, verify_links
from app.services.verification import verify
from models import Certificate
from tests.app import test_certificates
from tests.app.test_certificates import configure
from tests.app.test_documents import read_qr_codes

done = test_certificates.done  # the fixture: three people who completed a course
QUERY = "https://dichvucong.vinhlong.gov.vn/tra-cuu?loai=gcn"


@pytest.mark.parametrize(
    ("url", "qr"),
    [
        (
            "https://sokhcn.vinhlong.gov.vn/tra-cuu",
            "https://sokhcn.vinhlong.gov.vn/tra-cuu?ma=AB23",
        ),
        (QUERY, f"{QUERY}&ma=AB23"),
        (f"{QUERY}&", f"{QUERY}&ma=AB23"),
        ("https://x.gov.vn/tra-cuu?", "https://x.gov.vn/tra-cuu?ma=AB23"),
        ("https://x.gov.vn/tra-cuu/#gcn", "https://x.gov.vn/tra-cuu/?ma=AB23#gcn"),
        ("https://x.gov.vn/t?a=1&b=x%20y#f", "https://x.gov.vn/t?a=1&b=x%20y&ma=AB23#f"),
    ],
)
def test_the_code_joins_the_address_as_one_more_parameter(url: str, qr: str) -> None:
    assert verify_links.link(url, "AB23") == qr
    assert verify_links.codes(qr) == ["AB23"]
    assert verify_links.address(qr) == verify_links.address(url)
    assert verify_links.link(url, "A&B=C").endswith("ma=A%26B%3DC" + qr.partition("AB23")[2])


def test_an_address_that_already_uses_the_code_parameter_is_refused() -> None:
    with pytest.raises(InvalidValue) as err:
        settings.normalise("verify_url", "https://x.gov.vn/tra-cuu?ma=")
    assert "đã có tham số “ma=”" in str(err.value)
    assert settings.normalise("verify_url", QUERY) == QUERY


def test_a_certificate_verifies_at_an_address_with_a_query_string(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s, verify_url=QUERY)
        (ha,) = certificates.issue(s, w.course, [enr["ha"]])
        cert = s.get_one(Certificate, ha.id)
        printed = cert.snapshot["qr_text"]
        pdf = certificates.render_one(certificates.data_of(s, cert.snapshot))
    code = ha.verification_code
    assert printed == f"{QUERY}&ma={code}"
    assert read_qr_codes(pdf, dpi=150) == [printed]
    base = "https://dichvucong.vinhlong.gov.vn/tra-cuu"
    with db.transaction(readonly=True) as s:
        for good in (
            printed,
            f"{base}/?loai=gcn&ma={code}",  # a final slash
            f"{base}?ma={code}&loai=gcn",  # the parameters in another order
            f"HTTPS://DichVuCong.VinhLong.gov.vn/tra-cuu?loai=gcn&ma={code}",
            f"{printed}#ket-qua",  # a fragment is never sent to the server
        ):
            result = verify(s, good)
            assert result.valid and "Nguyễn Thị Thanh Hà" in result.message, good
        for bad in (
            f"{base}?ma={code}",  # the department's parameter missing
            f"{base}?loai=khac&ma={code}",  # another value
            f"{base}?loai=gcn&them=1&ma={code}",  # one more parameter
            f"{base}/khac?loai=gcn&ma={code}",  # another path
            f"http://dichvucong.vinhlong.gov.vn/tra-cuu?loai=gcn&ma={code}",  # another scheme
            f"https://dichvucong-vinhlong.top/tra-cuu?loai=gcn&ma={code}",  # another host
        ):
            result = verify(s, bad)
            assert not result.found and not result.valid, bad
            assert "không phải địa chỉ tra cứu của cơ quan cấp" in result.message
            assert "Thanh Hà" not in result.message
        missing = verify(s, f"{printed[:-3]}XYZ")
        assert not missing.valid and missing.message.startswith("Không tìm thấy")


def test_an_address_with_a_trailing_slash_and_a_fragment(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s, verify_url="https://sokhcn.vinhlong.gov.vn/tra-cuu/#gcn")
        (an,) = certificates.issue(s, w.course, [enr["an"]])
        printed = s.get_one(Certificate, an.id).snapshot["qr_text"]
    assert printed == f"https://sokhcn.vinhlong.gov.vn/tra-cuu/?ma={an.verification_code}#gcn"
    with db.transaction(readonly=True) as s:
        assert verify(s, printed).valid
        assert verify(s, f"https://sokhcn.vinhlong.gov.vn/tra-cuu?ma={an.verification_code}").valid
    with db.transaction() as s:  # the department moves to an address with a query string
        settings.set_value(s, "verify_url", QUERY)
    with db.transaction(readonly=True) as s:
        assert verify(s, printed).valid  # the address printed on it still counts
        assert verify(s, f"{QUERY}&ma={an.verification_code}").valid


def test_a_link_printed_by_the_earlier_version_still_verifies(done) -> None:  # type: ignore[no-untyped-def]
    """Before this fix a query-string address printed `…?loai=gcn?ma=CODE`: those papers
    exist, and their very text verifies; anything else in that shape does not."""
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s, verify_url=QUERY)
        (ha,) = certificates.issue(s, w.course, [enr["ha"]])
        cert = s.get_one(Certificate, ha.id)
        old = f"{QUERY}?ma={ha.verification_code}"
        cert.snapshot = {**cert.snapshot, "qr_text": old}
    with db.transaction(readonly=True) as s:
        assert verify(s, old).valid
        forged = verify(
            s, f"https://dichvucong.vinhlong.gov.vn/khac?loai=gcn?ma={ha.verification_code}"
        )
        assert not forged.valid and "Thanh Hà" not in forged.message
