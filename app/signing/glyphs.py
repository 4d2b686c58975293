"""Liberation Serif for the visible signature's text through pyHanko's OpenType support,
with two fixes and the speed a batch needs:

- pyHanko writes glyph widths (/W), TJ adjustments and the font descriptor's metrics in
  font units, right only for fonts of 1000 units to the em; Liberation Serif has 2048, so
  its text printed spread out twice as wide. Here everything is in thousandths of an em.
- The font is parsed once per process (not once per file), and the subset embedded in a
  file is made once per set of glyphs: a batch's agency and the digits of its times."""

from __future__ import annotations

import io
import logging
import zlib
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import uharfbuzz as hb
from fontTools import subset, ttLib
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngine
from pyhanko.pdf_utils.font.opentype import (
    CIDFontType2,
    GlyphAccumulator,
    GlyphAccumulatorFactory,
    _read_ps_name,
)
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import BasePdfFileWriter

from app import resources

# fontTools says so for every subset of Liberation Serif (a table it cannot subset, dropped)
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

ALPHABET = "0123456789+-:T "  # every time's characters: one subset for a whole batch
EM = 1000


@dataclass(frozen=True)
class _Face:
    """The font parsed once: its bytes, fontTools' tables, HarfBuzz's font at 1000/em."""

    data: bytes
    tt: Any
    hb_font: Any
    ps_name: str
    units: int
    widths: dict[int, int]


@lru_cache(maxsize=1)
def _face() -> _Face:
    data = (resources.fonts_dir() / "LiberationSerif-Regular.ttf").read_bytes()
    tt = ttLib.TTFont(io.BytesIO(data))
    hb_font = hb.Font(hb.Face(data))
    hb_font.scale = (EM, EM)
    units = tt["head"].unitsPerEm
    for table in ("hhea", "OS/2", "post", "cmap", "hmtx"):
        tt[table]  # read now, shared by every file after
    widths = {
        tt.getGlyphID(name): round(adv * EM / units)
        for name, (adv, _) in tt["hmtx"].metrics.items()
    }
    return _Face(data, tt, hb_font, _read_ps_name(tt), units, widths)


_subsets: dict[tuple[int, ...], bytes] = {}


def _font_file(cid_font: Any, program: bytes, writer: BasePdfFileWriter) -> generic.IndirectObject:
    stream = generic.StreamObject(
        {pdf_name("/Filter"): pdf_name("/FlateDecode")}, encoded_data=program
    )
    ref = writer.add_object(stream)
    cid_font._font_descriptor[pdf_name("/FontFile2")] = ref
    return ref


class _Glyphs(GlyphAccumulator):
    """pyHanko's glyph accumulator on the shared face, measuring in thousandths of an em."""

    def __init__(self, writer: BasePdfFileWriter, font_size: int, obj_stream: Any = None) -> None:
        face = _face()
        FontEngine.__init__(self, writer, face.ps_name, embedded_subset=True,
                            obj_stream=obj_stream, font_size=font_size)  # fmt: skip
        self._face = face
        self._font_ref = writer.allocate_placeholder()
        self.hb_font = face.hb_font
        self.tt = face.tt
        self.cff_charset = None
        self.use_raw_gids = True
        self.cidfont_obj = CIDFontType2(face.tt, face.ps_name, self.subset_prefix)
        descriptor = self.cidfont_obj._font_descriptor
        for key in ("/Ascent", "/Descent", "/CapHeight"):
            descriptor[pdf_name(key)] = generic.NumberObject(
                round(descriptor[key] * EM / face.units)
            )
        descriptor[pdf_name("/FontBBox")] = generic.ArrayObject(
            generic.NumberObject(round(v * EM / face.units)) for v in descriptor["/FontBBox"]
        )
        self.features = None
        self.units_per_em = EM
        self._glyphs: dict[int, tuple[int, int]] = {}
        self._glyph_set = None  # widths come from the shared hmtx table
        self._cid_to_unicode: dict[int, str] = {}
        self._GlyphAccumulator__reverse_cmap = None
        self.ot_language_tag = self.ot_script_tag = None
        self.writing_direction = None
        self.bcp47_lang_code = None
        self._subset_created = self._write_prepared = False

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        known = self._glyphs.get(glyph_id)
        if known is None:  # TrueType outlines: the CID is the glyph id
            known = self._glyphs[glyph_id] = (glyph_id, self._face.widths[glyph_id])
        return known

    def _extract_subset(self, options: Any = None) -> None:
        """The subset for these glyphs, made from a fresh copy of the font the first time
        (fontTools subsets in place; the shared face stays whole)."""
        key = tuple(sorted(self._glyphs))
        program = _subsets.get(key)
        if program is None:
            fresh = ttLib.TTFont(io.BytesIO(self._face.data))
            opts = subset.Options(layout_closure=False)
            opts.drop_tables += ["GPOS", "GDEF", "GSUB"]
            opts.retain_gids = True  # the CIDs written are the glyph ids
            subsetter = subset.Subsetter(options=opts)
            subsetter.populate(gids=list(key))
            subsetter.subset(fresh)
            buf = io.BytesIO()
            fresh.save(buf)
            program = _subsets[key] = zlib.compress(buf.getvalue(), 6)
            if len(_subsets) > 16:
                _subsets.pop(next(iter(_subsets)))
        self.cidfont_obj.set_font_file = partial(_font_file, self.cidfont_obj, program)  # type: ignore[method-assign]


@dataclass(frozen=True)
class _Serif(GlyphAccumulatorFactory):
    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: Any = None) -> _Glyphs:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return _Glyphs(writer, self.font_size, obj_stream)


@lru_cache(maxsize=1)
def font() -> GlyphAccumulatorFactory:
    return _Serif(str(resources.fonts_dir() / "LiberationSerif-Regular.ttf"))
