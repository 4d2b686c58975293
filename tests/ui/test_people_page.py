"""The Học viên page and its dialogs, driven as a clerk would."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.services import people, person_edit
from app.services.people import PeopleFilter
from models import AuditEntry
from tests.app import sheets, world
from tests.ui.conftest import type_text
from tests.ui.prompts import AnsweringPrompter, saving
from ui.context import UiContext
from ui.dialogs.import_wizard import ImportWizard
from ui.dialogs.merge_dialog import MergeDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.import_jobs import import_jobs
from ui.itemmodels.people_table_model import PAGE, PeopleTableModel
from ui.pages.people_page import PeoplePage
from ui.settings import ui_settings
from ui.workers import TaskRunner

GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Hà",
    "Hải",
    "Lan",
    "Minh",
    "Nam",
    "Oanh",
    "Phúc",
    "Sơn",
    "Thảo",
]


@pytest.fixture
def crowd(seeded_db: Database) -> Database:
    """450 people: more than two pages of the table."""
    with seeded_db.transaction() as s:
        for i in range(450):
            world.person(s, f"Nguyễn Văn {GIVEN[i % len(GIVEN)]}", phone=f"09031{i:05d}")
        world.person(s, "Nguyễn Thị Hà", citizen_id="083186000123", birth_date=date(1986, 5, 2))
    return seeded_db


@pytest.fixture
def page(
    vi_app: QApplication, qtbot: QtBot, crowd: Database, prompter: AnsweringPrompter
) -> PeoplePage:
    p = PeoplePage(UiContext(crowd, TaskRunner(), ui_settings(), "can-bo", prompter))
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    return p


def _model(db: Database) -> PeopleTableModel:
    def find_ids(f: PeopleFilter) -> list[int]:
        with db.transaction(readonly=True) as s:
            return people.ids_matching(s, f)

    def fetch_rows(ids: list[int]) -> list[people.PersonRow]:
        with db.transaction(readonly=True) as s:
            return people.rows_for(s, ids)

    return PeopleTableModel(find_ids, fetch_rows)


def test_table_model_passes_qt_model_tester_and_pages(crowd: Database, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = _model(crowd)
    model.set_filter(PeopleFilter())
    assert (model.rowCount(), model.total) == (PAGE, 451)
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 451
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "Nguyễn Văn An"
    assert model.data(model.index(450, 0)) == "Nguyễn Văn Thảo"


def test_rows_deleted_meanwhile_shrink_the_table(crowd: Database) -> None:
    model = _model(crowd)
    model.set_filter(PeopleFilter())
    with crowd.transaction() as s:
        from models import Person

        s.delete(s.get_one(Person, model.ids[300]))
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == model.total == 450


def test_sorting_by_a_header_sorts_in_sql(crowd: Database) -> None:
    model = _model(crowd)
    model.set_filter(PeopleFilter())
    model.sort(4, Qt.SortOrder.DescendingOrder)  # phone
    assert model.filter.sort == "phone" and model.filter.descending
    assert model.data(model.index(0, 4)) == "0903100449"


def test_search_as_you_type_and_masked_ids(
    page: PeoplePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.keyClicks(page.search_edit, "nguyen thi ha")
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=3000)
    assert page.model.data(page.model.index(0, 3)) == "********0123"
    page.prompter.answer(None, "Đối chiếu hồ sơ cấp chứng nhận")  # cancelled, then a reason
    qtbot.mouseClick(page.unmask_check, Qt.MouseButton.LeftButton)  # cancelled: still masked
    assert not page.unmask_check.isChecked()
    assert page.model.data(page.model.index(0, 3)) == "********0123"
    qtbot.mouseClick(page.unmask_check, Qt.MouseButton.LeftButton)
    assert page.model.data(page.model.index(0, 3)) == "083186000123"
    with page.db.transaction(readonly=True) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "person.unmask")).one()
    assert entry.note == "Đối chiếu hồ sơ cấp chứng nhận"
    assert page.count_label.text() == "1 người"
    page.table.selectRow(0)
    assert "Nguyễn Thị Hà" in page.detail.toPlainText()
    assert "Chưa ghi danh khóa nào" in page.detail.toPlainText()


def test_person_dialog_rejects_bad_citizen_id(vi_app: QApplication, qtbot: QtBot) -> None:
    dlg = PersonDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    type_text(qtbot, dlg.name_edit, "Cù Thanh Sơn")
    qtbot.keyClicks(dlg.citizen_id_edit, "08306200045X")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert "CCCD" in dlg.errors["citizen_id"].text()
    assert dlg.errors["citizen_id"].isVisible()
    assert dlg.ok_button.text() == "Lưu"


def test_person_dialog_warns_of_a_likely_duplicate_once(vi_app: QApplication, qtbot: QtBot) -> None:
    hint = person_edit.DuplicateHint(
        7, "Nguyễn Thị Hà", date(1986, 5, 2), "trùng họ tên và ngày sinh"
    )
    dlg = PersonDialog(check_duplicates=lambda form: [hint])
    qtbot.addWidget(dlg)
    dlg.show()
    type_text(qtbot, dlg.name_edit, "nguyễn thị hà")
    qtbot.keyClicks(dlg.birth_edit, "2/5/1986")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible()
    assert "trùng họ tên và ngày sinh" in dlg.duplicate_label.text()
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.result_form == person_edit.PersonForm(
        full_name="Nguyễn Thị Hà", birth_date=date(1986, 5, 2)
    )


def test_add_edit_and_archive_from_the_page(
    page: PeoplePage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = person_edit.PersonForm(full_name="Cù Thanh Sơn", phone="0868123456")
    monkeypatch.setattr(PersonDialog, "ask", saving(new))
    page.add_action.trigger()
    assert page.model.total == 452
    (sel,) = page.selected_ids()
    assert page.model.rows[page.table.currentIndex().row()].full_name == "Cù Thanh Sơn"
    edited = person_edit.PersonForm(
        full_name="Cù Thanh Sơn", phone="0868123456", position="Trưởng ấp"
    )
    monkeypatch.setattr(PersonDialog, "ask", saving(edited))
    page.edit_action.trigger()
    with page.db.transaction(readonly=True) as s:
        assert person_edit.get(s, sel).form.position == "Trưởng ấp"
    page.prompter.answer(True)
    page.delete_action.trigger()
    assert page.model.total == 451
    with page.db.transaction(readonly=True) as s:
        assert people.count(s, PeopleFilter(search="cu thanh son")) == 0


def test_merge_dialog_keeps_the_chosen_record(
    vi_app: QApplication, qtbot: QtBot, crowd: Database
) -> None:
    from app.services import person_detail

    with crowd.transaction() as s:
        a = world.person(s, "Lê Thị Bé")
        b = world.person(s, "Lê Thị Bé", citizen_id="083305000451")
        records = [person_edit.get(s, a), person_edit.get(s, b)]
        details = [person_detail.detail(s, a), person_detail.detail(s, b)]
    dlg = MergeDialog(records, details)
    qtbot.addWidget(dlg)
    assert dlg.collect() == b  # the one with a citizen ID by default
    dlg.group.button(a).click()
    assert dlg.collect() == a


def test_import_wizard_end_to_end(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database, tmp_path: Path
) -> None:
    path = sheets.messy_workbook(tmp_path / "ds.xlsx")
    runner = TaskRunner()
    wizard = ImportWizard(
        import_jobs(UiContext(seeded_db, runner, ui_settings(), "can-bo")), runner, ui_settings()
    )
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.file_page._load_sheets()
    assert wizard.file_page.sheet_combo.currentText() == "Danh sách"
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert [c.currentText() for c in wizard.mapping_page.combos[:3]] == [
        "(bỏ qua)",
        "Họ và tên",
        "Ngày sinh (Nam)",
    ]
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview.plan is not None, timeout=5000)
    assert "3 người (3 mới, 0 đã có, 0 dòng lỗi); 1 dòng trùng" in wizard.preview.summary.text()
    assert wizard.preview.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.summary is not None, timeout=5000)
    assert ("Thêm mới", "3") in wizard.result_page.tally_rows()
    with seeded_db.transaction(readonly=True) as s:
        assert people.count(s) == 3
    runner.wait()


def test_import_wizard_with_errors_cannot_write_until_told_to_skip(
    vi_app: QApplication, qtbot: QtBot, seeded_db: Database, tmp_path: Path
) -> None:
    path = sheets.simple_workbook(
        tmp_path / "loi.xlsx",
        ["Họ và tên", "Ngày sinh"],
        [["Lê Thị Bé", "31/02/1990"], ["Võ Hà", "1/1/1990"]],
    )
    runner = TaskRunner()
    wizard = ImportWizard(
        import_jobs(UiContext(seeded_db, runner, ui_settings(), "t")), runner, ui_settings()
    )
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path_edit.setText(str(path))
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview.plan is not None, timeout=5000)
    assert not wizard.preview.isComplete()
    index = wizard.preview.model.index(0, 3)
    assert "Dòng 2, cột “Ngày sinh”, giá trị “31/02/1990”" in wizard.preview.model.data(index)
    wizard.preview.skip_check.setChecked(True)
    assert wizard.preview.isComplete()
    with seeded_db.transaction(readonly=True) as s:
        assert people.count(s) == 0
    runner.wait()


def test_merge_and_undo_from_the_page(page: PeoplePage, monkeypatch: pytest.MonkeyPatch) -> None:
    with page.db.transaction() as s:
        a = world.person(s, "Lê Thị Bé")
        b = world.person(s, "Lê Thị Bé", phone="0868123456")
    page.search_edit.setText("le thi be")
    page.apply_filter()
    page.table.selectAll()
    assert sorted(page.selected_ids()) == [a, b]
    assert page.merge_action.isEnabled()
    messages: list[str] = []
    page.status.connect(messages.append)
    monkeypatch.setattr(MergeDialog, "ask", classmethod(lambda cls, *a_, **k: a))
    page.merge_action.trigger()
    assert page.model.total == 1
    assert messages == ["Đã gộp vào “Lê Thị Bé”. Có thể hoàn tác cho tới lần gộp sau."]
    assert page.undo_merge_action.isEnabled()
    page.prompter.answer(True)
    page.undo_merge_action.trigger()
    assert page.model.total == 2


def test_export_from_the_page_writes_the_filtered_people(
    page: PeoplePage, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "ra.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.search_edit.setText("nguyen thi ha")
    page.apply_filter()
    messages: list[str] = []
    page.status.connect(messages.append)
    page.export_action.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert messages == [f"Đã xuất 1 người vào {target}"]
    ws = openpyxl.load_workbook(target).active
    assert (ws["A2"].value, ws["B2"].value.date(), ws["D2"].value) == (
        "Nguyễn Thị Hà",
        date(1986, 5, 2),
        "********0123",
    )
    assert ws.max_row == 2
