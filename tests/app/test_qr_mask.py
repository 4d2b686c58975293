"""QR codes drawn as images use one fixed data mask (zxing-cpp's choosing among eight is
most of the encoding's time); the vector drawing of older certificates keeps the chosen one."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import zxingcpp
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from app.documents import qr

TEXTS = ["TAPHUAN|0001/2026/GCN|SFHWQCA8Q5", "AB7K2M9Q", "Lê Văn An · Kỹ năng số cơ bản"]


def _read(draw) -> list[zxingcpp.Barcode]:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for i, text in enumerate(TEXTS):
        draw(c, text, 20 * mm + i * 60 * mm, 200 * mm, 27 * mm)
    c.showPage()
    c.save()
    page = pdfium.PdfDocument(out.getvalue())[0]
    image = page.render(scale=150 / 72).to_pil()
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def test_image_codes_read_back_with_the_fixed_mask() -> None:
    found = _read(qr.draw_qr)
    assert sorted(b.text for b in found) == sorted(TEXTS)
    assert {b.extra["DataMask"] for b in found} == {qr.IMAGE_MASK}
    assert {b.extra["ECLevel"] for b in found} == {"M"}


def test_vector_codes_keep_the_mask_zxing_chooses() -> None:
    found = {b.text: b.extra["DataMask"] for b in _read(qr.draw_qr_vector)}
    assert set(found) == set(TEXTS)
    for text in TEXTS:
        chosen = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
        again = zxingcpp.read_barcodes(chosen.to_image(scale=4))[0]
        assert found[text] == again.extra["DataMask"]
