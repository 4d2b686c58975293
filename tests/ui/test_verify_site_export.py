"""Xuất trang tra cứu… on the Chứng nhận page: the folder chosen in Qt's Vietnamese
dialog, the work in the worker with progress and Hủy, the result with what changed; a
folder of other files refused (or a subfolder taken); not offered to a trainer."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import certificates
from tests.app import two_trainers, verify_site_world
from tests.ui.prompts import AnsweringPrompter
from ui.context import UiContext
from ui.pages.certificates_page import CertificatesPage
from ui.workers import TaskRunner


def open_page(db: Database, runner: TaskRunner, qsettings: QSettings, qtbot: QtBot,
              prompter: AnsweringPrompter) -> CertificatesPage:  # fmt: skip
    page = CertificatesPage(UiContext(db, runner, qsettings, "tester", prompter))
    qtbot.addWidget(page)
    return page


@pytest.fixture
def chosen(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """The folders the user picks in the folder dialog, in turn (titles kept)."""
    folders: list[Path] = []
    titles: list[str] = []

    def pick(_parent, title, *_a, **_k) -> str:  # type: ignore[no-untyped-def]
        titles.append(title)
        return str(folders.pop(0))

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", pick)
    yield folders
    assert all(title.startswith("Chọn thư mục cho trang tra cứu") for title in titles)


def informed(prompter: AnsweringPrompter) -> list[str]:
    return [text for kind, _title, text in prompter.shown if kind == "inform"]


def test_publish_from_the_page_then_again_after_a_revocation(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, runner: TaskRunner,
    qsettings: QSettings, prompter: AnsweringPrompter, chosen: list[Path], tmp_path: Path,
) -> None:  # fmt: skip
    w = verify_site_world.build(sqlite_db)
    page = open_page(sqlite_db, runner, qsettings, qtbot, prompter)
    assert page.publish_action.isVisible()
    assert page.publish_action.text() == "Xuất trang tra cứu…"
    out = tmp_path / "web" / "tra-cuu"
    out.parent.mkdir()
    chosen.append(out.parent)  # a folder of other things: a subfolder is offered
    (out.parent / "gioi-thieu.html").write_text("<p>cổng thông tin</p>", encoding="utf-8")
    prompter.answer(True)
    page.publish_action.trigger()
    qtbot.waitUntil(lambda: bool(informed(prompter)), timeout=15000)
    kind, title, question = prompter.asked[0]
    assert kind == "confirm" and f"Xuất vào thư mục con {out}?" in question
    assert "không phải trang tra cứu TapHuan" in question
    message = informed(prompter)[0]
    assert f"Đã xuất trang tra cứu vào {out}: 6 giấy chứng nhận" in message
    assert "Lần xuất đầu tiên vào thư mục này." in message and "Chưa đặt verify_url" in message
    assert len(list((out / "gcn").glob("*.json"))) == 6
    assert (out.parent / "gioi-thieu.html").exists()

    with sqlite_db.transaction() as s:
        certificates.revoke(s, w.serials["valid"], "Cấp nhầm người")
    chosen.append(out)
    page.publish_action.trigger()
    qtbot.waitUntil(lambda: len(informed(prompter)) == 2, timeout=15000)
    message = informed(prompter)[1]
    assert "0 giấy mới, 1 đổi trạng thái, 0 không còn công bố, 5 không đổi." in message
    assert re.search(
        rf"{re.escape(w.serials['valid'])}: Hợp lệ \(đến \d\d/\d\d/\d{{4}}\) → Đã thu hồi$",
        message,
        re.M,
    )
    key = hashlib.sha256(w.codes["valid"].encode()).hexdigest()
    assert json.loads((out / "gcn" / f"{key}.json").read_text("utf-8"))["status"] == "revoked"
    assert qsettings.value("certificates/verify_site_folder") == str(out.parent)


def test_cancel_keeps_the_folder_and_a_foreign_folder_is_refused(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, runner: TaskRunner,
    qsettings: QSettings, prompter: AnsweringPrompter, chosen: list[Path], tmp_path: Path,
) -> None:  # fmt: skip
    verify_site_world.build(sqlite_db)
    page = open_page(sqlite_db, runner, qsettings, qtbot, prompter)
    out = tmp_path / "tra-cuu"
    gate = threading.Event()
    runner.start(lambda _t: gate.wait(10), lambda _r: None)  # the worker is busy…
    messages: list[str] = []
    page.status.connect(messages.append)
    chosen.append(out)
    page.publish_action.trigger()
    progress = page.site_export.progress
    assert progress is not None
    cancel = progress.findChild(QPushButton)
    assert cancel.text() == "Hủy"
    cancel.click()  # …so Hủy is pressed before anything is written
    gate.set()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert messages == ["Đã hủy: thư mục trang tra cứu giữ nguyên như trước."]
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".tra")]

    documents = tmp_path / "Documents"
    (documents / "tra-cuu").mkdir(parents=True)
    (documents / "tra-cuu" / "ghi-chu.txt").write_text("của người dùng", encoding="utf-8")
    chosen.append(documents)  # neither it nor its tra-cuu are free: refused, no question
    page.publish_action.trigger()
    assert prompter.warned == [
        f"Thư mục {documents} đã có tệp khác và không phải trang tra cứu TapHuan đã xuất "
        "trước đây: TapHuan không ghi đè lên nó. Hãy chọn một thư mục trống hoặc một thư "
        f"mục mới, ví dụ {documents / 'tra-cuu'}."
    ]
    assert sorted(p.name for p in documents.rglob("*")) == ["ghi-chu.txt", "tra-cuu"]
    assert prompter.asked == []


def test_a_trainer_is_not_offered_the_export(
    vi_app: QApplication, qtbot: QtBot, sqlite_db: Database, runner: TaskRunner,
    qsettings: QSettings, prompter: AnsweringPrompter,
) -> None:  # fmt: skip
    t = two_trainers.build(sqlite_db)
    sqlite_db.actor = t.accounts["lan"]
    page = open_page(sqlite_db, runner, qsettings, qtbot, prompter)
    assert page.publish_action.isVisible() is False
    sqlite_db.actor = t.accounts["canbo"]
    page.reload()
    assert page.publish_action.isVisible() is True
