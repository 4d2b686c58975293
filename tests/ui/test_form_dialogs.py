"""Every dialog that asks for a value is a FormDialog: Escape gives None, Enter saves,
its size is remembered per dialog class, and no dialog reaches the database."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import tomllib
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import ui.dialogs
from app.db import Database
from app.services import person_detail, person_edit
from app.services.courses import CourseForm
from app.services.scheduling import SessionForm
from tests.app import world
from tests.ui.scan_helpers import sample_review
from ui.dialogs.course_dialog import CourseDialog
from ui.dialogs.form_dialog import FormDialog
from ui.dialogs.member_dialog import MemberDialog
from ui.dialogs.merge_dialog import MergeDialog
from ui.dialogs.people_filter_dialog import PeopleFilterDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.dialogs.person_picker_dialog import PersonPickerDialog
from ui.dialogs.scan_review_dialog import ScanReviewDialog
from ui.dialogs.session_dialog import SessionDialog
from ui.dialogs.sign_in_dialogs import ChangePasswordDialog, FirstAdminDialog, SignInDialog
from ui.dialogs.sign_in_sheet_dialog import SignInSheetDialog
from ui.dialogs.users_dialog import UserFormDialog

ROOT = Path(__file__).resolve().parents[2]
COURSE = CourseForm("TH-2026-001", "Tập huấn VNeID", date(2026, 3, 2), date(2026, 3, 6))


def merge_args(db: Database) -> tuple[Any, ...]:
    with db.transaction() as s:
        ids = [world.person(s, "Lê Thị Bé"), world.person(s, "Lê Thị Bé", phone="0868123456")]
    with db.transaction(readonly=True) as s:
        return (
            [person_edit.get(s, pid) for pid in ids],
            [person_detail.detail(s, pid) for pid in ids],
        )


# How to open each FormDialog (the arguments after parent); a new one must be added here.
ARGS: dict[type, Callable[[Database], tuple[Any, ...]]] = {
    CourseDialog: lambda _db: (COURSE, [(1, "VNeID")], []),
    SessionDialog: lambda _db: (
        SessionForm(date(2026, 3, 3), time(7, 30), time(11, 0)),
        [],
        [],
        [],
    ),
    PersonDialog: lambda _db: (),
    MemberDialog: lambda _db: ("Nguyễn Thị Hà",),
    MergeDialog: merge_args,
    PeopleFilterDialog: lambda _db: ([(5, "Xã Đại Điền")], [(3, "VNeID")]),
    PersonPickerDialog: lambda _db: (lambda _text: [],),
    UserFormDialog: lambda _db: (None, [(1, "Phạm Quốc Khánh")]),
    FirstAdminDialog: lambda _db: (),
    SignInDialog: lambda _db: ("tệp thử",),
    ChangePasswordDialog: lambda _db: (),
    SignInSheetDialog: lambda _db: ("Buổi 2, ngày 03/03/2026",),
    ScanReviewDialog: lambda _db: sample_review(),
}


def form_dialogs() -> set[type]:
    for module in pkgutil.iter_modules(ui.dialogs.__path__):
        importlib.import_module(f"ui.dialogs.{module.name}")
    found, todo = set(), [FormDialog]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if not sub.__name__.startswith("_"):  # shared bases, never shown themselves
                found.add(sub)
    return found


def test_every_form_dialog_is_covered_here() -> None:
    assert form_dialogs() == set(ARGS)


def press_later(key: Qt.Key) -> None:
    """The key, to the dialog ask() is about to show modally."""

    def press() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None
        QTest.keyClick(dialog, key)

    QTimer.singleShot(0, press)


@pytest.mark.parametrize("cls", sorted(ARGS, key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_escape_returns_none(vi_app: QApplication, sqlite_db: Database, cls: type) -> None:
    args = ARGS[cls](sqlite_db)
    press_later(Qt.Key.Key_Escape)
    assert cls.ask(None, *args) is None  # type: ignore[attr-defined]


def test_enter_saves_and_returns_the_form(vi_app: QApplication) -> None:
    press_later(Qt.Key.Key_Return)
    form = CourseDialog.ask(None, COURSE, [(1, "VNeID")], [])
    assert form is not None and (form.code, form.end_date) == ("TH-2026-001", date(2026, 3, 6))


def test_enter_on_a_bad_form_stays_with_the_reason(vi_app: QApplication, qtbot: QtBot) -> None:
    dialog = MemberDialog("Nguyễn Thị Hà")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.joined_edit.setText("05/03/2026")
    dialog.left_edit.setText("01/03/2026")
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result_form is None
    assert dialog.error_label.text() == "Ngày rời tổ phải sau ngày vào tổ."
    assert [dialog.ok_button.text(), dialog.cancel_button.text()] == ["Lưu", "Hủy"]


def test_a_dialogs_size_is_remembered_per_dialog_class(vi_app: QApplication, qtbot: QtBot) -> None:
    first = MemberDialog("Nguyễn Thị Hà")
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 430)
    first.reject()
    again = MemberDialog("Trần Văn Bình")
    qtbot.addWidget(again)
    again.show()
    assert again.size() == QSize(700, 430)
    other = PeopleFilterDialog([], [])  # another dialog keeps its own size
    qtbot.addWidget(other)
    other.show()
    assert other.size() != QSize(700, 430)


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update({node.module, *(f"{node.module}.{a.name}" for a in node.names)})
    return names


def test_no_dialog_imports_the_database() -> None:
    offenders = sorted(
        path.name
        for path in (ROOT / "ui" / "dialogs").glob("*.py")
        if {"app.db", "app.db.Database"} & imports_of(path)
    )
    assert offenders == []


def test_the_import_linter_contract_forbids_dialogs_the_database() -> None:
    """test_layers runs import-linter over every contract; this one must be among them,
    counting imports through other modules too."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if "ui.dialogs" in c.get("source_modules", [])
    ]
    assert contract["type"] == "forbidden" and "app.db" in contract["forbidden_modules"]
    assert not contract.get("allow_indirect_imports", False)
