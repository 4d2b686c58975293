"""Issue 21, the QR itself: without a verification address a certificate issued now holds a
short Vietnamese text a phone's camera shows as it is; with one, the address and the code,
nothing more; certificates issued before keep the `TAPHUAN|serial|code` they were printed
with."""

from __future__ import annotations

from datetime import date

import pytest

from app.documents.qr import IMAGE_MASK, modules
from app.services import certificate_preview, certificates, verify_links
from app.services.certificate_qr import printed_text, shorten
from models import Certificate, Course
from tests.app import test_certificates
from tests.app.test_certificates import configure
from tests.app.test_documents import read_qr_codes

done = test_certificates.done  # the fixture: three people who completed a course
LONG_TITLE = (
    "Kỹ năng số cho Tổ công nghệ số cộng đồng: dịch vụ công trực tuyến, định danh điện tử "
    "VNeID và thanh toán không dùng tiền mặt"
)


def test_the_issue_s_example_word_for_word() -> None:
    text = printed_text("0001/GCN-SKHCN", "Lê Văn An", "Kỹ năng số cơ bản", date(2026, 10, 21),
                        "SFHWQCA8Q5")  # fmt: skip
    assert text == (
        "GCN số 0001/GCN-SKHCN · Lê Văn An · Kỹ năng số cơ bản · cấp 21/10/2026 · mã SFHWQCA8Q5"
    )


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Kỹ năng số cơ bản", "Kỹ năng số cơ bản"),
        (LONG_TITLE, "Kỹ năng số cho Tổ công nghệ số cộng…"),
        ("Chuyển đổi số: thanh toán không dùng tiền mặt", "Chuyển đổi số: thanh toán không dùng…"),
        # no punctuation left before the "…"
        (
            "Chuyển đổi số cho Tổ công nghệ số cộng: dịch vụ",
            "Chuyển đổi số cho Tổ công nghệ số cộng…",
        ),
        ("Chuyển đổi số cho Tổ công nghệ số xã, phường", "Chuyển đổi số cho Tổ công nghệ số xã…"),
        ("A" * 40, "A" * 40),  # exactly the limit: whole
        ("Bồi dưỡng " + "B" * 60, "Bồi dưỡng…"),
        ("B" * 60, "B" * 39 + "…"),  # one word longer than the limit: cut inside it
        ("  Kỹ  năng\tsố\n", "Kỹ năng số"),
        ("Ky\u0303 na\u0306ng so\u0302\u0301", "Kỹ năng số"),  # decomposed: NFC
    ],
)
def test_the_course_title_is_shortened_on_a_word_boundary(title: str, shown: str) -> None:
    assert shorten(title, 40) == shown
    assert len(shown) <= 40


LONG_NAME = "Tôn Nữ Hoàng Thị Thanh Xuân Mỹ Ngọc Bích Phương Quỳnh Như Ý"  # 58 characters
TITLE = "Bồi dưỡng kỹ năng chuyển đổi số cộng đồng cho Tổ trưởng"
ON = date(2026, 12, 28)


@pytest.mark.parametrize(
    ("serial", "name", "text"),
    [
        (
            "1/GCN",
            "Lê Văn An",
            "GCN số 1/GCN · Lê Văn An · Bồi dưỡng kỹ năng chuyển đổi số cộng… · "
            "cấp 28/12/2026 · mã ABCDEFGH23",
        ),
        # a long title and a long name: the longer gives way first, a word at a time
        (
            "0001/2026/GCN-SKHCN",
            "Nguyễn Thị Thanh Hà",
            "GCN số 0001/2026/GCN-SKHCN · Nguyễn Thị "
            "Thanh Hà · Bồi dưỡng kỹ năng chuyển đổi số… · cấp 28/12/2026 · mã ABCDEFGH23",
        ),
        (
            "0001/2026/GCN-SKHCN",
            LONG_NAME,
            "GCN số 0001/2026/GCN-SKHCN · Tôn Nữ Hoàng Thị Thanh "
            "Xuân… · Bồi dưỡng kỹ năng chuyển… · cấp 28/12/2026 · mã ABCDEFGH23",
        ),
        # the longest serial there may be (40 characters): both down to their least
        (
            "000001/2026/GCN-SKHCN-TTCĐS-TỈNHVĨNHLONG",
            LONG_NAME,
            "GCN số 000001/2026/GCN-SKHCN-"
            "TTCĐS-TỈNHVĨNHLONG · Tôn Nữ Hoàng Thị Thanh… · Bồi dưỡng kỹ năng… · cấp 28/12/2026 · "
            "mã ABCDEFGH23",
        ),
    ],
)
def test_a_long_name_and_title_give_way_so_the_code_stays_small(
    serial: str, name: str, text: str
) -> None:
    """At most 150 bytes of UTF-8 (a version 8 code) unless the serial alone is too long."""
    assert printed_text(serial, name, TITLE, ON, "ABCDEFGH23") == text
    assert len(text.encode("utf-8")) <= 150 or len(serial) == 40
    assert len(modules(text, IMAGE_MASK)) <= 49  # version 8: 0.51 mm a module at 27 mm


def test_a_name_is_kept_whole_while_there_is_room() -> None:
    name = "Tôn Nữ Hoàng Thị Thanh Xuân Mỹ Ngọc Bích Phương"  # 47 characters
    text = printed_text("1/GCN", name, "Kỹ năng số", ON, "ABCDEFGH23")
    assert text == f"GCN số 1/GCN · {name} · Kỹ năng số · cấp 28/12/2026 · mã ABCDEFGH23"
    huge = "Nguyễn " * 20 + "An"  # past any real name (a person's name may hold 150)
    shown = printed_text("1/GCN", huge, "Kỹ năng số", ON, "ABCDEFGH23").split(" · ")[1]
    assert shown == "Nguyễn " * 7 + "Nguyễn…" and len(shown) <= 60


def test_a_certificate_issued_without_an_address_holds_the_text_a_phone_shows(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s)
        s.get_one(Course, w.course).title = LONG_TITLE
        an, ha = certificates.issue(s, w.course, [enr["an"], enr["ha"]], on=date(2026, 10, 21))
        cert = s.get_one(Certificate, ha.id)
        pdf = certificates.render_one(certificates.data_of(s, cert.snapshot))
        printed = cert.snapshot["qr_text"]
        assert s.get_one(Certificate, an.id).snapshot["qr_text"] == (
            "GCN số 0001/GCN-SKHCN · Lê Văn An · Kỹ năng số cho Tổ công nghệ số cộng… · "
            f"cấp 21/10/2026 · mã {an.verification_code}"
        )
    assert printed == (
        "GCN số 0002/GCN-SKHCN · Nguyễn Thị Thanh Hà · Kỹ năng số cho Tổ công nghệ số cộng… · "
        f"cấp 21/10/2026 · mã {ha.verification_code}"
    )
    assert read_qr_codes(pdf, dpi=150) == [printed]


def test_with_an_address_the_qr_is_the_address_and_the_code_only(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s, verify_url="https://sokhcn.vinhlong.gov.vn/tra-cuu/")
        (an,) = certificates.issue(s, w.course, [enr["an"]])
        printed = s.get_one(Certificate, an.id).snapshot["qr_text"]
    assert printed == f"https://sokhcn.vinhlong.gov.vn/tra-cuu/?ma={an.verification_code}"


@pytest.mark.parametrize(
    ("url", "qr"),
    [
        (
            "https://sokhcn.vinhlong.gov.vn/tra-cuu/",
            "https://sokhcn.vinhlong.gov.vn/tra-cuu/?ma=AB23",
        ),
        (" https://x.gov.vn/tra-cuu?&loai=gcn&&", "https://x.gov.vn/tra-cuu?loai=gcn&ma=AB23"),
        ("https://x.gov.vn/tra-cuu?&&", "https://x.gov.vn/tra-cuu?ma=AB23"),
        ("https://x.gov.vn/t?a=1&&b=x%20y", "https://x.gov.vn/t?a=1&b=x%20y&ma=AB23"),
    ],
)
def test_the_address_gets_the_code_and_no_character_more(url: str, qr: str) -> None:
    assert verify_links.link(url, "AB23") == qr
    assert verify_links.address(qr) == verify_links.address(url)


def test_the_preview_shows_the_qr_the_certificate_will_get(done) -> None:  # type: ignore[no-untyped-def]
    db, w, _people, enr = done
    with db.transaction() as s:
        configure(s)
        person = certificate_preview.preview(s, enrolment_id=enr["an"], on=date(2026, 10, 21))
        sample = certificate_preview.preview(s, on=date(2026, 10, 21))
    assert person.qr_text == (
        "GCN số 0001/GCN-SKHCN · Lê Văn An · Tập huấn kỹ năng số · cấp 21/10/2026 · mã XEMTRUOC"
    )
    assert sample.qr_text == (
        "GCN số …/MẪU · Nguyễn Thị Thanh Hà · Kỹ năng số cho Tổ công nghệ số cộng… · "
        "cấp 21/10/2026 · mã MẪU"
    )
