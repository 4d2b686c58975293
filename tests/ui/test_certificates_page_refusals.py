"""The Chứng nhận page refuses, in Vietnamese, what the services refuse: printing again a
revoked certificate (In lại, Lưu từng người)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.services import certificates
from models import AuditEntry
from tests.ui.prompts import AnsweringPrompter
from tests.ui.test_certificates_page import course_done, open_page, previews, warnings
from ui.workers import TaskRunner

__all__ = ["course_done", "previews", "warnings"]  # fixtures shared with the page's tests


def test_a_revoked_certificate_is_not_printed_again_from_the_page(
    vi_app: QApplication,
    qtbot: QtBot,
    course_done,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    previews: list[bytes],
    warnings: list[str],
    prompter: AnsweringPrompter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, w = course_done
    with db.transaction() as s:
        issued = certificates.issue(s, w.course, None)
        certificates.revoke(s, issued[0].serial, "Ghi sai ngày sinh")
    page = open_page(db, runner, qsettings, qtbot, w.course, prompter)
    row = next(
        r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == issued[0].serial
    )
    page.table.selectRow(row)
    assert page.table.item(row, 5).text() == "Đã thu hồi"
    page.reprint()  # In lại: no preview, so nothing to print or save
    assert previews == []
    assert warnings == [
        f"Giấy chứng nhận số {issued[0].serial} đã bị thu hồi; không in lại giấy không còn "
        "hiệu lực."
    ]
    folder = tmp_path / "gcn"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    page.save_files()  # Lưu từng người…
    qtbot.waitUntil(lambda: len(warnings) == 2, timeout=10000)
    assert warnings[1] == warnings[0]
    assert list(folder.iterdir()) == []
    with db.transaction(readonly=True) as s:
        assert not s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "print.certificates")
        )
