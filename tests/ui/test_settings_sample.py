"""The Cài đặt page: its sample certificate is marked "MẪU" across the page, with a
placeholder serial and verification code and never the next real serial, yet the real
layout, signer and images (rendered and looked at with pdftoppm while writing this); an
image too large to use is refused with a message, a large one is shown scaled down."""

from __future__ import annotations

import io
import shutil
import subprocess
import warnings
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services import certificate_preview, certificates, settings, verification
from tests.app.test_setting_images import gradient, png_of_size
from tests.ui.prompts import AnsweringPrompter
from tests.ui.test_certificates_page import course_done, pdf_text
from ui.context import UiContext
from ui.pages.settings_page import SettingsPage
from ui.workers import TaskRunner

__all__ = ["course_done"]  # the fixture shared with the page's tests


def images_on_page(pdf: bytes) -> int:
    """Images drawn on the first page, those inside the reused form included."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return len(page.images)


def test_the_sample_is_marked_and_never_shows_the_next_serial(
    vi_app: QApplication,
    qtbot: QtBot,
    course_done,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    tmp_path: Path,
) -> None:
    db: Database = course_done[0]
    w = course_done[1]
    seal = tmp_path / "dau.png"
    Image.new("RGBA", (120, 120), (200, 0, 0, 160)).save(seal)
    with db.transaction() as s:
        certificates.issue(s, w.course, None)  # 0001–0003: the next would be 0004
        settings.set_value(s, "seal", str(seal))
        settings.set_value(s, "verify_url", "https://sokhcn.vinhlong.gov.vn/tra-cuu")
    page = SettingsPage(UiContext(db, runner, qsettings, "tester"))
    qtbot.addWidget(page)
    pdf = page._pdf()
    text = pdf_text(pdf)
    assert "MẪU" in text and "BẢN MẪU – KHÔNG CÓ GIÁ TRỊ CHỨNG NHẬN" in text
    assert "Số hiệu: …/MẪU" in text and "Mã xác minh: MẪU" in text
    assert "0004/GCN-SKHCN" not in text and "GCN-SKHCN" not in text
    assert "Nguyễn Văn Tâm" in text and "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text  # the real signer
    assert images_on_page(pdf) >= 1  # the seal
    with db.transaction(readonly=True) as s:  # its QR code verifies nothing
        data = certificate_preview.preview(s)
        assert data.qr_text == "https://sokhcn.vinhlong.gov.vn/tra-cuu?ma=M%E1%BA%AAU"
        assert not verification.verify(s, data.qr_text).valid
    if shutil.which("pdftoppm"):  # what was looked at while writing this
        (tmp_path / "mau.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "mau.pdf"),
                        str(tmp_path / "mau")], check=True)  # fmt: skip
        assert (tmp_path / "mau-1.png").stat().st_size > 10_000


def test_an_issued_certificate_carries_no_mark(course_done) -> None:  # type: ignore[no-untyped-def]
    db, w = course_done
    with db.transaction() as s:
        (row, *_) = certificates.issue(s, w.course, None, on=date(2026, 11, 28))
        ((data, _name),) = certificates.reprint(s, [row.id])
    assert data.watermark == ""
    assert "MẪU" not in pdf_text(certificates.render_one(data))


def test_the_page_refuses_a_decompression_bomb_and_scales_a_large_image(
    vi_app: QApplication,
    qtbot: QtBot,
    course_done,  # type: ignore[no-untyped-def]
    runner: TaskRunner,
    qsettings: QSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prompter: AnsweringPrompter,
) -> None:
    db: Database = course_done[0]
    shown = prompter.warned
    page = SettingsPage(UiContext(db, runner, qsettings, "tester", prompter))
    qtbot.addWidget(page)
    bomb = tmp_path / "logo.png"
    bomb.write_bytes(png_of_size(20_000, 20_000))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bomb), ""))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        page.choose_image("logo")
    assert shown and shown[0].startswith("Logo (ảnh PNG/JPEG): ảnh quá lớn;")
    assert [str(w.message) for w in seen] == []
    assert page.picked == {} and page.image_labels["logo"].text() == "(chưa đặt)"
    big = tmp_path / "logo-lon.png"
    big.write_bytes(gradient(3_000, 2_000))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(big), ""))
    page.choose_image("logo")
    assert Image.open(io.BytesIO(page.images["logo"])).size == (600, 400)
    page.save_action.trigger()
    with db.transaction(readonly=True) as s:
        assert settings.image(s, "logo") == page.images["logo"]
