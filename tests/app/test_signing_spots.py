"""Where the visible digital signature goes on the report and the register: the room
closing() left for the signer, on the last page, between the title and the name; the
paper is the same as without signing."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from app.documents.register import RegisterLine, render_register
from app.documents.report import render_report
from app.signing.spot import Spot
from tests.app.test_document_closings import DATED, HEADING, TITLE, heights
from tests.app.test_report_decree30 import big_report


def register(lines: int, spots: list[Spot] | None) -> bytes:
    rows = [
        RegisterLine(f"{i:04d}/GCN", str(i), f"Người số {i:03d}", "1989", "Nam", "Xã A",
                     "K1 – Kỹ năng số", "Hoàn thành", date(2026, 3, 6), "")
        for i in range(1, lines + 1)
    ]  # fmt: skip
    out = io.BytesIO()
    render_register(HEADING, "Năm 2026", rows, TITLE, out, date(2026, 3, 6), "Nguyễn Văn Tâm",
                    spots=spots)  # fmt: skip
    return out.getvalue()


def check(data: bytes, spots: list[Spot], title_last: str, name: str) -> None:
    assert spots, "no spot noted"
    spot = spots[-1]
    last = len(PdfReader(io.BytesIO(data)).pages) - 1
    assert spot.page == last
    left, bottom, right, top = spot.box
    at = heights(data, last)
    assert at[name] + 9 < bottom  # the name (its capitals and accents) below the room
    assert top <= at[title_last] - 2  # the title above it
    assert right - left > 200  # the signer's column: room for seal, signature and text
    assert top - bottom > 60  # at least 24 mm


def test_the_register_notes_the_signers_room_on_its_last_page() -> None:
    for lines in (5, 45):  # one page, and a second page
        spots: list[Spot] = []
        data = register(lines, spots)
        check(data, spots, "(Ký tên, đóng dấu)", "Nguyễn Văn Tâm")
        assert data == register(lines, None)  # the paper is the same, the room blank
        assert DATED in " ".join(heights(data, spots[-1].page))


def test_the_report_notes_the_signers_room_on_its_last_page() -> None:
    spots: list[Spot] = []
    out = io.BytesIO()
    render_report(big_report(), out, spots)
    data = out.getvalue()
    check(data, spots, "GIÁM ĐỐC", "Nguyễn Văn Tâm")
    plain = io.BytesIO()
    render_report(big_report(), plain)
    assert data == plain.getvalue()
