"""The Học viên page and the people pickers show the services' refusals as messages, never
as a crash: a merge of two records that both hold a certificate in force for one course; a
search longer than the services allow (the boxes hold no more characters than that); a
staff account's lookups of whole citizen IDs, never told whose a number is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.services import certificates, imports, people
from models import Enrolment, EnrolmentStatus, PersonMerge
from tests.app import world
from tests.app.test_certificates import configure
from tests.app.test_citizen_id_lookups import NAME, STAFF, TARGET, guess
from tests.ui.conftest import type_text
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.dialogs.merge_dialog import MergeDialog
from ui.dialogs.people_filter_dialog import PeopleFilterDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.dialogs.person_picker_dialog import PersonPickerDialog
from ui.itemmodels.import_plan_model import ImportPlanTableModel
from ui.pages.people_page import PeoplePage
from ui.settings import ui_settings
from ui.workers import TaskRunner


@pytest.fixture
def warnings(prompter: AnsweringPrompter) -> list[str]:
    return prompter.warned


@pytest.fixture
def page(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, prompter: AnsweringPrompter
) -> PeoplePage:
    p = PeoplePage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "can-bo", prompter))
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    return p


def test_merging_two_certified_records_is_refused_with_a_message(
    page: PeoplePage, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = page.db
    with db.transaction() as s:
        w = world.build(s)
        configure(s)
        a = world.person(s, "Lê Thị Bé", birth_date=date(1990, 3, 4))
        b = world.person(s, "Lê Thị Bé", phone="0868123456")
        for pid in (a, b):
            eid = world.enrol(s, w, pid, [], post=9)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        first, second = certificates.issue(s, w.course, None)
    page.search_edit.setText("le thi be")
    page.apply_filter()
    page.table.selectAll()
    assert sorted(page.selected_ids()) == [a, b]
    monkeypatch.setattr(MergeDialog, "ask", classmethod(lambda cls, *a_, **k: a))
    page.merge_action.trigger()
    assert len(warnings) == 1
    assert warnings[0].startswith("Không gộp được: cả hai hồ sơ đều có giấy chứng nhận")
    assert first.serial in warnings[0] and second.serial in warnings[0]
    assert page.model.total == 2
    with db.transaction(readonly=True) as s:
        assert not s.scalar(select(func.count()).select_from(PersonMerge))


TOO_MANY_WORDS = " ".join(["an"] * 25)  # 74 characters, 25 words: over the 20 words allowed


def test_the_search_box_holds_at_most_what_the_search_allows(
    page: PeoplePage, qtbot: QtBot
) -> None:
    with page.db.transaction() as s:
        world.person(s, "Lê Thị Bé")
    page.apply_filter()
    assert page.model.total == 1
    assert page.search_edit.maxLength() == people.MAX_SEARCH_CHARS
    qtbot.keyClicks(page.search_edit, "x" * 250)
    assert len(page.search_edit.text()) == people.MAX_SEARCH_CHARS
    page.search_edit.setText(TOO_MANY_WORDS)
    page.apply_filter()  # the service's InvalidValue: a message, not a crash
    assert page.count_label.text().startswith("Chữ tìm kiếm dài quá (25 từ")
    assert page.model.total == 1  # the list as it was
    page.search_edit.setText("le thi")
    page.apply_filter()
    assert page.count_label.text() == "1 người"


def test_the_person_picker_and_the_filter_dialog_hold_their_search_too(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database
) -> None:
    def search(text: str) -> list[people.PersonRow]:
        with sqlite_db.transaction(readonly=True) as s:
            return people.page(s, people.PeopleFilter(search=text), limit=100)

    with sqlite_db.transaction() as s:
        world.person(s, "Lê Thị Bé")
    picker = PersonPickerDialog(search)
    qtbot.addWidget(picker)
    assert picker.edit.maxLength() == people.MAX_SEARCH_CHARS and picker.list.count() == 1
    picker.edit.setText(TOO_MANY_WORDS)
    picker._refresh()
    assert picker.message.text().startswith("Chữ tìm kiếm dài quá (25 từ")
    assert picker.list.count() == 1
    picker.edit.setText("be")
    picker._refresh()
    assert picker.message.isHidden() and picker.list.count() == 1
    dialog = PeopleFilterDialog([], [])
    qtbot.addWidget(dialog)
    assert dialog.search_edit.maxLength() == people.MAX_SEARCH_CHARS


def test_staff_guessing_a_masked_number_in_the_window_is_stopped_and_told_nobody(
    page: PeoplePage, qtbot: QtBot
) -> None:
    with page.db.transaction() as s:
        world.person(s, NAME, citizen_id=TARGET, birth_date=date(2005, 2, 25), gender="male")
    page.db.actor = STAFF
    dialog = PersonDialog(None, [], page._check_duplicates(None))  # Thêm học viên…
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.name_edit, "Nguyễn Văn Mới")
    qtbot.keyClicks(dialog.citizen_id_edit, TARGET)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.duplicate_label.text().startswith(
        "Có thể đã có người này:\n• Số CCCD này đã có trong sổ (hồ sơ khác)\n"
    )
    assert NAME not in dialog.duplicate_label.text() and "mã" not in dialog.duplicate_label.text()
    for mid in range(4):  # the search box, one guess at the hidden digits after another
        page.search_edit.setText(guess(mid))
        page.apply_filter()
    assert page.count_label.text().startswith("Tài khoản Trần Thị Thu Trang (Cán bộ) đã thử quá")
    assert page.model.total == 0  # the last list shown: nobody found by the guesses


def test_the_import_preview_shows_staff_a_match_without_saying_whose(
    vi_app: QApplication, sqlite_db: Database, tmp_path: Path
) -> None:
    with sqlite_db.transaction() as s:
        world.person(s, NAME, citizen_id=TARGET, birth_date=date(2005, 2, 25), phone="0903111222")
    path = tmp_path / "ds.csv"
    path.write_text(f"Họ và tên,Số CCCD,Điện thoại\n{NAME},{TARGET},0903999888\n", "utf-8")
    sqlite_db.actor = STAFF
    with sqlite_db.transaction(readonly=True) as s:
        plan = imports.plan(s, path)
    model = ImportPlanTableModel(plan)
    cells = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert cells[2] == "Trùng một người đã có trong sổ (trùng số CCCD)"
    assert "Số điện thoại: khác với tệp (tệp ghi “0903999888”)" in cells[3]
    assert "0903111222" not in " ".join(map(str, cells))  # nothing the row does not hold
