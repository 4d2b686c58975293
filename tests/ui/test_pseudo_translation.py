"""Nothing cut off at 1280×800, even with every string 40 % longer (tests/ui/pseudo.py):
every page and every dialog that opens without writing to the database, on the demo data,
photographed (TAPHUAN_SHOTS=folder keeps the pictures) and checked header by header,
label by label, button by button."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.db import Database
from app.demo import generate
from app.services import users
from tests.ui import pseudo
from tests.ui.scan_helpers import sample_review
from ui.dialogs.scan_review_dialog import ScanReviewDialog
from ui.itemmodels.attendance_grid_model import AttendanceGridModel
from ui.itemmodels.course_table_model import CourseTableModel
from ui.itemmodels.import_plan_model import ImportPlanTableModel
from ui.itemmodels.people_table_model import PeopleTableModel
from ui.main_window import MainWindow
from ui.pages import PAGES
from ui.prompter import Prompter
from ui.workers import TaskRunner

WIDTH, HEIGHT = 1280, 800

# What opens a dialog without writing: each is cancelled (or closed) once checked.
DIALOGS: list[tuple[str, str, Callable[[MainWindow], object]]] = [
    ("gioi-thieu", "", lambda w: w.show_about()),
    ("huong-dan", "", lambda w: w.show_guide()),
    ("may-chu", "", lambda w: w.choose_server()),
    ("tai-khoan", "", lambda w: w.manage_users()),
    ("doi-mat-khau", "", lambda w: w.change_password()),
    ("hoc-vien-them", "hoc-vien", lambda w: w.pages["hoc-vien"].add_person()),
    (
        "hoc-vien-sua",
        "hoc-vien",
        lambda w: _first_row(w.pages["hoc-vien"]) or w.pages["hoc-vien"].edit_selected(),
    ),
    ("nhap-excel", "hoc-vien", lambda w: w.pages["hoc-vien"].import_people()),
    ("to-them-thanh-vien", "to-cnscd", lambda w: w.teams_page.add_members()),
    ("to-ma-tran", "to-cnscd", lambda w: w.teams_page.team_matrix()),
    ("khoa-hoc-them", "khoa-hoc", lambda w: _courses(w).add_course()),
    ("khoa-hoc-sua", "khoa-hoc", lambda w: _courses(w).edit_course()),
    ("buoi-hoc-them", "khoa-hoc", lambda w: _courses(w).sessions_panel.add_session()),
    ("chuoi-buoi-hoc", "khoa-hoc", lambda w: _courses(w).sessions_panel.add_series()),
    ("ghi-danh", "khoa-hoc", lambda w: _courses(w).roster_panel.enrol_people()),
    ("quet-ma", "diem-danh", lambda w: _scan(_built(w, "diem-danh"))),
    ("in-danh-sach-ky-ten", "diem-danh", lambda w: _sheet(_built(w, "diem-danh"))),
    ("xem-lai-bang-ky-ten", "diem-danh", lambda w: _review(_built(w, "diem-danh"))),
    ("cap-giay", "chung-nhan", lambda w: _issue(_built(w, "chung-nhan"))),
    ("tra-cuu", "chung-nhan", lambda w: _built(w, "chung-nhan").verify()),
    ("bao-cao-pdf", "bao-cao", lambda w: _built(w, "bao-cao").preview_pdf()),
    (
        "bao-cao-danh-sach",
        "bao-cao",
        lambda w: _built(w, "bao-cao").show_people("level", ["commune"]),
    ),
    ("giay-mau", "cai-dat", lambda w: _built(w, "cai-dat").full_preview()),
]


class Declining(Prompter):
    """Every question answered "no" or cancelled; messages only kept."""

    def __init__(self) -> None:
        self.shown: list[str] = []

    def warn(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(text)

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        self.shown.append(text)

    def confirm(self, *_args: object, **_kwargs: object) -> bool:
        return False

    def text(self, *_args: object, **_kwargs: object) -> str | None:
        return None

    def item(self, *_args: object, **_kwargs: object) -> str | None:
        return None

    def integer(self, *_args: object, **_kwargs: object) -> int | None:
        return None


def _built(window: MainWindow, slug: str) -> QWidget:
    page = window.pages[slug]
    return page.ensure() if hasattr(page, "ensure") else page


def _courses(window: MainWindow) -> QWidget:
    return _built(window, "khoa-hoc")


def _issue(page: QWidget) -> None:
    page.course_combo.setCurrentIndex(1)  # type: ignore[attr-defined]
    page.issue()  # type: ignore[attr-defined]


def _held_course(page: QWidget) -> QWidget:
    """Choose the first course with a sitting held (the latest may be a draft)."""
    combo = page.course_combo  # type: ignore[attr-defined]
    for i in range(combo.count()):
        combo.setCurrentIndex(i)
        grid = page.model.grid if page.model is not None else None  # type: ignore[attr-defined]
        if grid is not None and grid.rows and any(c.held for c in grid.sessions):
            break
    return page


def _scan(page: QWidget) -> None:
    _held_course(page).scan_mode()  # type: ignore[attr-defined]


def _sheet(page: QWidget) -> None:
    _held_course(page).print_sheet()  # type: ignore[attr-defined]


def _review(page: QWidget) -> None:
    """The review of scanned sheets, with crops drawn like a scan's (reading real scans
    would need a sheet printed, which writes)."""
    ScanReviewDialog(*sample_review(), parent=page).exec()


def _first_row(page: QWidget) -> None:
    page.table.selectRow(0)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data (a province, 4,000 people, 110 courses) built once for the module."""
    path = tmp_path_factory.mktemp("demo") / "taphuan.db"
    db = Database(str(path))
    db.upgrade()
    generate.fill(db, scale=1, seed=2022)
    db.close()
    return path


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "taphuan.db"
    shutil.copy(demo_file, path)
    db = Database(str(path))
    with db.transaction(readonly=True) as s:
        db.actor = users.local_admin(s)
    yield db
    db.close()


def settle(window: QWidget, runner: TaskRunner) -> None:
    app = QApplication.instance()
    # The pages load in the worker: up to a minute on a loaded machine (a page checked
    # before its rows arrived has columns not yet sized to them).
    for _ in range(3000):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if not runner.busy():
            break
    for _ in range(5):
        app.processEvents()


def test_every_page_and_dialog_fits_a_longer_translation(
    vi_app: QApplication, qtbot: QtBot, demo_db: Database, qsettings: QSettings,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    shots = Path(os.environ.get("TAPHUAN_SHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    for model in (CourseTableModel, PeopleTableModel, AttendanceGridModel, ImportPlanTableModel):
        monkeypatch.setattr(model, "headerData", pseudo.longer_headers(model))
    # Questions are answered "no" (through the window's prompter), file choosers cancelled:
    # nothing is ever written. A message box or input dialog opened around the prompter is
    # answered "no" too, and reported.
    around: list[str] = []
    no = QMessageBox.StandardButton.No
    for name in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, n=name, **k: around.append(n) or no)
    for name in ("getText", "getItem", "getInt"):
        monkeypatch.setattr(QInputDialog, name, lambda *a, n=name, **k: around.append(n) or ("", 0))
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, lambda *a, **k: ("", ""))

    runner = TaskRunner()
    window = MainWindow(demo_db, runner, qsettings, prompter=Declining())
    qtbot.addWidget(window)
    window.resize(WIDTH, HEIGHT)
    window.show()
    problems: list[str] = []
    opened: list[QDialog] = []

    def check_dialog(dialog: QDialog, name: str) -> int:
        opened.append(dialog)
        pseudo.pseudo_translate(dialog)  # before it is shown: sized for the longer texts,
        screen = dialog.screen().availableGeometry().size()  # as its own code sizes it
        dialog.resize(dialog.size().expandedTo(dialog.sizeHint()).boundedTo(screen))
        dialog.show()
        settle(dialog, runner)
        pseudo.pseudo_translate(dialog)  # and what it wrote once shown
        settle(dialog, runner)
        dialog.grab().save(str(shots / f"hop-thoai-{name}.png"))
        problems.extend(f"{name}: {c}" for c in pseudo.clipped(dialog))
        if dialog.width() > WIDTH or dialog.height() > HEIGHT:
            problems.append(f"{name}: {dialog.width()}×{dialog.height()} is larger than the screen")
        dialog.reject()
        dialog.close()
        return QDialog.DialogCode.Rejected.value

    pages = 0
    for info in PAGES:
        window.show_page(info.slug)
        settle(window, runner)
        pseudo.pseudo_translate(window)
        settle(window, runner)
        window.grab().save(str(shots / f"trang-{info.slug}.png"))
        problems.extend(f"{info.slug}: {c}" for c in pseudo.clipped(window))
        if window.width() > WIDTH or window.height() > HEIGHT:
            problems.append(f"{info.slug}: the window grew to {window.width()}×{window.height()}")
        pages += 1

    dialogs = 0
    for name, slug, opener in DIALOGS:
        if slug:
            window.show_page(slug)
            settle(window, runner)
        before = len(opened)
        monkeypatch.setattr(QDialog, "exec", lambda self, name=name: check_dialog(self, name))
        monkeypatch.setattr(QDialog, "open", lambda self, name=name: check_dialog(self, name))
        opener(window)
        qtbot.waitUntil(lambda before=before: len(opened) > before, timeout=60_000)
        settle(window, runner)
        dialogs += 1
    monkeypatch.undo()
    runner.wait()
    print(f"\npseudo-translation: {pages} pages × {dialogs} dialogs checked at {WIDTH}×{HEIGHT}")
    assert not problems, "\n".join(problems)
    assert not around, f"asked without the prompter: {around}"
