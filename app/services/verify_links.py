"""The verification address printed in a certificate's QR code, and reading one back.

The department's address (`verify_url`) may carry its own query string
(`https://dichvucong.vinhlong.gov.vn/tra-cuu?loai=gcn`): the code is added as one more
parameter (`&ma=CODE`, or `?ma=CODE` when there is none). Reading a scanned link back, the
address counts as the department's when the scheme, host, path (with or without a final
slash) and every other parameter are the same; the fragment is never sent to a server and
is not compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

CODE_PARAMETER = "ma"


@dataclass(frozen=True)
class Address:
    """What makes two verification addresses the same place."""

    scheme: str
    host: str
    path: str
    parameters: tuple[tuple[str, str], ...]  # sorted, without the code's


def link(url: str, code: str) -> str:
    """The text of the QR code: the address with the code as its `ma` parameter, and no
    character more (empty parameters, a `&` at either end, are left out: every character
    makes the printed code's modules smaller)."""
    parts = urlsplit(url.strip())
    kept = [p for p in parts.query.split("&") if p]
    query = "&".join([*kept, f"{CODE_PARAMETER}={quote(code, safe='')}"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def address(url: str) -> Address:
    """The place a link points to, whatever code it carries."""
    parts = urlsplit(url.strip())
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    return Address(
        parts.scheme.lower(),
        parts.netloc.lower(),
        parts.path.rstrip("/"),
        tuple(sorted((k, v) for k, v in pairs if k != CODE_PARAMETER)),
    )


def codes(url: str) -> list[str]:
    """The codes a scanned link carries (one, for a link TapHuan printed)."""
    pairs = parse_qsl(urlsplit(url.strip()).query, keep_blank_values=True)
    return [v.strip() for k, v in pairs if k == CODE_PARAMETER]


def has_code_parameter(url: str) -> bool:
    """Whether an address already uses the code's parameter name (it cannot be configured)."""
    return any(k == CODE_PARAMETER for k, _ in parse_qsl(urlsplit(url).query, True))
