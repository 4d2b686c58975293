"""The text a certificate's QR code holds when no verification address is set, and reading
it back.

A phone's camera shows a QR code's text as it is, so the text says what the paper is:
"GCN số 0001/GCN-SKHCN · Lê Văn An · Kỹ năng số cơ bản · cấp 21/10/2026 · mã SFHWQCA8Q5"
(serial, holder, course title shortened on a word boundary, date of issue, verification
code). It stays short: the code is printed 27 mm wide, and every byte makes its modules
smaller. At most MAX_BYTES of UTF-8 (a version 8 code, 49 × 49 modules of 0.51 mm, that
zxing-cpp reads from a page rendered at 150 dpi and blurred; a version 10 or 11 one it does
not): a title of more than TITLE_LIMIT characters is cut, and when a long serial and a long
name leave no room, the longer of name and title is cut further, a character at a time,
never below NAME_MIN and TITLE_MIN characters.

Certificates issued before this form keep the `TAPHUAN|serial|code` they were printed with.
"""

from __future__ import annotations

import unicodedata
from datetime import date

PREFIX = "GCN số "
SEPARATOR = " · "
CODE_MARK = "mã "
MAX_BYTES = 150  # of UTF-8: what a version 8 code holds at error correction M
TITLE_LIMIT = 40  # characters of the course title, "…" included
TITLE_MIN = 20
NAME_LIMIT = 60  # longer than any real Vietnamese name (Person.full_name allows 150)
NAME_MIN = 24
ELLIPSIS = "…"
_TRAILING = " ,;:.–-—·/("  # not left before the "…" of a shortened text
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))


def canonical(text: str) -> str:
    """The text as compared: NFC, runs of whitespace as one space (phone apps and scanners
    may decompose Vietnamese letters or change spaces)."""
    text = text.translate(_INVISIBLE)  # zero-width spaces a copy and paste may bring
    return " ".join(unicodedata.normalize("NFC", text).split())


def shorten(text: str, limit: int) -> str:
    """The text cut on a word boundary to at most limit characters, "…" included."""
    text = canonical(text)
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:  # mid-word: back to the word's start
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(_TRAILING) + ELLIPSIS


def printed_text(serial: str, full_name: str, course_title: str, issued_on: date, code: str) -> str:
    """The QR code's text for a certificate issued without a verification address."""
    serial, code = canonical(serial), canonical(code)

    def text(name_limit: int, title_limit: int) -> str:
        name, title = shorten(full_name, name_limit), shorten(course_title, title_limit)
        return SEPARATOR.join(
            (f"{PREFIX}{serial}", name, title, f"cấp {issued_on:%d/%m/%Y}", f"{CODE_MARK}{code}")
        )

    name_limit = min(NAME_LIMIT, len(canonical(full_name)))
    title_limit = min(TITLE_LIMIT, len(canonical(course_title)))
    found = text(name_limit, title_limit)
    while len(found.encode("utf-8")) > MAX_BYTES:  # the longer of the two gives way first
        if name_limit > NAME_MIN and (name_limit > title_limit or title_limit <= TITLE_MIN):
            name_limit -= 1
        elif title_limit > TITLE_MIN:
            title_limit -= 1
        else:  # the serial itself is long: the code grows a version, no further
            break
        found = text(name_limit, title_limit)
    return found


def is_printed_form(scanned: str) -> bool:
    """Whether a scanned text has this form's beginning (then it is read strictly)."""
    return canonical(scanned).casefold().startswith(PREFIX.casefold())


def parts(scanned: str) -> tuple[str, str] | None:
    """The serial and the verification code a text of this form names, or None when it
    has not the form's shape."""
    text = canonical(scanned)
    head, sep, _rest = text[len(PREFIX) :].partition(SEPARATOR)
    before, mark, code = text.rpartition(SEPARATOR + CODE_MARK)
    if not sep or not mark or not head or not code or " " in code or len(before) < len(PREFIX):
        return None
    return head, code
