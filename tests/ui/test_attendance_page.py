"""The Điểm danh page driven from the keyboard, the scan dialog, scores and the preview."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.documents.attendance_sheet import SignInRow, SignInSheet, render_sign_in_sheet
from app.documents.common import Heading
from app.services import attendance, courses, enrolment, scheduling
from app.services.courses import CourseForm
from app.services.scheduling import SessionForm
from tests.app import world
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.dialogs.checkin_dialog import CheckInDialog
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog, page_images
from ui.dialogs.sign_in_sheet_dialog import SheetOptions, SignInSheetDialog
from ui.pages.attendance_page import AttendancePage
from ui.settings import ui_settings
from ui.workers import TaskRunner


@pytest.fixture
def course_db(sqlite_db: Database) -> Database:
    with sqlite_db.transaction() as s:
        people = [world.person(s, n) for n in ("Nguyễn Thị Hà", "Trần Văn Bình", "Lê Văn An")]
        c = courses.create(
            s, CourseForm("TH-2026-030", "Tập huấn VNeID", date(2026, 3, 2), date(2026, 3, 6))
        )
        for d in (2, 3):
            scheduling.add_session(s, c.id, SessionForm(date(2026, 3, d), time(7, 30), time(11, 0)))
        enrolment.enrol(s, c.id, people)
    return sqlite_db


@pytest.fixture
def page(
    vi_app: QApplication, qtbot: QtBot, course_db: Database, prompter: AnsweringPrompter
) -> AttendancePage:
    p = AttendancePage(UiContext(course_db, TaskRunner(), ui_settings(), "gv", prompter))
    qtbot.addWidget(p)
    p.resize(1100, 600)
    p.show()
    return p


def statuses(db: Database) -> dict[tuple[str, int], str]:
    with db.transaction(readonly=True) as s:
        g = attendance.grid(s, courses.by_code(s, "TH-2026-030").id)
        return {
            (r.full_name, c.number): r.marks[c.id].status
            for r in g.rows
            for c in g.sessions
            if c.id in r.marks
        }


def test_keyboard_marks_save_at_once_and_undo(page: AttendancePage, qtbot: QtBot) -> None:
    model = page.model
    assert model is not None
    assert [r.full_name for r in model.grid.rows] == ["Lê Văn An", "Trần Văn Bình", "Nguyễn Thị Hà"]
    page.table.setFocus()
    page.table.setCurrentIndex(model.index(0, 1))
    qtbot.keyClick(page.table, Qt.Key.Key_1)  # An present, moves down
    qtbot.keyClick(page.table, Qt.Key.Key_V)  # Bình absent
    qtbot.keyClick(page.table, Qt.Key.Key_M)  # Hà late
    assert page.table.currentIndex().row() == 2
    assert statuses(page.db) == {
        ("Lê Văn An", 1): "present",
        ("Trần Văn Bình", 1): "absent",
        ("Nguyễn Thị Hà", 1): "late",
    }
    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # cycles late -> excused
    assert statuses(page.db)[("Nguyễn Thị Hà", 1)] == "excused"
    assert model.data(model.index(2, 1)) == "P"
    page.undo_action.trigger()
    assert statuses(page.db)[("Nguyễn Thị Hà", 1)] == "late"
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert ("Nguyễn Thị Hà", 1) not in statuses(page.db)


def test_mark_all_present_then_fix_exceptions(page: AttendancePage, qtbot: QtBot) -> None:
    assert page.model is not None
    page.table.setCurrentIndex(page.model.index(0, 2))
    page.mark_all_present()
    assert list(statuses(page.db).values()) == ["present"] * 3
    assert page.model.data(page.model.index(1, 4)) == "50 %"  # % kế hoạch: 1 of 2 sessions


def test_scores_typed_in_the_grid_and_refused_out_of_scale(
    page: AttendancePage, prompter: AnsweringPrompter
) -> None:
    model = page.model
    assert model is not None
    post = model.columnCount() - 3
    assert model.setData(model.index(0, post), "8,5")
    assert model.grid.rows[0].post_score == 8.5
    warned = prompter.warned
    model.setData(model.index(0, post), "12")
    assert warned and "nằm ngoài thang điểm 0–10" in warned[0]
    assert model.grid.rows[0].post_score == 8.5


def test_check_in_dialog_shows_green_red_and_again(
    vi_app: QApplication, qtbot: QtBot, course_db: Database
) -> None:
    with course_db.transaction() as s:
        cid = courses.by_code(s, "TH-2026-030").id
        sid = scheduling.course_sessions(s, cid)[0].id
        code = s.execute(
            __import__("sqlalchemy").text(
                "SELECT checkin_code FROM people WHERE full_name = 'Nguyễn Thị Hà'"
            )
        ).scalar()

    def scan(value: str) -> attendance.CheckIn:
        with course_db.transaction() as s:
            return attendance.check_in(s, cid, sid, value, at=datetime(2026, 3, 2, 7, 35))

    dlg = CheckInDialog("TH-2026-030 buổi 1", scan, lambda pid: scan(""))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.input, code)
    qtbot.keyClick(dlg.input, Qt.Key.Key_Return)
    assert dlg.name.text() == "Nguyễn Thị Hà" and dlg.message.text() == "Có mặt lúc 07:35"
    assert "#1b7f3b" in dlg.name.styleSheet() and dlg.tally.text() == "Đã điểm danh: 1"
    assert dlg.input.text() == ""
    qtbot.keyClicks(dlg.input, code)
    qtbot.keyClick(dlg.input, Qt.Key.Key_Return)
    assert dlg.message.text() == "Nguyễn Thị Hà đã điểm danh lúc 07:35."
    qtbot.keyClicks(dlg.input, "KHONGCO1")
    qtbot.keyClick(dlg.input, Qt.Key.Key_Return)
    assert "#b00020" in dlg.name.styleSheet() and "Không nhận ra mã" in dlg.message.text()


def test_pdf_preview_renders_every_page(vi_app: QApplication, qtbot: QtBot) -> None:
    rows = [
        SignInRow(f"Lê Văn {i}", "1990", "UBND xã", "Công chức", "0903111222") for i in range(40)
    ]
    data = SignInSheet(
        Heading("UBND tỉnh Vĩnh Long", "Sở Khoa học và Công nghệ", "Vĩnh Long"),
        "TH-1",
        "Lớp",
        "Buổi 1",
        datetime(2026, 3, 2, 7, 30),
        datetime(2026, 3, 2, 11),
        "Hội trường",
        "",
        "Giám đốc",
        rows,
    )
    out = io.BytesIO()
    n = render_sign_in_sheet(data, out)
    images = page_images(out.getvalue(), 50)
    assert len(images) == n and images[0].width() < images[0].height()
    dlg = PdfPreviewDialog(out.getvalue(), "Danh sách ký tên", "ky-ten.pdf", ui_settings())
    qtbot.addWidget(dlg)
    assert len(dlg.pages) == n and dlg.print_button.text() == "In…"


def test_printing_paints_every_page(vi_app: QApplication, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from ui.dialogs.pdf_preview_dialog import print_to

    rows = [
        SignInRow(f"Lê Văn {i}", "1990", "UBND xã", "Công chức", "0903111222") for i in range(40)
    ]
    data = SignInSheet(
        Heading("UBND tỉnh Vĩnh Long", "Sở Khoa học và Công nghệ", "Vĩnh Long"),
        "TH-1",
        "Lớp",
        "Buổi 1",
        datetime(2026, 3, 2, 7, 30),
        datetime(2026, 3, 2, 11),
        "Hội trường",
        "",
        "Giám đốc",
        rows,
    )
    out = io.BytesIO()
    n = render_sign_in_sheet(data, out)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    assert print_to(printer, out.getvalue()) == n
    assert len(PdfReader(target).pages) == n


def test_print_sheet_runs_in_the_worker_then_previews(
    page: AttendancePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[PdfPreviewDialog] = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda self: shown.append(self) or 0)
    monkeypatch.setattr(SignInSheetDialog, "ask", classmethod(lambda cls, *a, **k: SheetOptions()))
    assert page.model is not None
    page.table.setCurrentIndex(page.model.index(0, 2))
    page.print_sheet()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown[0].file_name == "ky-ten-TH-2026-030-buoi-2.pdf" and len(shown[0].pages) == 1


def test_gain_column_shows_post_minus_pre(page: AttendancePage) -> None:
    model = page.model
    assert model is not None
    pre, post, gain = (model.columnCount() - k for k in (4, 3, 2))
    assert (
        model.extra(gain) == "gain" and model.headerData(gain, Qt.Orientation.Horizontal) == "Tăng"
    )
    model.setData(model.index(0, pre), "4,5")
    model.setData(model.index(0, post), "8")
    assert model.data(model.index(0, gain)) == "+3,5"


def test_the_preview_fits_a_landscape_page_to_its_width(vi_app: QApplication, qtbot: QtBot) -> None:
    """A landscape certificate is seen whole across: the dialog opens as wide as the page
    within the screen, and the page shrinks to the window when it is narrower (issue 15)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=landscape(A4))
    canvas.drawString(72, 72, "Giay chung nhan")
    canvas.showPage()
    canvas.save()
    dlg = PdfPreviewDialog(out.getvalue(), "Giấy chứng nhận", "gcn.pdf", ui_settings())
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    page_width = dlg.pages[0].width()  # 1123 px at 96 dpi
    room = dlg.screen().availableGeometry().width()
    assert dlg.width() >= min(page_width, room - 100)
    for width in (dlg.width(), 600):
        dlg.resize(width, 500)
        qtbot.waitUntil(
            lambda: dlg.page_labels[0].pixmap().width() <= dlg.scroll.viewport().width()
        )


def test_five_sessions_and_the_result_fit_a_1280_window(
    vi_app: QApplication, qtbot: QtBot, course_db: Database, prompter: AnsweringPrompter
) -> None:
    """The figures are as wide as their titles, so a five-session course shows its Kết quả
    column in a 1280-pixel window without scrolling sideways (issue 15)."""
    with course_db.transaction() as s:
        cid = courses.by_code(s, "TH-2026-030").id
        for d in (4, 5, 6):
            scheduling.add_session(s, cid, SessionForm(date(2026, 3, d), time(7, 30), time(11, 0)))
    p = AttendancePage(UiContext(course_db, TaskRunner(), ui_settings(), "gv", prompter))
    qtbot.addWidget(p)
    p.resize(1060, 600)  # 1280 less the navigation
    p.show()
    qtbot.waitExposed(p)
    header = p.table.horizontalHeader()
    last = p.model.columnCount() - 1
    assert p.model.headerData(last, Qt.Orientation.Horizontal) == "Kết quả"
    assert header.sectionPosition(last) + header.sectionSize(last) <= p.table.viewport().width()


def test_the_sheet_dialog_prints_phones_only_when_ticked(
    vi_app: QApplication, qtbot: QtBot
) -> None:
    dlg = SignInSheetDialog("Buổi 2, ngày 03/03/2026")
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.phones_box.isChecked() and dlg.qr_box.isChecked()
    box = dlg.phones_box  # on its tick box: the widget stretches beyond its text
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result_form == SheetOptions(phones=True, qr=True, blank_rows=5)


@pytest.mark.parametrize("phones", [False, True])
def test_print_sheet_with_or_without_phones(
    page: AttendancePage,
    course_db: Database,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    phones: bool,
) -> None:
    from app.services import people

    with course_db.transaction() as s:  # a phone number for Nguyễn Thị Hà
        (ha,) = people.ids_matching(s, people.PeopleFilter(search="Nguyễn Thị Hà"))
        people.get_person(s, ha).phone = "0903111222"
    shown: list[PdfPreviewDialog] = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda self: shown.append(self) or 0)
    chosen = SheetOptions(phones=phones, qr=False)
    monkeypatch.setattr(SignInSheetDialog, "ask", classmethod(lambda cls, *a, **k: chosen))
    page.print_sheet()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(shown[0].pdf)).pages[0].extract_text()
    assert "Hà" in text and ("0903111222" in text) is phones
