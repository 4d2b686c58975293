"""The Chứng nhận page for a trainer: the certificates of the courses they teach, previewed,
printed through the Qt print dialog, saved combined or one file a person, their part of the
register; no revoking; issuing once the administrator ticks the setting in Cài đặt. And
the last administrator in the account window."""

from __future__ import annotations

import io
import sqlite3
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import users
from tests.app import certificate_digests, two_trainers
from tests.app.two_trainers import A_NAMES, A_PENDING, B_NAMES, TwoTrainers
from tests.ui.prompts import AnsweringPrompter
from ui.accounts import Accounts
from ui.context import UiContext
from ui.dialogs import pdf_preview_dialog
from ui.dialogs.issue_dialog import IssueDialog
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from ui.dialogs.users_dialog import UserFormDialog, UsersDialog
from ui.main_window import MainWindow
from ui.pages.certificates_page import CertificatesPage
from ui.pages.settings_page import SettingsPage
from ui.settings import ui_settings
from ui.workers import TaskRunner


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in pages))


@pytest.fixture
def two(sqlite_db: Database) -> tuple[Database, TwoTrainers]:
    return sqlite_db, two_trainers.build(sqlite_db)


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[PdfPreviewDialog]:
    """The preview dialogs the page opens (built, not shown)."""
    opened: list[PdfPreviewDialog] = []

    def exec_(self: PdfPreviewDialog) -> int:
        opened.append(self)
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", exec_)
    return opened


def trainer_page(db: Database, t: TwoTrainers, qtbot: QtBot, runner: TaskRunner,
                 qsettings: QSettings, prompter: AnsweringPrompter | None = None,
                 ) -> CertificatesPage:  # fmt: skip
    db.actor = t.accounts["lan"]
    page = CertificatesPage(
        UiContext(db, runner, qsettings, "lan", prompter or AnsweringPrompter())
    )
    qtbot.addWidget(page)
    return page


def test_a_trainer_previews_prints_and_saves_only_their_certificates(
    vi_app: QApplication,
    qtbot: QtBot,
    two: tuple[Database, TwoTrainers],
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[PdfPreviewDialog],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, t = two
    db.actor = t.accounts["lan"]
    window = MainWindow(db, runner, ui_settings())
    qtbot.addWidget(window)
    shown = [window.nav.item(i).text() for i in range(window.nav.count())
             if not window.nav.item(i).isHidden()]  # fmt: skip
    assert shown == ["Khóa học", "Lịch", "Điểm danh", "Chứng nhận"]
    window.show_page("chung-nhan")
    assert window.current_page().slug == "chung-nhan"

    page = trainer_page(db, t, qtbot, runner, qsettings)
    combo = [page.course_combo.itemText(i) for i in range(page.course_combo.count())]
    assert combo[0] == "Các khóa mình dạy" and len(combo) == 2
    assert combo[1].startswith("TH-2024-001 – Tập huấn kỹ năng số (")  # (its start date)
    rows = {page.table.item(r, 0).text(): page.table.item(r, 1).text()
            for r in range(page.table.rowCount())}  # fmt: skip
    assert sorted(rows) == sorted(t.serials_a) and set(rows.values()) == set(A_NAMES)
    assert not page.revoke_action.isVisible() and not page.reissue_action.isVisible()
    assert not page.issue_action.isVisible()  # the setting is off

    page.table.selectAll()
    page.reprint()
    (preview,) = previews
    text = pdf_text(preview.pdf)
    assert all(name.upper() in text for name in A_NAMES)
    assert not any(name.upper() in text for name in B_NAMES)

    # Print through the Qt print dialog (answered here; the printer writes a PDF file).
    printed = tmp_path / "may-in.pdf"

    class PrintDialog:
        def __init__(self, printer: QPrinter, _parent: object) -> None:
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(printed))

        def setWindowTitle(self, _title: str) -> None:
            pass

        def exec(self) -> QDialog.DialogCode:
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(pdf_preview_dialog, "QPrintDialog", PrintDialog)
    preview.print_pages()
    assert len(PdfReader(printed).pages) == len(A_NAMES)

    combined = tmp_path / "ca-lop.pdf"  # Lưu PDF…: the combined file
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(combined), ""))
    assert preview.save() == combined and combined.read_bytes() == preview.pdf

    folder = tmp_path / "tung-nguoi"  # Lưu từng người…: each person's file, as issued
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    messages: list[str] = []
    page.status.connect(messages.append)
    page.files_action.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert messages == [f"Đã lưu {len(A_NAMES)} tệp giấy chứng nhận vào {folder}."]
    files = list(folder.iterdir())
    assert len(files) == len(A_NAMES)
    assert all(certificate_digests.problem(db.path, f.read_bytes()) is None for f in files)

    register = tmp_path / "so-cap.pdf"
    page.prompter.answer(date.today().year)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(register), ""))
    page.register()
    text = pdf_text(register.read_bytes())
    assert "các khóa do Phạm Thị Lan dạy" in text
    assert all(s in text for s in t.serials_a) and not any(s in text for s in t.serials_b)


def test_the_setting_in_cai_dat_lets_a_trainer_issue_from_the_page(
    vi_app: QApplication,
    qtbot: QtBot,
    two: tuple[Database, TwoTrainers],
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[PdfPreviewDialog],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, t = two
    db.actor = t.accounts["quantri"]
    settings_page = SettingsPage(UiContext(db, runner, qsettings, "quantri"))
    qtbot.addWidget(settings_page)
    box = settings_page.trainers_issue
    assert box.text() == "Giảng viên được cấp giấy chứng nhận cho khóa mình dạy"
    assert not box.isChecked()
    box.setChecked(True)
    qtbot.waitUntil(lambda: settings_page.message.text() == "Các thay đổi chưa lưu.")
    settings_page.save_action.trigger()
    assert box.isChecked() and settings_page.message.text() == ""

    page = trainer_page(db, t, qtbot, runner, qsettings)
    assert page.issue_action.isVisible() and not page.revoke_action.isVisible()
    page.course_combo.setCurrentIndex(page.course_combo.findData(t.course_a))
    reviewed: list[str] = []

    def review(dialog: IssueDialog) -> int:
        reviewed.extend(dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount()))
        assert not dialog.after_revoked.isVisibleTo(dialog)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(IssueDialog, "exec", review)
    messages: list[str] = []
    page.status.connect(messages.append)
    page.issue_action.trigger()
    qtbot.waitUntil(lambda: bool(previews), timeout=10000)
    assert sorted(reviewed) == sorted([*A_NAMES, A_PENDING])
    assert A_PENDING.upper() in pdf_text(previews[0].pdf)
    assert messages[-1].startswith("Đã cấp 1 giấy chứng nhận")
    with sqlite3.connect(str(db.path)) as con:
        (who,) = con.execute(
            "SELECT user FROM audit_entries WHERE action = 'certificate.issue' ORDER BY id DESC"
        ).fetchone()
    assert who == "lan"


def test_the_account_window_keeps_the_last_administrator(
    vi_app: QApplication, qtbot: QtBot, two: tuple[Database, TwoTrainers]
) -> None:
    db, t = two
    db.actor = t.accounts["quantri"]
    dialog = UsersDialog(Accounts(UiContext(db, TaskRunner(), ui_settings(), "quantri")))
    qtbot.addWidget(dialog)
    with db.transaction(readonly=True) as s:
        before = users.listing(s)
    own = next(r for r in before if r.username == "quantri")
    for change in ("active", "role"):
        form = dialog.form_dialog(own)
        qtbot.addWidget(form)
        if change == "active":
            form.active.setChecked(False)
        else:
            form.role.setCurrentIndex(form.role.findData("staff"))
        form.ok_button.click()
        assert form.message.text() == (
            "Không thể tự bỏ quyền quản trị hoặc khóa tài khoản của chính mình."
        )
        assert form.result() != UserFormDialog.DialogCode.Accepted
    with db.transaction(readonly=True) as s:
        assert users.listing(s) == before
