"""An expat parser for the parts of an .xlsx, as safe as defusedxml's.

The sheet and its shared strings are read with expat's callbacks directly, without
building an element per cell: a worksheet is millions of elements. What defusedxml refuses
is refused here too, by the same exception type (a ValueError): entity declarations (the
"billion laughs"), external entities and unparsed entities. Sizes are bounded before a byte
is inflated (app.xlsx_parts) and row by row while reading (app.xlsx_stream).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _entity(name: str, *args: Any) -> None:
    raise EntitiesForbidden(name, None, None, None, None, None)


def _external(context: Any, base: Any, sysid: Any, pubid: Any) -> None:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def expat_parser(
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    data: Callable[[str], None] | None,
) -> Any:
    """A namespace-aware parser ("ns}local" names) calling start/end/data."""
    parser = expat.ParserCreate(None, "}")
    parser.buffer_text = True
    parser.buffer_size = 65536
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if data is not None:
        parser.CharacterDataHandler = data
    parser.EntityDeclHandler = _entity
    parser.UnparsedEntityDeclHandler = _entity
    parser.ExternalEntityRefHandler = _external
    return parser
