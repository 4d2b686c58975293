"""The Báo cáo page on a real database: figures split in person / online, the charts,
a click on a bar listing the people behind it, the period and area filters, and the
report as PDF (preview) and .xlsx."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from app.db import Database
from tests.app import test_reports
from ui.context import UiContext
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from ui.dialogs.people_list_dialog import PeopleListDialog
from ui.pages.reports_page import ReportsPage, period_dates
from ui.workers import TaskRunner


@pytest.fixture
def page(vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, runner: TaskRunner,
         qsettings: QSettings) -> ReportsPage:  # fmt: skip
    """The page on the four people of test_reports, showing the year 2024."""
    test_reports.build(sqlite_db)
    page = ReportsPage(UiContext(sqlite_db, runner, qsettings, "test"))
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    page.year.setCurrentIndex(page.year.findData(2024))
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.filter.start.year == 2024)
    return page


def cell(page: ReportsPage, row: int, column: int) -> str:
    return page.figures.item(row, column).text()


def test_figures_split_in_person_and_online(page: ReportsPage, qtbot: QtBot) -> None:
    # Rows: people, courses, sessions, attendance, completion, certificates.
    assert [cell(page, 0, c) for c in range(3)] == ["2", "2", "3"]
    assert [cell(page, 3, c) for c in range(3)] == ["37,5%", "50,0%", "41,7%"]
    assert [cell(page, 4, c) for c in range(3)] == ["50,0%", "–", "50,0%"]
    assert page.coverage.verticalHeaderItem(0).text() == "Cấp xã"
    assert [page.coverage.item(0, c).text() for c in range(3)] == ["1", "1", "100,0%"]
    assert page.coverage_note.text() == "Các cấp trước ngày 01/07/2025: tỉnh, huyện, xã, ấp."
    assert page.state.text() == "Kỳ 01/01/2024 – 31/12/2024: 3 người được tập huấn."  # no "ms"
    titles = [c.figure.get_suptitle() for c in page.canvases]
    assert titles[0] == "Số người được tập huấn theo tháng"
    # Each period kind gives its first and last day.
    assert period_dates("quarter", 2024, 1) == (period_dates("month", 2024, 1)[0],
                                                period_dates("month", 2024, 3)[1])  # fmt: skip
    assert [f"{d:%d/%m/%Y}" for d in period_dates("month", 2024, 2)] == ["01/02/2024", "29/02/2024"]
    assert [f"{d:%d/%m/%Y}" for d in period_dates("quarter", 2024, 4)] == [
        "01/10/2024",
        "31/12/2024",
    ]


def click_bar(qtbot: QtBot, page: ReportsPage, chart: int, bar: int) -> None:
    """A real mouse click on the middle of a bar (display pixels count from the bottom)."""
    canvas = page.canvases[chart]
    canvas.draw()
    patch = canvas.figure.axes[0].patches[bar]
    box = patch.get_window_extent()
    ratio = canvas.device_pixel_ratio
    x, y = (box.x0 + box.x1) / 2 / ratio, canvas.height() - (box.y0 + box.y1) / 2 / ratio
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(x), round(y)))


def test_clicking_a_bar_lists_the_people_behind_it(
    page: ReportsPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[PeopleListDialog] = []
    monkeypatch.setattr(PeopleListDialog, "open", lambda self: opened.append(self))
    click_bar(qtbot, page, 0, 2)  # trainees per month: March 2024
    qtbot.waitUntil(lambda: len(opened) == 1)  # read in the worker, then shown
    dialog = opened[0]
    assert dialog.windowTitle() == "Người được tập huấn – tháng 03/2024"
    assert dialog.count.text() == "3 người"
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["Lê Văn An", "Trần Văn Bình", "Nguyễn Thị Hà"]
    assert [dialog.table.item(r, 3).text() for r in range(3)] == ["1", "1", "3"]

    click_bar(qtbot, page, 5, 0)  # team coverage: the commune team, Hà alone
    qtbot.waitUntil(lambda: len(opened) == 2)
    assert opened[1].windowTitle() == "Người được tập huấn – cấp xã (thành viên tổ)"
    assert opened[1].table.item(0, 0).text() == "Nguyễn Thị Hà"

    target = tmp_path / "ds.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert dialog.export() == target
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0] == ("Họ và tên", "Ngày sinh", "Nơi ở / công tác", "Số buổi có mặt")
    assert [r[0] for r in rows[1:]] == names


def test_area_roll_up_and_a_bad_custom_period(page: ReportsPage, qtbot: QtBot) -> None:
    page.area.setCurrentIndex(page.area.findText("Xã Đại Điền"))
    qtbot.waitUntil(lambda: page.dashboard.filter.unit_id is not None)
    qtbot.waitUntil(lambda: cell(page, 0, 2) == "3")  # An, and Hà and Bình of the old commune
    page.roll_up.setChecked(False)
    qtbot.waitUntil(lambda: not page.dashboard.filter.roll_up)
    assert cell(page, 0, 2) == "1"  # An alone

    shown = page.dashboard
    page.period.setCurrentIndex(page.period.findData("custom"))
    qtbot.waitUntil(lambda: page.dashboard is not shown)  # the custom range starts as 2024
    assert page.start_edit.text() == "01/01/2024" and page.start_edit.isVisible()
    shown = page.dashboard
    page.start_edit.setText("31/12/2024")
    page.end_edit.setText("01/01/2024")
    page.refresh()
    assert page.state.text() == (
        "Ngày bắt đầu (31/12/2024) ở sau ngày kết thúc (01/01/2024) của kỳ báo cáo."
    )
    page.end_edit.setText("31/02/2024")
    page.refresh()
    assert "tháng 2/2024 không có ngày 31" in page.state.text()
    assert page.dashboard is shown  # nothing recomputed


def test_report_pdf_preview_and_xlsx_export(
    page: ReportsPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[bytes] = []

    def exec_(self: PdfPreviewDialog) -> int:
        opened.append(self.pdf)
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", exec_)
    page.pdf_action.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    pages = PdfReader(io.BytesIO(opened[0])).pages
    text = " ".join(unicodedata.normalize("NFC", " ".join(p.extract_text() for p in pages)).split())
    assert "BÁO CÁO" in text and "Từ ngày 01/01/2024 đến ngày 31/12/2024" in text

    target = tmp_path / "bc.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.toolbar.actions()[2].trigger()
    qtbot.waitUntil(target.exists, timeout=15000)
    assert openpyxl.load_workbook(target).sheetnames[0] == "Tổng hợp"
    qtbot.waitUntil(lambda: page.state.text().startswith("Đã xuất báo cáo (6 trang tính)"))


def test_charts_grow_with_the_window(page: ReportsPage, qtbot: QtBot) -> None:
    canvas = page.canvases[0]
    page.resize(1000, 700)
    qtbot.waitUntil(lambda: canvas.width() < 500)
    small = canvas.width(), canvas.height()
    page.resize(1900, 2000)
    qtbot.waitUntil(lambda: canvas.width() > small[0])
    assert canvas.height() > 1.3 * small[1]  # three rows of charts share a tall window
    canvas.draw()
    left, _bottom, right, _top = canvas.figure.axes[0].get_position().extents
    assert right - left > 0.6  # the axes fill the wider figure, laid out again
