"""The Tổ CNSCĐ page: team tree with counts, members, units."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import teams
from models import AttendanceStatus
from tests.app import world
from tests.ui.prompts import saving
from ui.context import UiContext
from ui.dialogs.member_dialog import MemberDialog
from ui.dialogs.person_picker_dialog import PersonPickerDialog
from ui.pages.teams_page import TeamsPage
from ui.settings import ui_settings
from ui.workers import TaskRunner


@pytest.fixture
def page(vi_app: QApplication, qtbot: QtBot, sqlite_db: Database) -> TeamsPage:
    with sqlite_db.transaction() as s:
        w = world.build(s)
        ha = world.person(s, "Nguyễn Thị Hà")
        world.member(s, w, ha)
        world.enrol(s, w, ha, [AttendanceStatus.PRESENT])
        world.person(s, "Trần Văn Bình")
    p = TeamsPage(UiContext(sqlite_db, TaskRunner(), ui_settings(), "t"))
    qtbot.addWidget(p)
    p.show()
    return p


def test_tree_and_members(page: TeamsPage) -> None:
    item = page.tree.topLevelItem(0)
    assert [item.text(c) for c in range(4)] == ["Xã Tân Phong", "Xã Tân Phong", "1", "1"]
    assert page.members.rowCount() == 1
    assert page.members.item(0, 0).text() == "Nguyễn Thị Hà"
    assert page.members.item(0, 5).text() == "Có"


def test_add_member_from_people(page: TeamsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    found = page._search_people("tran van")
    assert [r.full_name for r in found] == ["Trần Văn Bình"]
    monkeypatch.setattr(
        PersonPickerDialog,
        "ask",
        classmethod(lambda cls, *a, **k: [(found[0].id, "Trần Văn Bình")]),
    )
    monkeypatch.setattr(
        MemberDialog,
        "ask",
        saving(teams.MembershipForm("deputy", "youth_union")),
    )
    page.add_members()
    assert page.members.rowCount() == 2
    assert page.tree.topLevelItem(0).text(2) == "2"


def test_units_tree_expands_lazily(page: TeamsPage) -> None:
    assert page.units_tree.topLevelItemCount() == 1  # Tỉnh Vĩnh Long in the small world
    top = page.units_tree.topLevelItem(0)
    assert top.childCount() == 0
    top.setExpanded(True)
    assert [top.child(i).text(0) for i in range(top.childCount())] == ["Xã Đại Điền"]
    page.scheme_combo.setCurrentIndex(1)
    assert page.units_tree.topLevelItem(0).text(0) == "Huyện Thạnh Phú"


def test_topic_matrix_for_the_team(page: TeamsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.topic_matrix_dialog import TopicMatrixDialog

    shown: list[TopicMatrixDialog] = []
    monkeypatch.setattr(TopicMatrixDialog, "exec", lambda self: shown.append(self) or 0)
    page.team_matrix()
    (dlg,) = shown
    assert dlg.table.item(1, 0).text() == "Nguyễn Thị Hà"
    assert dlg.table.item(1, 1).text() == "04/03/2024"  # learned VNeID at the first session
    assert dlg.table.item(0, 1).text() == "1/1"


def test_the_tree_shows_its_columns_at_1280(page: TeamsPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Đơn vị and Đã tập huấn stay on screen in a 1280-pixel window (issue 15)."""
    page.resize(1240, 700)
    page.show()
    qtbot.waitExposed(page)
    page.reload()
    header = page.tree.header()
    last = header.sectionPosition(3) + header.sectionSize(3)
    assert last <= page.tree.viewport().width()
    unit = page.tree.topLevelItem(0).text(1)
    assert header.sectionSize(1) >= page.tree.fontMetrics().horizontalAdvance(unit)


def test_the_tree_loaded_before_it_is_shown_still_shows_its_columns(page: TeamsPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The page fills its tree when built, before it has a width (a window opening on it,
    a lazy page): shown at 1280 the pane still widens to show Đã tập huấn; the check for
    people who left sits beside the title, so the buttons' row does not hold the pane back."""
    page.resize(1060, 700)  # 1280 less the navigation
    page.show()
    qtbot.waitExposed(page)
    header = page.tree.header()
    qtbot.waitUntil(
        lambda: header.sectionPosition(3) + header.sectionSize(3) <= page.tree.viewport().width()
    )
