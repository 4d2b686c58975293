"""The import wizard shows where every row went, lists the warnings, and can be strict."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import people
from tests.app import sheets
from ui.context import UiContext
from ui.dialogs.import_wizard import ImportWizard
from ui.import_jobs import import_jobs
from ui.settings import ui_settings
from ui.workers import TaskRunner


def doubtful_list(tmp_path: Path) -> Path:
    return sheets.simple_workbook(
        tmp_path / "nghi.xlsx",
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "SĐT"],
        [
            [1, "Lê Thị Bé", "02/05/1986", "Nữ", "0123456789"],
            [2, "Trần Văn Nam", "1979", "Nam", "0903111222"],
            [None, None, None, None, None],
            [3, "Võ Minh Tâm", "1990", "Nam", "0903111223"],
            [None, "Người lập biểu", None, None, "TM. UBND XÃ"],
        ],
    )


def open_preview(qtbot: QtBot, db: Database, runner: TaskRunner, path: Path) -> ImportWizard:
    wizard = ImportWizard(
        import_jobs(UiContext(db, runner, ui_settings(), "can-bo")), runner, ui_settings()
    )
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview.plan is not None, timeout=5000)
    return wizard


def test_result_page_adds_up_the_rows_and_lists_the_warnings(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database, runner: TaskRunner, tmp_path: Path
) -> None:
    wizard = open_preview(qtbot, seeded_db, runner, doubtful_list(tmp_path))
    summary = wizard.preview.summary.text()
    assert "1 dòng có cảnh báo: giá trị đáng ngờ được bỏ, người vẫn được nhập" in summary
    assert (
        "6 dòng của trang tính = dòng tiêu đề 1; dòng trống 1; dòng chỉ có STT, chưa điền 0; "
        "dòng nhóm / tổng cộng 0; dòng ký tên, cuối bảng 1; người mới 3; trùng người đã có 0; "
        "dòng trùng trong tệp, đã gộp 0; dòng lỗi 0." in summary
    )
    assert wizard.preview.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.summary is not None, timeout=5000)
    page = wizard.result_page
    assert page.label.text() == "Đã ghi xong."
    assert page.tally_rows() == [
        ("Dòng tiêu đề", "1"),
        ("Dòng trống", "1"),
        ("Dòng chỉ có STT, chưa điền", "0"),
        ("Dòng nhóm / tổng cộng", "0"),
        ("Dòng ký tên, cuối bảng", "1"),
        ("Thêm mới", "3"),
        ("Cập nhật", "0"),
        ("Đã có, không đổi", "0"),
        ("Dòng trùng trong tệp, đã gộp", "0"),
        ("Dòng lỗi", "0"),
        ("Cộng (khớp với 6 dòng của trang tính)", "6"),
    ]
    assert page.warnings_label.text() == "Cảnh báo (1); các dòng không nhập, ghi chú"
    assert page.warnings.toPlainText() == (
        "Dòng 2, cột “SĐT”, giá trị “0123456789”: Số điện thoại “0123456789” có đầu số 012 "
        "chưa cấp cho mạng nào. Đã bỏ giá trị này, vẫn nhập người này.\n"
        "Phần ký tên cuối bảng, từ dòng 6 (không nhập):\n"
        "  Dòng 6: “Người lập biểu | TM. UBND XÃ”"
    )
    with seeded_db.transaction(readonly=True) as s:
        assert people.count(s) == 3
    shot = os.environ.get("TAPHUAN_WIZARD_SHOT")  # to look at the page: a path to a .png
    if shot:
        wizard.grab().save(shot)


def test_strict_check_box_plans_again_and_blocks_the_write(
    vi_app: QApplication,
    qtbot: QtBot,
    qtmodeltester,  # type: ignore[no-untyped-def]
    seeded_db: Database,
    runner: TaskRunner,
    tmp_path: Path,
) -> None:
    wizard = open_preview(qtbot, seeded_db, runner, doubtful_list(tmp_path))
    qtmodeltester.check(wizard.preview.model)
    first = wizard.preview.plan
    assert first is not None and first.warnings and wizard.preview.isComplete()
    wizard.preview.strict_check.setChecked(True)
    qtbot.waitUntil(
        lambda: wizard.preview.plan is not None and wizard.preview.plan is not first, timeout=5000
    )
    assert wizard.preview.plan.strict
    assert not wizard.preview.isComplete()
    assert "dòng lỗi 1." in wizard.preview.summary.text()
    cell = wizard.preview.model.index(0, 3).data()
    assert cell == (
        "Dòng 2, cột “SĐT”, giá trị “0123456789”: Số điện thoại “0123456789” có đầu số 012 "
        "chưa cấp cho mạng nào."
    )
    wizard.preview.skip_check.setChecked(True)  # write the others, leave Bé out
    wizard.next()
    qtbot.waitUntil(lambda: wizard.summary is not None, timeout=5000)
    rows = dict(wizard.result_page.tally_rows())
    assert rows["Thêm mới"] == "2"
    assert rows["Dòng lỗi (đã bỏ qua, không ghi)"] == "1"
    assert wizard.result_page.warnings_label.text() == (
        "Cảnh báo (0) và lỗi đã bỏ qua (1); các dòng không nhập, ghi chú"
    )
    with seeded_db.transaction(readonly=True) as s:
        assert people.count(s) == 2


def test_hidden_sheets_are_marked_and_the_first_visible_one_is_chosen(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database, runner: TaskRunner, tmp_path: Path
) -> None:
    from tests.app.test_import_sections import hidden_first_sheet

    path = hidden_first_sheet(tmp_path / "an.xlsx")
    wizard = ImportWizard(
        import_jobs(UiContext(seeded_db, runner, ui_settings(), "can-bo")), runner, ui_settings()
    )
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page._load_sheets()
    combo = wizard.file_page.sheet_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["DM (ẩn)", "Danh sách"]
    assert combo.currentText() == "Danh sách"
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview.plan is not None, timeout=5000)
    assert wizard.preview.plan.sheet == "Danh sách"
    assert wizard.preview.notes.toPlainText() == "Trang tính ẩn, không đọc: “DM”."
    combo.setCurrentIndex(0)  # the hidden sheet on purpose: its own name is read
    assert wizard.file_page.sheet() == "DM"


def test_the_preview_lists_the_rows_that_are_not_people(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database, runner: TaskRunner, tmp_path: Path
) -> None:
    from tests.app.test_import_sections import subtotals

    wizard = open_preview(qtbot, seeded_db, runner, subtotals(tmp_path / "tong.xlsx"))
    assert wizard.preview.notes.isVisibleTo(wizard)
    assert wizard.preview.notes.toPlainText().startswith(
        "Dòng nhóm / tổng cộng (không phải người, không nhập):\n"
        "  Dòng 2: “XÃ PHÚ TÂN”\n"
        "  Dòng 5: “Tổng cộng: 2 người”\n"
        "  Dòng 6: “XÃ AN THẠNH”\n"
    )
    assert "người mới 4" in wizard.preview.summary.text()
    assert "dòng nhóm / tổng cộng 3" in wizard.preview.summary.text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.summary is not None, timeout=5000)
    assert dict(wizard.result_page.tally_rows())["Dòng nhóm / tổng cộng"] == "3"
    with seeded_db.transaction(readonly=True) as s:
        assert people.count(s) == 4
