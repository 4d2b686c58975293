"""The verify dialog takes a signed PDF dropped on it (a file URL, as Explorer drags it),
checks it in the worker and shows the verdict in green or red with the details."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import certificates, pdf_verification, settings, verification
from app.signing import check
from models import Enrolment, EnrolmentStatus
from tests.app import sign_helpers_verify as helpers
from tests.app import world
from ui.dialogs.verify_dialog import COLOURS, VerifyDialog
from ui.workers import TaskRunner


@pytest.fixture
def signed_file(sqlite_db: Database, tmp_path: Path) -> tuple[Database, Path, str]:
    """One certificate issued, signed with a test .p12 and recorded; its signed file."""
    with sqlite_db.transaction() as s:
        w = world.build(s)
        eid = world.enrol(s, w, world.person(s, "Nguyễn Thị Thanh Hà", birth_date=date(1986, 5, 2)), [], post=9)  # fmt: skip
        s.get_one(Enrolment, eid).status = EnrolmentStatus.COMPLETED
        settings.set_value(s, "issuer", "SỞ KHOA HỌC VÀ CÔNG NGHỆ")
        settings.set_value(s, "signer_name", "Nguyễn Văn Tâm")
        settings.set_value(s, "serial_pattern", "{seq:04d}/GCN-SKHCN")
        (row,) = certificates.issue(s, w.course, None)
    p12 = helpers.make_p12(tmp_path, helpers.make_ca())
    with sqlite_db.transaction() as s:
        done = helpers.sign(helpers.unsigned_certificate(s, row.id), p12)
        helpers.record(s, row.id, done)
    path = tmp_path / "Giấy chứng nhận 0001.pdf"  # a Vietnamese file name, as users save them
    path.write_bytes(done.data)
    return sqlite_db, path, row.serial


def dialog_for(db: Database, runner: TaskRunner) -> VerifyDialog:
    def look_up(text: str) -> verification.Verification:
        with db.transaction(readonly=True) as s:
            return verification.verify(s, text)

    def check_file(path: Path) -> pdf_verification.PdfVerification:
        with db.transaction(readonly=True) as s:
            return pdf_verification.verify_pdf(s, check.read_pdf(path))

    return VerifyDialog(look_up, verify_pdf=check_file, runner=runner)


def drop(dialog: VerifyDialog, path: Path) -> tuple[bool, bool]:
    """Drag path over the dialog and drop it: (entering accepted, drop accepted)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    action = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(20, 20), action, mime, buttons, keys)
    QApplication.sendEvent(dialog, enter)
    if not enter.isAccepted():
        return False, False
    dropped = QDropEvent(QPointF(20, 20), action, mime, buttons, keys)
    QApplication.sendEvent(dialog, dropped)
    return True, dropped.isAccepted()


def test_a_dropped_signed_certificate_is_checked_in_the_worker(
    vi_app: QApplication, qtbot: QtBot, signed_file, runner: TaskRunner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db, path, serial = signed_file
    dialog = dialog_for(db, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.acceptDrops() and dialog.pdf_button.text() == "Chọn tệp PDF…"
    assert drop(dialog, path) == (True, True)
    qtbot.waitUntil(lambda: dialog.pdf_result is not None, timeout=15000)
    assert dialog.verdict.text() == (
        "HỢP LỆ (chưa kiểm tra nơi cấp chứng thư số: chưa đặt sign_trust_roots): tệp đúng là "
        f"giấy chứng nhận số {serial} đã ký ghi trong sổ, chữ ký số còn nguyên vẹn, giấy còn "
        "hiệu lực."
    )
    assert COLOURS[True] in dialog.verdict.styleSheet()
    assert f"Người ký: {helpers.AGENCY}" in dialog.details.text()
    assert "Người được cấp: Nguyễn Thị Thanh Hà" in dialog.details.text()
    assert "giờ Việt Nam" in dialog.details.text()
    qtbot.wait(50)  # the labels' new heights laid out
    dialog.grab().save(str(tmp_path / "kiem-tra-pdf.png"))

    # One byte changed after signing: red, and said so.
    data = path.read_bytes()
    at = data.index(b"ReportLab")
    broken = tmp_path / "sua.PDF"
    broken.write_bytes(data[:at] + b"X" + data[at + 1 :])
    assert drop(dialog, broken) == (True, True)
    qtbot.waitUntil(lambda: dialog.pdf_result is not None, timeout=15000)
    assert dialog.verdict.text().endswith("chữ ký số KHÔNG hợp lệ: tệp đã bị sửa sau khi ký.")
    assert COLOURS[False] in dialog.verdict.styleSheet()


def test_what_is_not_a_pdf_is_not_taken_or_said_unreadable(
    vi_app: QApplication, qtbot: QtBot, signed_file, runner: TaskRunner, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db, _path, _serial = signed_file
    dialog = dialog_for(db, runner)
    qtbot.addWidget(dialog)
    picture = tmp_path / "anh.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert drop(dialog, picture) == (False, False)  # not even taken
    fake = tmp_path / "gia.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n not a pdf")
    assert drop(dialog, fake) == (True, True)
    qtbot.waitUntil(lambda: dialog.verdict.text() == "Không kiểm tra được tệp", timeout=15000)
    assert dialog.details.text() == "Tệp không phải là tệp PDF."
    assert dialog.pdf_button.isEnabled()
    huge = tmp_path / "lon.pdf"
    with huge.open("wb") as file:  # sparse: over the 50 MB limit without writing it
        file.write(b"%PDF-1.7\n")
        file.truncate(50 * 1024 * 1024 + 1)
    assert drop(dialog, huge) == (True, True)
    qtbot.waitUntil(lambda: dialog.details.text().startswith("Tệp lớn quá 50 MB"), timeout=15000)
    assert dialog.verdict.text() == "Không kiểm tra được tệp" and dialog.pdf_button.isEnabled()


def test_without_a_pdf_check_the_dialog_takes_no_drops(vi_app: QApplication, qtbot: QtBot) -> None:
    dialog = VerifyDialog(lambda text: verification.Verification(False, False, "x"))
    qtbot.addWidget(dialog)
    assert not dialog.acceptDrops()
