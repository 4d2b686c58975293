"""The Học viên page shows the services' refusals as messages, never as a crash: a merge
of two records that both hold a certificate in force for one course."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.services import certificates
from models import Enrolment, EnrolmentStatus, PersonMerge
from tests.app import world
from tests.app.test_certificates import configure
from ui.dialogs.merge_dialog import MergeDialog
from ui.pages.people_page import PeoplePage
from ui.settings import ui_settings
from ui.workers import TaskRunner


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    return shown


@pytest.fixture
def page(vi_app: QApplication, qtbot: QtBot, sqlite_db: Database) -> PeoplePage:
    p = PeoplePage(sqlite_db, TaskRunner(), ui_settings(), "can-bo")
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
        first, second = certificates.issue(s, w.course, None, "t")
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
