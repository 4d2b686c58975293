"""The Chứng nhận and Cài đặt pages: settings with a live preview, issuing with review,
progress and cancel, reprint, revoke, reissue, verify and the register, on a real database."""

from __future__ import annotations

import io
import threading
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.db import Database
from app.services import certificate_preview, certificates, settings, verification
from models import Certificate, Enrolment, EnrolmentStatus, SerialCounter, Setting
from tests.app import world
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.dialogs.issue_dialog import IssueChoices, IssueDialog
from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog
from ui.dialogs.verify_dialog import VerifyDialog
from ui.pages.certificates_page import CertificatesPage
from ui.pages.settings_page import SettingsPage
from ui.workers import TaskRunner


def verifier(db: Database):  # type: ignore[no-untyped-def]
    """What the page hands the look-up dialog: a read-only verification."""

    def verify(text: str) -> verification.Verification:
        with db.transaction(readonly=True) as s:
            return verification.verify(s, text)

    return verify


def previewer(db: Database):  # type: ignore[no-untyped-def]
    def preview(enrolment_id: int):  # type: ignore[no-untyped-def]
        with db.transaction(readonly=True) as s:
            return certificate_preview.preview(s, enrolment_id=enrolment_id)

    return preview


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in pages))


def count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    with db.transaction(readonly=True) as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


@pytest.fixture
def warnings(prompter: AnsweringPrompter) -> list[str]:
    """What the pages warned of, through the window's prompter."""
    return prompter.warned


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The PDFs the page opens in its print preview (the dialog is built, not shown)."""
    opened: list[bytes] = []

    def exec_(self: PdfPreviewDialog) -> int:
        opened.append(self.pdf)
        return 0

    monkeypatch.setattr(PdfPreviewDialog, "exec", exec_)
    return opened


@pytest.fixture
def course_done(sqlite_db: Database):  # type: ignore[no-untyped-def]
    """Three people who completed a course; the department's settings are filled in."""
    with sqlite_db.transaction() as s:
        w = world.build(s)
        names = ["Nguyễn Thị Thanh Hà", "Lê Văn An", "Trần Thị Bích Ngọc"]
        for name in names:
            eid = world.enrol(s, w, world.person(s, name, birth_date=date(1986, 5, 2)), [], post=9)
            s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        for key, value in {
            "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "signer_name": "Nguyễn Văn Tâm",
            "serial_pattern": "{seq:04d}/GCN-SKHCN",
        }.items():
            settings.set_value(s, key, value)
    return sqlite_db, w


# -- Cài đặt ---------------------------------------------------------------------------


def test_settings_page_previews_unsaved_values_and_saves_them(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    course_done,
    runner: TaskRunner,
    qsettings: QSettings,
) -> None:  # type: ignore[no-untyped-def]
    db, _w = course_done
    page = SettingsPage(UiContext(db, runner, qsettings, "tester", prompter))
    qtbot.addWidget(page)
    assert not page.preview.pixmap().isNull()
    page.edits["issuer_parent"].setText("UBND TỈNH VĨNH LONG")
    page.signer_title.setPlainText("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
    page.template.setCurrentIndex(page.template.findData("modern"))
    text = pdf_text(page._pdf())
    assert "UBND TỈNH VĨNH LONG" in text and "PHÓ GIÁM ĐỐC" in text
    assert (
        "Số hiệu: …/MẪU" in text and "0001/GCN-SKHCN" not in text
    )  # a sample, not the next serial
    with db.transaction(readonly=True) as s:
        assert settings.get(s, "issuer_parent") == "UBND TỈNH"  # nothing saved yet
    qtbot.waitUntil(lambda: page.message.text() == "Các thay đổi chưa lưu.")
    page.save_action.trigger()
    with db.transaction(readonly=True) as s:
        assert settings.get(s, "issuer_parent") == "UBND TỈNH VĨNH LONG"
        assert settings.get(s, "signer_title") == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
        assert settings.get(s, "template") == "modern"
    assert page.message.text() == ""


def test_settings_page_refuses_a_bad_pattern_and_a_file_that_is_not_an_image(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    course_done,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    warnings: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, _w = course_done
    page = SettingsPage(UiContext(db, runner, qsettings, "tester", prompter))
    qtbot.addWidget(page)
    before = count(db, Setting)
    page.edits["place"].setText("Vĩnh Long")
    page.edits["serial_pattern"].setText("GCN-{nam}")
    qtbot.waitUntil(lambda: "phải có {seq}" in page.message.text())
    page.save_action.trigger()
    assert warnings == ["Mẫu số hiệu phải có {seq}, ví dụ “{seq:04d}/{year}/GCN-SKHCN”."]
    with db.transaction(readonly=True) as s:  # all or nothing: the good place was not kept
        assert settings.get(s, "place") == ""
        assert settings.get(s, "serial_pattern") == "{seq:04d}/GCN-SKHCN"
    assert count(db, Setting) == before

    fake = tmp_path / "con-dau.png"
    fake.write_bytes(b"%PDF-1.4 this is not a picture")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(fake), ""))
    page.choose_image("seal")
    assert warnings[-1] == "Con dấu (ảnh PNG nền trong): tệp không phải là ảnh (PNG hoặc JPEG)."
    assert page.picked == {} and page.image_labels["seal"].text() == "(chưa đặt)"

    seal = tmp_path / "dau.png"
    Image.new("RGBA", (60, 60), (200, 0, 0, 128)).save(seal)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(seal), ""))
    page.choose_image("seal")
    page.edits["serial_pattern"].setText("{seq:04d}/{year}/GCN")
    page.save_action.trigger()
    with db.transaction(readonly=True) as s:
        assert settings.image(s, "seal") == seal.read_bytes()
        assert settings.get(s, "place") == "Vĩnh Long"
    assert page.image_labels["seal"].text() == "ảnh 1 KB"


# -- Chứng nhận ------------------------------------------------------------------------


def open_page(db, runner, qsettings, qtbot, course_id, prompter=None) -> CertificatesPage:  # type: ignore[no-untyped-def]
    prompter = prompter or AnsweringPrompter()
    page = CertificatesPage(UiContext(db, runner, qsettings, "tester", prompter))
    qtbot.addWidget(page)
    page.course_combo.setCurrentIndex(page.course_combo.findData(course_id))
    return page


def test_issue_from_the_page_after_review_with_one_file_per_person(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    course_done,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = course_done
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    reviewed: list[str] = []

    def review(dialog: IssueDialog) -> int:
        reviewed.extend(dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount()))
        assert not dialog.preview.pixmap().isNull()  # the first person's real page
        dialog.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)  # not Lê Văn An this time
        assert dialog.ok.text() == "Cấp 2 giấy chứng nhận"
        dialog.folder.setText(str(tmp_path / "gcn"))
        dialog.per_person.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(IssueDialog, "exec", review)
    messages: list[str] = []
    page.status.connect(messages.append)
    page.issue_action.trigger()
    qtbot.waitUntil(lambda: bool(previews), timeout=10000)
    assert reviewed == ["Lê Văn An", "Nguyễn Thị Thanh Hà", "Trần Thị Bích Ngọc"]
    text = pdf_text(previews[0])
    assert "NGUYỄN THỊ THANH HÀ" in text and "TRẦN THỊ BÍCH NGỌC" in text
    assert "LÊ VĂN AN" not in text
    assert sorted(p.name for p in (tmp_path / "gcn").iterdir()) == [
        "0001-GCN-SKHCN_Nguyen-Thi-Thanh-Ha.pdf",
        "0002-GCN-SKHCN_Tran-Thi-Bich-Ngoc.pdf",
    ]
    assert messages[-1].startswith("Đã cấp 2 giấy chứng nhận (0001/GCN-SKHCN – 0002/GCN-SKHCN)")
    assert [page.table.item(r, 1).text() for r in range(page.table.rowCount())] == [
        "Nguyễn Thị Thanh Hà",
        "Trần Thị Bích Ngọc",
    ]


def test_cancelling_an_issue_rolls_the_serials_back(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    course_done,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = course_done
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    monkeypatch.setattr(IssueDialog, "exec", lambda _d: QDialog.DialogCode.Accepted)
    gate = threading.Event()
    runner.start(lambda _t: gate.wait(10), lambda _r: None)  # the worker is busy…
    messages: list[str] = []
    page.status.connect(messages.append)
    page.issue_action.trigger()
    page.task.cancel()  # …so Hủy is pressed before the first certificate
    gate.set()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert messages == ["Đã hủy: không cấp giấy chứng nhận nào, số hiệu không bị dùng."]
    assert count(db, Certificate) == 0 and count(db, SerialCounter) == 0
    assert previews == []


def test_revoke_reissue_verify_and_register_from_the_page(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    course_done,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[bytes],
    warnings: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = course_done
    with db.transaction() as s:
        issued = certificates.issue(s, w.course, None)
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    page.table.sortItems(0)
    page.table.selectRow(0)
    serial = page.table.item(0, 0).text()
    assert serial == "0001/GCN-SKHCN"

    prompter.answer("  ")
    page.revoke()
    assert warnings == ["Hãy ghi lý do thu hồi giấy chứng nhận."]
    with db.transaction(readonly=True) as s:
        assert verification.verify(s, serial).valid

    prompter.answer(True)
    page.reissue()
    assert "0004/GCN-SKHCN" in pdf_text(previews[-1])
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == serial)
    assert page.table.item(row, 5).text() == "Đã được cấp lại"
    assert page.table.item(row, 6).text() == "được thay bằng số 0004/GCN-SKHCN"

    page.table.sortItems(0)
    page.table.selectRow(1)
    prompter.answer("Ghi sai ngày sinh")
    page.revoke()
    assert page.table.item(1, 5).text() == "Đã thu hồi"

    dialog = VerifyDialog(verifier(db), page)
    qtbot.addWidget(dialog)
    dialog.entry.setText(f"TAPHUAN|{issued[2].serial}|{issued[2].verification_code}")
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert dialog.verdict.text() == "Giấy chứng nhận số 0003/GCN-SKHCN: CÒN HIỆU LỰC"
    assert "Trần Thị Bích Ngọc" in dialog.details.text()
    dialog.entry.setText(issued[1].verification_code)
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert dialog.verdict.text() == "Giấy chứng nhận số 0002/GCN-SKHCN: ĐÃ THU HỒI"
    assert "Lý do thu hồi: Ghi sai ngày sinh" in dialog.details.text()
    dialog.entry.setText("KHONGCO")
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert (dialog.verdict.text(), dialog.result.valid) == ("Không tìm thấy", False)

    import openpyxl

    target = tmp_path / "so-cap.xlsx"
    prompter.answer(date.today().year)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.register()
    sheet = openpyxl.load_workbook(target).active
    assert sheet.cell(4, 2).value == "Số hiệu"  # below the title rows
    rows = range(5, sheet.max_row + 1)
    serials = [sheet.cell(r, 2).value for r in rows if isinstance(sheet.cell(r, 1).value, int)]
    assert serials == [f"{n:04d}/GCN-SKHCN" for n in range(1, 5)]


@pytest.fixture
def crashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Unexpected errors the page would show in its crash box (recorded, not shown)."""
    shown: list[str] = []
    monkeypatch.setattr("ui.pages.certificates_page.show_error",
                        lambda _t, message, details=None: shown.append(f"{message}\n{details}"))  # fmt: skip
    return shown


def test_issue_dialog_offers_a_revoked_person_only_by_an_explicit_choice(
    vi_app: QApplication, qtbot: QtBot, course_done, qsettings: QSettings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db, w = course_done
    with db.transaction() as s:
        certificates.issue(s, w.course, None)
        certificates.revoke(s, "0001/GCN-SKHCN", "Ghi sai ngày sinh")  # Lê Văn An
        eid = world.enrol(s, w, world.person(s, "Phạm Thị Mai"), [], post=8)
        s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
    parent = QWidget()
    qtbot.addWidget(parent)
    with db.transaction(readonly=True) as s:
        choices = IssueChoices(certificates.eligible(s, w.course), [], True)
    dialog = IssueDialog(choices, previewer(db), "TH-2024-001 – Tập huấn kỹ năng số", qsettings,
                         parent)  # fmt: skip
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 1).text(): r for r in range(dialog.table.rowCount())}
    an = dialog.table.item(rows["Lê Văn An"], 0)
    assert an.checkState() == Qt.CheckState.Unchecked
    assert not an.flags() & Qt.ItemFlag.ItemIsUserCheckable  # not by a stray click
    assert dialog.table.item(rows["Lê Văn An"], 4).text() == "0001/GCN-SKHCN (đã thu hồi)"
    assert not dialog.after_revoked.isHidden() and not dialog.after_revoked.isChecked()
    assert "Cấp giấy mới thay giấy đã bị thu hồi (1 người" in dialog.after_revoked.text()
    assert dialog.ok.text() == "Cấp 1 giấy chứng nhận" and not dialog.include_revoked()
    dialog.show()
    dialog.grab().save(str(tmp_path / "hop-cap-giay.png"))  # looked at while writing this
    dialog.after_revoked.setChecked(True)
    assert an.checkState() == Qt.CheckState.Checked and dialog.include_revoked()
    assert dialog.ok.text() == "Cấp 2 giấy chứng nhận"
    dialog.after_revoked.setChecked(False)
    assert (
        an.checkState() == Qt.CheckState.Unchecked and dialog.ok.text() == "Cấp 1 giấy chứng nhận"
    )


def test_issue_from_the_page_after_a_revocation_needs_the_choice(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    course_done,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = course_done
    with db.transaction() as s:
        certificates.issue(s, w.course, None)
        certificates.revoke(s, "0001/GCN-SKHCN", "Ghi sai ngày sinh")
        eid = world.enrol(s, w, world.person(s, "Phạm Thị Mai"), [], post=8)
        s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    choice = [False]

    def accept(dialog: IssueDialog) -> int:
        dialog.after_revoked.setChecked(choice[0])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(IssueDialog, "exec", accept)
    page.issue_action.trigger()
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=10000)
    text = pdf_text(previews[0])
    assert "PHẠM THỊ MAI" in text and "LÊ VĂN AN" not in text
    choice[0] = True
    page.issue_action.trigger()
    qtbot.waitUntil(lambda: len(previews) == 2, timeout=10000)
    assert "LÊ VĂN AN" in pdf_text(previews[1]) and "0005/GCN-SKHCN" in pdf_text(previews[1])
    with db.transaction(readonly=True) as s:
        assert certificates.issued_row(s, s.get_one(Certificate, 1)).replaced_by == "0005/GCN-SKHCN"


def test_issue_to_a_folder_that_cannot_be_made_issues_nothing(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    course_done,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[bytes],
    warnings: list[str],
    crashes: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = course_done
    blocker = tmp_path / "gcn"
    blocker.write_text("một tệp")

    def accept(dialog: IssueDialog) -> int:
        dialog.folder.setText(str(blocker / "tung-nguoi"))
        dialog.per_person.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(IssueDialog, "exec", accept)
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    page.issue_action.trigger()
    qtbot.waitUntil(lambda: bool(warnings or crashes), timeout=10000)
    assert crashes == []
    assert warnings == [
        f"Không tạo được thư mục {blocker / 'tung-nguoi'}: một phần của đường dẫn không phải là thư mục. "
        "Chưa cấp giấy chứng nhận nào; số hiệu không bị dùng."
    ]
    assert count(db, Certificate) == 0 and count(db, SerialCounter) == 0
    assert previews == [] and page.table.rowCount() == 0


def test_cancel_while_the_files_are_written_leaves_no_file_and_no_serial(
    vi_app: QApplication,
    qtbot: QtBot,
    prompter: AnsweringPrompter,
    course_done,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = course_done
    folder = tmp_path / "gcn"

    def accept(dialog: IssueDialog) -> int:
        dialog.folder.setText(str(folder))
        dialog.per_person.setChecked(True)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(IssueDialog, "exec", accept)
    from ui.workers import Task

    real_report = Task.report

    written: list[int] = []

    def report(self: Task, step: str) -> None:
        if step.startswith("Đã ghi 2/"):  # Hủy pressed with all issued and two files written
            work = [w for w in folder.glob(".taphuan-dang-ghi-*") if w.is_dir()]
            written.extend(len(list(w.glob("*.tam"))) for w in work)
            self.cancel()
        real_report(self, step)

    monkeypatch.setattr(Task, "report", report)
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    messages: list[str] = []
    page.status.connect(messages.append)
    page.issue_action.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert messages == ["Đã hủy: không cấp giấy chứng nhận nào, số hiệu không bị dùng."]
    assert written == [2]
    assert count(db, Certificate) == 0 and count(db, SerialCounter) == 0
    assert not folder.exists()  # the folder it made for them is gone too
    assert previews == []


def test_verify_dialog_refuses_a_forged_qr_and_names_nobody_by_serial(
    vi_app: QApplication, qtbot: QtBot, course_done, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db, w = course_done
    with db.transaction() as s:
        a, b, _c = certificates.issue(s, w.course, None)
    dialog = VerifyDialog(verifier(db))
    qtbot.addWidget(dialog)
    dialog.entry.setText(f"TAPHUAN|{a.serial}|{b.verification_code}")
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert dialog.verdict.text() == "Không hợp lệ" and not dialog.result.valid
    assert "không thuộc cùng một giấy chứng nhận" in dialog.details.text()
    dialog.entry.setText(a.serial)
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert dialog.verdict.text() == f"Giấy chứng nhận số {a.serial}: CÒN HIỆU LỰC"
    assert a.full_name not in dialog.details.text() and "mã xác minh" in dialog.details.text()
    dialog.show()
    dialog.grab().save(str(tmp_path / "tra-cuu.png"))
