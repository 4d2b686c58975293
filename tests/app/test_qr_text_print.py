"""Issue 21: the QR code of the longest text a certificate holds stays readable printed at its
27 mm, as a phone photographs it (rendered at 150 dpi, blurred, JPEG-compressed), and a
phone shows its Vietnamese text as it was written.

zxing-cpp writes the text as UTF-8 bytes without an ECI (the symbology identifier says ]Q1);
readers guess the character set, as phone apps do, and zxing-cpp's guess gives UTF-8 back:
the letters below are checked one by one through that guess."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from PIL import Image, ImageFilter

from app.db import Database
from app.documents.qr import IMAGE_MASK, modules
from app.services import certificates, settings
from models import Certificate, Course, Enrolment, EnrolmentStatus
from tests.app import world
from tests.app.test_certificates import configure

# The longest a serial may be (settings.check_pattern: 40 characters), a long real name,
# and a course title well past the QR's 40 characters: the longest text issuing makes.
LONGEST_PATTERN = "{seq:06d}/{year}/GCN-SKHCN-TTCĐS-TỈNHVĨNHLONG"
LONG_NAME = "Tôn Nữ Hoàng Thị Thanh Xuân Mỹ Ngọc Bích Phương Quỳnh Như Ý"
LONG_TITLE = "Bồi dưỡng kỹ năng chuyển đổi số cộng đồng cho Tổ trưởng Tổ công nghệ số ấp, khu phố"


def photographed(pdf: bytes, dpi: int = 150, sigma: float = 1.0, quality: int = 60) -> Image.Image:
    """The first page as a phone's photograph of the printed paper: rendered at dpi,
    blurred (Gaussian, sigma in pixels), saved as a JPEG and read back."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(pdf)[0].render(scale=dpi / 72, grayscale=True).to_pil()
    blurred = page.convert("L").filter(ImageFilter.GaussianBlur(sigma))  # radius: the sigma
    out = io.BytesIO()
    blurred.save(out, "JPEG", quality=quality)
    return Image.open(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize("template", ["classic", "modern"])
def test_the_longest_text_reads_back_from_a_blurred_photograph(
    sqlite_db: Database, template: str
) -> None:
    import zxingcpp

    with sqlite_db.transaction() as s:
        w = world.build(s)
        configure(s, serial_pattern=LONGEST_PATTERN, template=template)
        assert len(LONGEST_PATTERN.format(seq=123, year=2026)) == 40
        s.get_one(Course, w.course).title = LONG_TITLE
        eid = world.enrol(s, w, world.person(s, LONG_NAME), [], post=9)
        s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        (issued,) = certificates.issue(s, w.course, [eid], on=date(2026, 12, 28))
        snapshot = s.get_one(Certificate, issued.id).snapshot
        pdf = certificates.render_one(certificates.data_of(s, snapshot))
        assert settings.get(s, "verify_url") == ""
    text = snapshot["qr_text"]
    assert text == (
        "GCN số 000001/2026/GCN-SKHCN-TTCĐS-TỈNHVĨNHLONG · Tôn Nữ Hoàng Thị Thanh… · "
        f"Bồi dưỡng kỹ năng… · cấp 28/12/2026 · mã {issued.verification_code}"
    )
    found = zxingcpp.read_barcodes(photographed(pdf), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in found] == [text]  # the Vietnamese letters intact
    assert found[0].bytes == text.encode("utf-8")


def _letters() -> str:
    """Every Vietnamese letter with its tone, small and capital, precomposed (NFC)."""
    tones = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
    vowels = ("a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u",
              "u\u031b", "y")  # fmt: skip
    small = "".join(unicodedata.normalize("NFC", v + t) for v in vowels for t in tones) + "đ"
    return small + small.upper()


def _read_as_a_phone(text: str) -> tuple[str, bytes]:
    """The code as certificates draw it (the fixed mask), read by a reader that guesses
    the character set."""
    import zxingcpp

    grid = modules(text, IMAGE_MASK)
    n, quiet, scale = len(grid), 4, 4
    image = Image.new("L", (n + 2 * quiet, n + 2 * quiet), 255)
    for y, row in enumerate(grid):
        for x, module in enumerate(row):
            image.putpixel((x + quiet, y + quiet), module)
    image = image.resize((image.width * scale, image.height * scale), Image.Resampling.NEAREST)
    (found,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return found.text, found.bytes


def test_a_phone_shows_every_vietnamese_letter_as_written() -> None:
    letters = _letters()
    assert len(letters) == 146 and len(set(letters)) == 146
    for i in range(0, len(letters), 24):  # a few letters a name, in the form's text
        name = " ".join(letters[i : i + 24][j : j + 4] for j in range(0, 24, 4))
        text = f"GCN số 0001/GCN-SKHCN · {name} · Kỹ năng số · cấp 21/10/2026 · mã SFHWQCA8Q5"
        assert _read_as_a_phone(text) == (text, text.encode("utf-8")), name
