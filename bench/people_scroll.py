"""Scroll the Học viên table from top to bottom on 100,000 people: ms and peak memory.

    python bench/people_scroll.py

A real QTableView (offscreen) over PeopleTableModel; the scroll bar is dragged to the
bottom until every page is fetched. A figure, not a test.
"""

from __future__ import annotations

import os
import resource
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import demo_database

from app.db import Database
from app.services import people
from app.services.people import PeopleFilter


def main() -> int:
    from PySide6.QtWidgets import QApplication, QTableView

    from ui.itemmodels.people_table_model import PeopleTableModel

    app = QApplication([])
    db = Database(str(demo_database(25)))

    def find_ids(f: PeopleFilter) -> list[int]:
        with db.transaction(readonly=True) as s:
            return people.ids_matching(s, f)

    def fetch_rows(ids: list[int]) -> list[people.PersonRow]:
        with db.transaction(readonly=True) as s:
            return people.rows_for(s, ids)

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    model = PeopleTableModel(find_ids, fetch_rows)
    view = QTableView()
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    started = time.perf_counter()
    model.set_filter(PeopleFilter())
    first = (time.perf_counter() - started) * 1000
    bar = view.verticalScrollBar()
    steps = 0
    while model.canFetchMore() or bar.value() < bar.maximum():
        bar.setValue(bar.maximum())
        app.processEvents()
        steps += 1
    total = (time.perf_counter() - started) * 1000
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"{model.rowCount():,} rows in {steps} scrolls: first page {first:.0f} ms, "
        f"top to bottom {total:,.0f} ms ({total / max(1, model.rowCount() // 200):.1f} ms a page of 200)"
    )
    print(f"peak memory {peak / 1024:.0f} MiB (before the table: {before / 1024:.0f} MiB)")
    db.close()
    sys.stdout.flush()
    os._exit(0)  # PySide6 can crash tearing down a QApplication at interpreter exit


if __name__ == "__main__":
    sys.exit(main())
