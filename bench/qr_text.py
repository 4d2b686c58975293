"""The certificate's QR code for each form of its text: size in modules (version, N × N),
printed module size at 27 mm, pixels a module at 150 dpi, and whether zxing-cpp reads it
back from the square drawn as certificates draw it, rendered at 150 dpi, blurred (Gaussian,
sigma 1.0 / 1.2 / 1.4 px) and saved as a JPEG (quality 60).

    python bench/qr_text.py
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from app.documents.qr import IMAGE_MASK, QUIET, draw_qr, modules  # noqa: E402
from app.services import verify_links  # noqa: E402
from app.services.certificate_qr import (  # noqa: E402
    SEPARATOR,
    TITLE_LIMIT,
    printed_text,
    shorten,
)

SIZE_MM = 27  # certificate_body: the QR code's square on the page
DPI = 150
CODE = "SFHWQCA8Q5"
ON = date(2026, 10, 21)
LONG_NAME = "Tôn Nữ Hoàng Thị Thanh Xuân Mỹ Ngọc Bích Phương Quỳnh Như Ý"
LONG_TITLE = "Bồi dưỡng kỹ năng chuyển đổi số cộng đồng cho Tổ trưởng Tổ công nghệ số ấp"
LONGEST_SERIAL = "000001/2026/GCN-SKHCN-TTCĐS-TỈNHVĨNHLONG"  # 40: settings.check_pattern's most

TEXTS = [
    ("issue's example", printed_text("0001/GCN-SKHCN", "Lê Văn An", "Kỹ năng số cơ bản", ON, CODE)),
    (
        "typical, long title",
        printed_text("0001/2026/GCN-SKHCN", "Nguyễn Thị Thanh Hà", LONG_TITLE, ON, CODE),
    ),
    ("longest", printed_text(LONGEST_SERIAL, LONG_NAME, LONG_TITLE, ON, CODE)),
    # what the 40-character title alone would give, without the byte budget
    (
        "longest, title at 40",
        SEPARATOR.join(
            (
                f"GCN số {LONGEST_SERIAL}",
                LONG_NAME,
                shorten(LONG_TITLE, TITLE_LIMIT),
                f"cấp {ON:%d/%m/%Y}",
                f"mã {CODE}",
            )
        ),
    ),
    ("old form", f"TAPHUAN|0001/GCN-SKHCN|{CODE}"),
    ("URL", verify_links.link("https://sokhcn.vinhlong.gov.vn/tra-cuu/", CODE)),
    (
        "URL with query",
        verify_links.link("https://dichvucong.vinhlong.gov.vn/tra-cuu?loai=gcn", CODE),
    ),
]


def reads(text: str, sigma: float) -> bool:
    """Whether zxing-cpp reads the text back from the printed square, photographed."""
    import pypdfium2 as pdfium
    import zxingcpp
    from PIL import Image, ImageFilter

    out = io.BytesIO()
    c = Canvas(out, pagesize=(60 * mm, 60 * mm), invariant=1)
    draw_qr(c, text, 16.5 * mm, 16.5 * mm, SIZE_MM * mm)
    c.showPage()
    c.save()
    page = pdfium.PdfDocument(out.getvalue())[0].render(scale=DPI / 72, grayscale=True)
    photo = io.BytesIO()
    page.to_pil().convert("L").filter(ImageFilter.GaussianBlur(sigma)).save(
        photo, "JPEG", quality=60
    )
    found = zxingcpp.read_barcodes(Image.open(photo), formats=zxingcpp.BarcodeFormat.QRCode)
    return [r.text for r in found] == [text]


def main() -> None:
    print(f"QR code {SIZE_MM} mm wide (quiet zone of {QUIET} modules inside), error correction M,"
          f" read at {DPI} dpi")  # fmt: skip
    head = f"{'text':<21}{'chars':>6}{'bytes':>6}{'version':>8}{'modules':>9}{'mm':>7}{'px':>6}"
    print(head + "  reads at sigma 1.0/1.2/1.4")
    for label, text in TEXTS:
        n = len(modules(text, IMAGE_MASK))
        unit = SIZE_MM / (n + 2 * QUIET)
        marks = "/".join("yes" if reads(text, s) else "no" for s in (1.0, 1.2, 1.4))
        print(f"{label:<21}{len(text):>6}{len(text.encode('utf-8')):>6}{(n - 17) // 4:>8}"
              f"{f'{n}×{n}':>9}{unit:>7.3f}{unit / 25.4 * DPI:>6.2f}  {marks}")  # fmt: skip
    for label, text in TEXTS:
        print(f"  {label}: {text}")
    from importlib.metadata import version

    import zxingcpp

    example = zxingcpp.create_barcode(TEXTS[0][1], zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    (back,) = zxingcpp.read_barcodes(example.to_image(scale=4))
    eci = "none" if back.symbology_identifier == "]Q1" else back.symbology_identifier
    print(f"zxing-cpp {version('zxing-cpp')}: written as UTF-8 bytes "
          f"{example.bytes == TEXTS[0][1].encode('utf-8')}, ECI {eci}; read back as written "
          f"(the reader's guess): {back.text == TEXTS[0][1]}")  # fmt: skip


if __name__ == "__main__":
    main()
