"""Search as you type on the scale-25 demo (100,000 people): ms per keystroke.

    python bench/people_search.py

Each keystroke runs what the Học viên table runs: the sorted ids of every match, then
the first page of 200 rows by id. Prints median and 95th percentile. A figure, not a test.
"""

from __future__ import annotations

import sys
import time

from common import demo_database, percentile

from app.db import Database
from app.services import people
from app.services.people import PeopleFilter

TYPED = [
    "nguyen thi ha",
    "tran van binh",
    "le minh",
    "huynh ngoc an",
    "vo thanh son",
    "0903",
    "083186",
    "pham thi thanh thao",
    "dang huu phuc",
    "ha",
]


def main() -> int:
    db = Database(str(demo_database(25)))
    with db.transaction(readonly=True) as s:
        total = people.count(s)
    timings: list[float] = []
    for text in TYPED:
        for end in range(1, len(text) + 1):
            f = PeopleFilter(search=text[:end])
            started = time.perf_counter()
            with db.transaction(readonly=True) as s:
                ids = people.ids_matching(s, f)
                people.rows_for(s, ids[:200])
            timings.append((time.perf_counter() - started) * 1000)
    db.close()
    print(f"{len(timings)} keystrokes over {total:,} people (sorted ids + first page of 200)")
    print(
        f"median {percentile(timings, 0.5):6.1f} ms   p95 {percentile(timings, 0.95):6.1f} ms   "
        f"max {max(timings):6.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
