"""The attendance grid for 300 people × 10 sessions: ms to open; ms per mark (saved, audited).

python bench/attendance_grid.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from app.db import Database
from app.services import courses, enrolment, person_edit, scheduling
from app.services.courses import CourseForm
from app.services.scheduling import SessionForm


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.launcher import application
    from ui.pages.attendance_page import AttendancePage
    from ui.settings import ui_settings
    from ui.workers import TaskRunner

    folder = Path(tempfile.mkdtemp(prefix="taphuan-grid-"))
    os.environ["TAPHUAN_DATA_DIR"] = str(folder)
    db = Database(str(folder / "grid.db"))
    db.upgrade()
    with db.transaction() as s:
        ids = [
            person_edit.create(
                s, person_edit.PersonForm(full_name=f"Nguyễn Văn Học Viên {i:03d}")
            ).id
            for i in range(300)
        ]
        c = courses.create(
            s, CourseForm("TH-2026-900", "Lớp 300 người", date(2026, 3, 2), date(2026, 3, 20))
        )
        for k in range(10):
            scheduling.add_session(
                s,
                c.id,
                SessionForm(date(2026, 3, 2 + k + (k // 5) * 2), clock(7, 30), clock(11, 0)),
            )
        enrolment.enrol(s, c.id, ids)
    app: QApplication = application()
    started = time.perf_counter()
    page = AttendancePage(db, TaskRunner(), ui_settings(), "b")
    page.resize(1400, 800)
    page.show()
    app.processEvents()
    opened = (time.perf_counter() - started) * 1000
    assert page.model is not None and page.model.rowCount() == 300
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 1))
    timings = []
    for _ in range(300):
        started = time.perf_counter()
        QTest.keyClick(page.table, Qt.Key.Key_1)  # mark present, saved and audited, move down
        app.processEvents()
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"grid of 300 people × 10 sessions: open {opened:.0f} ms (course list, grid query, model, first paint)"
    )
    print(
        f"per mark from the keyboard (save + audit + repaint): median {statistics.median(timings):.1f} ms, "
        f"max {max(timings):.1f} ms over 300 marks"
    )
    db.close()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
