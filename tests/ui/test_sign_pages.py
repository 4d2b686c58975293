"""Ký số in the window: the issue dialog's "Ký số" box (only with one file a person and a
key set), the password asked once through the prompter, signing in the worker with
progress and cancel, and the signed register and report."""

from __future__ import annotations

import hashlib
import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from app.services import certificate_signing, certificates, settings
from models import Certificate, CertificateSignature
from tests.app.sign_helpers import PASSWORD, make_key, signature_valid
from tests.ui.prompts import AnsweringPrompter
from tests.ui.test_certificates_page import count, open_page
from ui.context import UiContext
from ui.dialogs.issue_dialog import NO_KEY, IssueChoices, IssueDialog
from ui.pages.reports_page import ReportsPage
from ui.workers import TaskRunner

pytest_plugins = ["tests.ui.test_certificates_page"]  # course_done, previews


@pytest.fixture
def keyed(course_done, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The course of three people, with a .p12 set as the signing key."""
    db, w = course_done
    key = make_key(tmp_path / "khoa")
    with db.transaction() as s:
        settings.set_value(s, "sign_p12", str(key.p12))
    return db, w


def _choosing(folder: Path, sign: bool = True):  # type: ignore[no-untyped-def]
    def review(dialog: IssueDialog) -> int:
        assert not dialog.sign.isEnabled()  # not before one file a person is chosen
        dialog.folder.setText(str(folder))
        dialog.per_person.setChecked(True)
        assert dialog.sign.isEnabled() and "ky-so.p12" in dialog.sign.toolTip()
        dialog.sign.setChecked(sign)
        return QDialog.DialogCode.Accepted

    return review


def test_issue_dialog_offers_signing_only_with_a_key(
    vi_app: QApplication, qtbot: QtBot, qsettings: QSettings
) -> None:
    dlg = IssueDialog(IssueChoices([], [], True), lambda _e: None, "K", qsettings, None)  # type: ignore[arg-type, return-value]
    qtbot.addWidget(dlg)
    dlg.per_person.setChecked(True)
    assert not dlg.sign.isEnabled() and dlg.sign.toolTip() == NO_KEY and not dlg.signed()


def test_issue_with_signing_from_the_page(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    keyed,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = keyed
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    folder = tmp_path / "gcn"
    monkeypatch.setattr(IssueDialog, "exec", _choosing(folder))
    labels: list[str] = []
    messages: list[str] = []
    page.status.connect(messages.append)
    prompter.answer(PASSWORD)
    page.issue_action.trigger()
    page.task.signals.progress.connect(labels.append)
    qtbot.waitUntil(lambda: bool(previews), timeout=20000)
    assert prompter.asked == [("text", "Ký số", "Mật khẩu tệp chứng thư số:")]
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == 3 and all(signature_valid(f) for f in files)
    with db.transaction(readonly=True) as s:
        recorded = {x for (x,) in s.query(CertificateSignature.sha256)}
    assert recorded == {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    assert "Đang ký số 3/3" in labels
    assert messages[-1].endswith("(đã ký số).")


def test_wrong_password_in_the_window_issues_nothing(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    keyed,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = keyed
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    folder = tmp_path / "gcn"
    monkeypatch.setattr(IssueDialog, "exec", _choosing(folder))
    prompter.answer("sai")
    page.issue_action.trigger()
    qtbot.waitUntil(lambda: bool(prompter.warned), timeout=20000)
    assert "sai mật khẩu" in prompter.warned[0]
    assert count(db, Certificate) == 0 and not folder.exists() and previews == []


def test_cancel_while_signing_keeps_what_was_signed(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    keyed,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = keyed
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    folder = tmp_path / "gcn"
    monkeypatch.setattr(IssueDialog, "exec", _choosing(folder))
    gate = threading.Event()
    runner.start(lambda _t: gate.wait(10), lambda _r: None)  # the worker is busy…
    prompter.answer(PASSWORD)
    page.issue_action.trigger()

    def press_cancel(text: str) -> None:  # in the worker, as the first file is signed
        if text.startswith("Đang ký số 1/"):
            page.task.cancel()

    page.task.signals.progress.connect(press_cancel, Qt.ConnectionType.DirectConnection)
    gate.set()
    qtbot.waitUntil(lambda: bool(prompter.warned), timeout=20000)
    message = prompter.warned[0]
    assert "Đã cấp 3 giấy chứng nhận" in message and "đã ký số 1/3 tệp" in message
    assert "người dùng đã bấm Hủy" in message and "--sign" in message
    files = list(folder.iterdir())
    assert len(files) == 1 and signature_valid(files[0])  # no unsigned file, no temporary
    assert count(db, Certificate) == 3 and count(db, CertificateSignature) == 1
    with db.transaction(readonly=True) as s:
        row = certificates.listing(s)[0]
        (sig,) = certificate_signing.signatures(s, row.id)
    assert sig.sha256 == hashlib.sha256(files[0].read_bytes()).hexdigest()


def test_register_and_report_signed_from_the_window(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    keyed,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = keyed
    with db.transaction() as s:
        certificates.issue(s, w.course, None)
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    book = tmp_path / "so-cap.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(book), ""))
    prompter.answer(date.today().year, True, PASSWORD)
    page.register()
    assert signature_valid(book)
    assert prompter.asked[1][0] == "confirm" and "ky-so.p12" in prompter.asked[1][2]

    reports = ReportsPage(UiContext(db, runner, qsettings, "test", prompter))
    qtbot.addWidget(reports)
    report = tmp_path / "bao-cao.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(report), ""))
    prompter.answer(PASSWORD)
    reports.save_signed_pdf()
    qtbot.waitUntil(lambda: report.exists(), timeout=20000)
    qtbot.waitUntil(lambda: "Đã lưu báo cáo ký số" in reports.state.text(), timeout=20000)
    assert signature_valid(report)
