"""Characters that do not belong in what people type, named so that they can be found.

Two kinds slip through copy and paste and cannot be seen: invisible characters (zero-width
spaces, the Hangul fillers that pass for letters, direction marks) and letters of another
script that look Latin (Cyrillic "А", Greek "Ο"). A name holding either would never be
found by search and would print oddly, so it is refused with the character's code point.
"""

from __future__ import annotations

import unicodedata

# Letters and marks that draw nothing although Unicode does not class them as format
# characters; the rest of the invisible ones are the categories below.
_BLANK_LETTERS = frozenset(
    {
        0x115F,  # HANGUL CHOSEONG FILLER
        0x1160,  # HANGUL JUNGSEONG FILLER
        0x3164,  # HANGUL FILLER
        0xFFA0,  # HALFWIDTH HANGUL FILLER
        0x2800,  # BRAILLE PATTERN BLANK
        0x034F,  # COMBINING GRAPHEME JOINER
        0x17B4,  # KHMER VOWEL INHERENT AQ
        0x17B5,  # KHMER VOWEL INHERENT AA
        0x180E,  # MONGOLIAN VOWEL SEPARATOR
    }
)
# Format (zero-width, direction marks, soft hyphen), control, private use, unassigned.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Cs"})
_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c")  # a line break in a cell is a space

_SCRIPTS = {
    "CYRILLIC": "chữ Kirin",
    "GREEK": "chữ Hy Lạp",
    "ARMENIAN": "chữ Armenia",
    "CHEROKEE": "chữ Cherokee",
    "COPTIC": "chữ Copt",
    "FULLWIDTH": "chữ Latinh toàn độ rộng (fullwidth)",
    "MATHEMATICAL": "ký hiệu toán học",
}


def code_point(ch: str) -> str:
    """ "U+200B (ZERO WIDTH SPACE)": what a person can search for or show to IT."""
    return f"U+{ord(ch):04X} ({unicodedata.name(ch, 'KHÔNG CÓ TÊN')})"


def is_invisible(ch: str) -> bool:
    if ord(ch) in _BLANK_LETTERS:
        return True
    return unicodedata.category(ch) in _INVISIBLE_CATEGORIES and ch not in _WHITESPACE_CONTROLS


def _where(text: str, index: int) -> str:
    before = " ".join(text[:index].split())[-24:]
    return f"sau “{before}”" if before else "ở đầu"


def hidden_character(text: str) -> str | None:
    """ "có ký tự vô hình U+200B (ZERO WIDTH SPACE) sau “Lê”", or None."""
    for index, ch in enumerate(text):
        if is_invisible(ch):
            return f"có ký tự vô hình {code_point(ch)} {_where(text, index)}"
    return None


def foreign_letter(text: str) -> str | None:
    """ "có chữ “А” (U+0410 CYRILLIC CAPITAL LETTER A) là chữ Kirin, …", or None.

    Vietnamese is written in Latin letters; so are the names of the Khmer, Chăm and other
    peoples of the province on their papers."""
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN "):
            continue
        script = _SCRIPTS.get(name.split(" ", 1)[0])
        kind = (
            f"là {script}, không phải chữ Latinh của tiếng Việt dù trông giống"
            if script
            else "không phải chữ Latinh của tiếng Việt"
        )
        return f"có chữ “{ch}” (U+{ord(ch):04X} {name or 'KHÔNG CÓ TÊN'}) {kind}"
    return None
