"""The visible signature as Decree 30/2020/NĐ-CP, Appendix I draws an agency's digital
signature: the seal (red, transparent, real size) over the left third of the signer's
signature image, and the signature information (who signed, when: ISO 8601 with +07:00)
in small blue serif type. Liberation Serif is embedded as a subset through pyHanko's
OpenType support (app.signing.glyphs), so Vietnamese prints in any reader.

A batch signs hundreds of files with the same images: each PNG is decoded and compressed
once (cached by its bytes) and only written again into each file."""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.text import TextBox, TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp.base import BaseStamp, BaseStampStyle

from app.signing.glyphs import ALPHABET, font

MM = 72 / 25.4
SEAL_MM = 38.0  # a round seal's real size when its PNG does not say (Decree 30: 36–40 mm)
SIGNATURE_MM = 45.0  # the width of a handwritten signature when its PNG does not say
OVERLAP = 1 / 3  # the seal covers this share of the signature image, on its left
BLUE = (0.0, 0.13, 0.62)
FONT_SIZE = 8  # pyHanko writes "Tf" sizes as integers: 7–8 pt is 8 here, 7 when crowded
SMALLEST = 6
GAP = 1.2 * MM


@dataclass(frozen=True)
class Picture:
    """An image ready to embed: compressed once, its size in points when printed real size."""

    width_px: int
    height_px: int
    rgb: bytes  # Flate-compressed RGB samples
    alpha: bytes | None  # Flate-compressed soft mask
    width_pt: float | None  # from the PNG's DPI, None when it does not say

    def height_for(self, width: float) -> float:
        return width * self.height_px / self.width_px

    def xobject(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        def stream(data: bytes, space: str) -> generic.StreamObject:
            return generic.StreamObject(
                {
                    pdf_name("/Type"): pdf_name("/XObject"),
                    pdf_name("/Subtype"): pdf_name("/Image"),
                    pdf_name("/Width"): generic.NumberObject(self.width_px),
                    pdf_name("/Height"): generic.NumberObject(self.height_px),
                    pdf_name("/ColorSpace"): pdf_name(space),
                    pdf_name("/BitsPerComponent"): generic.NumberObject(8),
                    pdf_name("/Filter"): pdf_name("/FlateDecode"),
                },
                encoded_data=data,
            )

        image = stream(self.rgb, "/DeviceRGB")
        if self.alpha is not None:
            image[pdf_name("/SMask")] = writer.add_object(stream(self.alpha, "/DeviceGray"))
        return writer.add_object(image)


@lru_cache(maxsize=8)
def _picture(digest: str, data: bytes) -> Picture:
    del digest  # the cache key: equal bytes, equal picture
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        dpi = img.info.get("dpi")
        rgba = img.convert("RGBA")
    alpha = rgba.getchannel("A")
    has_alpha = alpha.getextrema() != (255, 255)
    width_pt = None
    if dpi and dpi[0] and float(dpi[0]) > 1 and round(float(dpi[0])) != 72:
        width_pt = rgba.width / float(dpi[0]) * 72  # 72 dpi is what tools write when unsure
    return Picture(
        rgba.width,
        rgba.height,
        zlib.compress(rgba.convert("RGB").tobytes(), 6),
        zlib.compress(alpha.tobytes(), 6) if has_alpha else None,
        width_pt,
    )


def picture(data: bytes | None) -> Picture | None:
    if not data:
        return None
    return _picture(hashlib.sha256(data).hexdigest(), data)


@dataclass(frozen=True)
class DecreeStampStyle(BaseStampStyle):
    """The seal, the signature and the information lines (already written out)."""

    lines: tuple[str, ...] = ()
    seal: Picture | None = None
    signature: Picture | None = None
    border_width: int = 0
    background_opacity: float = 1.0
    text_color: tuple[float, float, float] = BLUE

    def create_stamp(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict
    ) -> DecreeStamp:
        return DecreeStamp(writer, self, box)


@dataclass(frozen=True)
class Placed:
    x: float
    y: float
    w: float
    h: float


def plan(
    width: float, height: float, seal: Picture | None, signature: Picture | None, text_w: float
) -> tuple[Placed | None, Placed | None, float]:
    """Where the seal and signature go in a box, and where the text column starts (x).

    The seal is real size unless the box is lower; the signature image is about 60 % of
    the seal's height, its left third under the seal; the text stands right of the seal,
    under the signature."""
    if seal is None and signature is None:
        return None, None, 0.0
    seal_d = 0.0
    if seal is not None:
        seal_w = seal.width_pt or SEAL_MM * MM
        seal_d = min(seal_w, height, seal.height_for(seal_w))
        seal_w = seal_d * seal.width_px / seal.height_px
    placed_sig = None
    placed_seal = None
    if signature is not None:
        sig_w = signature.width_pt or SIGNATURE_MM * MM
        sig_h = signature.height_for(sig_w)
        room = height * 0.6 if seal is not None else height * 0.7
        if sig_h > room:
            sig_w, sig_h = sig_w * room / sig_h, room
    if seal is not None:
        left = max(0.0, (width - seal_w - (sig_w * (1 - OVERLAP) if signature else 0) - text_w) / 2)
        left = min(left, width * 0.1)
        placed_seal = Placed(left, (height - seal_d) / 2, seal_w, seal_d)
        text_x = left + seal_w + GAP
        if signature is not None:
            sx = left + seal_w - sig_w * OVERLAP
            placed_sig = Placed(sx, height - sig_h - (height - seal_d) / 2, sig_w, sig_h)
        return placed_seal, placed_sig, text_x
    assert signature is not None
    placed_sig = Placed(0.0, height - sig_h, sig_w, sig_h)
    return None, placed_sig, 0.0


class DecreeStamp(BaseStamp):
    style: DecreeStampStyle

    def _text(self, lines: list[str], width: float) -> tuple[list[bytes], float, float]:
        """The information lines in blue, wrapped to width: (commands, width, height)."""
        size = FONT_SIZE
        while True:
            style = TextBoxStyle(
                font=font(),
                font_size=size,
                leading=size + 1,
                text_color=self.style.text_color,
                border_width=0,
                box_layout_rule=layout.SimpleBoxLayoutRule(
                    x_align=layout.AxisAlignment.ALIGN_MIN,
                    y_align=layout.AxisAlignment.ALIGN_MIN,
                    margins=layout.Margins(0, 0, 0, 0),
                ),
            )
            box = TextBox(style, writer=self.writer, resources=self.resources, box=None)
            engine = box.font_engine
            engine.shape(ALPHABET)
            wrapped = [w for line in lines for w in _wrap(line, width, size, engine)]
            if all(engine.shape(w).x_advance * size <= width for w in wrapped) or size <= SMALLEST:
                box.content = "\n".join(wrapped)
                commands = box.render()
                return [commands], box.box.width, box.box.height
            size -= 1

    def _render_inner_content(self) -> list[bytes]:
        w, h = self.box.width, self.box.height
        st = self.style
        seal, sig, text_x = plan(w, h, st.seal, st.signature, text_w=w * 0.45)
        out: list[bytes] = []
        if sig is not None and st.signature is not None:
            out.append(self._image("/Sig", st.signature, sig))
        if seal is not None and st.seal is not None:
            out.append(self._image("/Seal", st.seal, seal))
        text_w = max(w - text_x, w * 0.3)
        if text_x + text_w > w:
            text_x = w - text_w
        commands, _, text_h = self._text(list(st.lines), text_w)
        if seal is None and sig is None:
            y = max(0.0, (h - text_h) / 2)
        else:
            y = max(0.0, (sig.y if sig else h * 0.4) - text_h - GAP / 2)
        out.append(
            b"q 1 0 0 1 %g %g cm %s Q" % (round(text_x, 2), round(y, 2), b" ".join(commands))
        )
        return out

    def _image(self, name: str, pic: Picture, at: Placed) -> bytes:
        self.set_resource(ResourceType.XOBJECT, pdf_name(name), pic.xobject(self.writer))
        return b"q %g 0 0 %g %g %g cm %s Do Q" % (
            round(at.w, 3),
            round(at.h, 3),
            round(at.x, 3),
            round(at.y, 3),
            name.encode("ascii"),
        )


def _wrap(line: str, width: float, size: float, engine: object) -> list[str]:
    """Words to lines no wider than width (a word longer than the line stands alone)."""
    words = line.split(" ")
    out: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if current and engine.shape(trial).x_advance * size > width:  # type: ignore[attr-defined]
            out.append(current)
            current = "  " + word  # continuation lines indented under the label
        else:
            current = trial
    out.append(current)
    return out
