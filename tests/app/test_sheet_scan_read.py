"""Reading the generated scans back (issue 19; tests/scans/make_scans.py): no person cell
decided against the truth, at most 2 % uncertain, every page read or listed with its
reason, every handwritten walk-in name shown; and the outlined page to look at."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.scan import ink, read_files
from app.scan.overlay import COLOURS, overlay
from tests.scans import make_scans


def test_the_generated_subset_is_read_without_a_silent_error(tmp_path: Path) -> None:
    truth: dict[tuple[str, int], make_scans.ScanPage] = {}
    geometries = {}
    for seed in make_scans.TEST_SEEDS:
        case = make_scans.case(seed)
        truth |= make_scans.write_case(case, tmp_path)
        geometries[case.pages[0].sheet_code] = case.geometry
    kinds = {(p.phone, p.dpi) for p in truth.values()}
    assert kinds == {(True, 150), (False, 300)}  # a phone's photos and a scanner's PDF
    files = sorted({tmp_path / name for name, _i in truth})
    tally = make_scans.Tally()
    readings = list(read_files(files, geometries.get))
    assert sorted((r.source.name, r.index) for r in readings) == sorted(truth)  # none lost
    for r in readings:
        tally.add(truth[(r.source.name, r.index)], r)
    assert tally.errors == []
    assert tally.cells >= 60 and tally.uncertain <= 0.02 * tally.cells
    assert tally.refused == [] and tally.walk_ins_missed == []
    assert any(p.walk_in_names for p in truth.values())  # the set has names to show


def test_the_full_set_has_at_least_40_pages() -> None:
    pages = 0
    for seed in make_scans.FULL_SEEDS:
        _pdf, geometry = make_scans.sheet(seed, people=22 + seed % 3 * 8, qr=seed % 3 == 0)
        pages += geometry.pages
    assert pages >= 40


def test_the_overlay_outlines_each_cell_in_the_colour_of_its_verdict() -> None:
    case = make_scans.case(1)
    page = case.pages[0]
    drawn = overlay(page.image.min(axis=2), {page.sheet_code: case.geometry}.get)
    rows = [r for r in case.geometry.rows if r.page == page.page]
    for r in rows:
        x0, y0, x1, y1 = ink.box(ink.Cell(*case.geometry.sign_x, r.y_bottom, r.y_top),
                                 case.geometry.page_h)  # fmt: skip
        edge = drawn[y0 + 3, (x0 + x1) // 2]  # on the outline's top side
        signed = page.truth.get(r.row_no)
        if signed is not None:
            want = COLOURS[ink.SIGNED if signed else ink.EMPTY]
            assert tuple(int(v) for v in edge) == want, r.row_no
    assert drawn.shape[2] == 3 and np.any(drawn != drawn[..., :1])
