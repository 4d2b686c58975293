"""Vietnamese personal names: normalise, split, sort and search.

Names sort by given name, then middle, then family name. Within a syllable the letters
decide first, in the alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
then the tone: none, grave, hook, tilde, acute, dot.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.errors import InvalidValue
from app.vn import chars

# Foreign letters (f j w z) sit where the Latin alphabet puts them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {ch: chr(0x41 + i) for i, ch in enumerate(ALPHABET)}

_TONE_MARKS = {
    "\u0300": 1,  # grave: huyền
    "\u0309": 2,  # hook above: hỏi
    "\u0303": 3,  # tilde: ngã
    "\u0301": 4,  # acute: sắc
    "\u0323": 5,  # dot below: nặng
}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter

# Syllable end and part end sort below every letter and digit, so "Ha" < "Han" and a
# shorter part sorts first.
_SYLLABLE_END = ","
_PART_END = "+"

# Family names of more than one word, longest first.
COMPOUND_FAMILY_NAMES = (
    "Công Tằng Tôn Nữ",
    "Tôn Thất",
    "Tôn Nữ",
    "Âu Dương",
    "Nguyễn Phúc",
    "Nguyễn Phước",
    "Hoàng Phủ",
    "Tư Mã",
    "Gia Cát",
    "Thượng Quan",
    "Lê Phước",
)

_SPACES = re.compile(r"\s+")
# Latin letters that old Vietnamese encodings and fonts left where Vietnamese letters
# belong: Ð/ð (eth, Icelandic) drawn for Đ/đ, ı (dotless i, Turkish) for i. They look
# the same on screen, so a name holding one would never be found by search: they are
# changed into the Vietnamese letter.
LOOKALIKES = {
    "\u00d0": "Đ",  # LATIN CAPITAL LETTER ETH
    "\u00f0": "đ",  # LATIN SMALL LETTER ETH
    "\u0189": "Đ",  # LATIN CAPITAL LETTER AFRICAN D
    "\u0131": "i",  # LATIN SMALL LETTER DOTLESS I
}
_LOOKALIKE_TABLE = str.maketrans(LOOKALIKES)
_ALLOWED = re.compile(r"^[^\W\d_]+(?:[-'][^\W\d_]+)*$")


@dataclass(frozen=True)
class NameParts:
    full: str
    family: str
    middle: str
    given: str


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalise(text: str) -> str:
    """NFC, trimmed, single spaces, each syllable capitalised: "  cù thanh sơn " -> "Cù Thanh Sơn"."""
    words = _SPACES.sub(" ", nfc(text)).strip().split(" ")
    return " ".join(_capitalise(w) for w in words if w)


def _capitalise(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def lookalikes(text: str) -> list[str]:
    """The look-alike letters in a name, in order, each once."""
    return list(dict.fromkeys(ch for ch in text if ch in LOOKALIKES))


def fix_lookalikes(text: str) -> str:
    """ "Ðặng Văn Nam" (with U+00D0) -> "Đặng Văn Nam"."""
    return text.translate(_LOOKALIKE_TABLE)


def validate(text: str) -> str:
    """The normalised name, or InvalidValue with a Vietnamese message. Look-alike
    letters (LOOKALIKES) become the Vietnamese letter they stand for."""
    raw = nfc(fix_lookalikes(text))
    problem = chars.hidden_character(raw) or chars.foreign_letter(raw)
    if problem:
        raise InvalidValue(f"Họ tên {problem}; hãy xóa ký tự đó và gõ lại.")
    name = normalise(raw)
    if not name:
        raise InvalidValue("Họ tên không được để trống.")
    if len(name) > 150:
        raise InvalidValue("Họ tên dài quá 150 ký tự.")
    for word in name.split(" "):
        if not _ALLOWED.match(word):
            raise InvalidValue(f"Họ tên chỉ gồm chữ cái; “{word}” có ký tự không hợp lệ.")
    return name


def split(full_name: str) -> NameParts:
    """Family, middle and given name. A single word is a given name."""
    name = normalise(full_name)
    words = name.split(" ") if name else []
    if not words:
        return NameParts("", "", "", "")
    if len(words) == 1:
        return NameParts(name, "", "", words[0])
    family_len = 1
    for compound in COMPOUND_FAMILY_NAMES:
        n = compound.count(" ") + 1
        if len(words) > n and " ".join(words[:n]) == compound:
            family_len = n
            break
    family = " ".join(words[:family_len])
    middle = " ".join(words[family_len:-1])
    return NameParts(name, family, middle, words[-1])


def join(family: str, middle: str, given: str) -> str:
    return normalise(" ".join(p for p in (family, middle, given) if p))


def _syllable_key(syllable: str) -> str:
    letters: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if ch in _TONE_MARKS:
            tone = _TONE_MARKS[ch]
        elif ch in _LETTER_MARKS:
            if letters:
                base = letters.pop()
                letters.append(unicodedata.normalize("NFC", base + ch))
        elif unicodedata.category(ch) != "Mn":
            letters.append(ch)
    out = []
    for letter in letters:
        if letter in _LETTER_CODE:
            out.append(_LETTER_CODE[letter])
        elif letter.isdigit():
            out.append(letter)
        else:
            folded = fold(letter)
            out.append(_LETTER_CODE.get(folded, "~") if len(folded) == 1 else "~")
    return "".join(out) + _SYLLABLE_END + str(tone)


def _part_key(part: str) -> str:
    return "".join(_syllable_key(s) for s in part.replace("-", " ").split() if s)


def sort_key(parts: NameParts) -> str:
    """Byte-ordered key: given, then middle, then family; letters before tones."""
    key = _PART_END.join(_part_key(p) for p in (parts.given, parts.middle, parts.family))
    return key[:200]


def fold(text: str) -> str:
    """Diacritics folded, đ -> d, lowercase, single spaces: what search compares."""
    decomposed = unicodedata.normalize(
        "NFD", fix_lookalikes(text).lower().replace("đ", "d").replace("Đ", "d")
    )
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip()


def search_key(full_name: str) -> str:
    return fold(full_name)[:200]


def stored_fields(full_name: str) -> dict[str, str]:
    """The name columns a person row stores, derived from one typed name."""
    parts = split(full_name)
    return {
        "full_name": parts.full,
        "family_name": parts.family,
        "middle_name": parts.middle,
        "given_name": parts.given,
        "sort_key": sort_key(parts),
        "search_key": search_key(parts.full),
    }
