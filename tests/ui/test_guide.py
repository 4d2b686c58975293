"""Trợ giúp → Hướng dẫn sử dụng: the guide, with its pictures, offline."""

from __future__ import annotations

import re

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import resources
from ui.dialogs.guide_dialog import GuideDialog
from ui.main_window import MainWindow

TOPICS = ("Cài đặt", "Lần mở đầu tiên", "Nhập danh sách từ Excel", "Lên kế hoạch khóa học",
          "In danh sách ký tên", "Điểm danh", "Nhập điểm", "Cấp và in giấy chứng nhận",
          "Tra cứu một giấy chứng nhận", "Báo cáo", "Sao lưu và khôi phục",
          "Nhiều máy dùng chung (PostgreSQL)")  # fmt: skip


def test_the_guide_covers_the_work_and_its_pictures_exist() -> None:
    text = resources.guide().read_text(encoding="utf-8")
    headings = re.findall(r"^## \d+\. (.+)$", text, re.M)
    for topic in TOPICS:
        assert any(h.startswith(topic) for h in headings), topic
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(pictures) >= 10
    for picture in pictures:
        assert (resources.docs_dir() / picture).is_file(), picture


def test_f1_opens_the_guide_with_its_pictures(
    make_window, qtbot: QtBot, vi_app: QApplication
) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window()
    assert window.guide_action.shortcut().toString() == "F1"
    dialog = window.show_guide()
    assert isinstance(dialog, GuideDialog)
    document = dialog.browser.document()
    assert document.toPlainText().startswith("Hướng dẫn sử dụng TapHuan")
    image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl("anh/hoc-vien.png"))
    assert image is not None and not image.isNull()
    dialog.close()


def test_the_guide_holds_no_developer_instructions() -> None:
    """F1 is for users: how the pictures are retaken is in the README's developer part."""
    text = resources.guide().read_text(encoding="utf-8")
    for developer in ("python ", "chup_anh", "pip ", "pytest", ".venv", "git "):
        assert developer not in text, developer
    assert "python docs/chup_anh.py" in (resources.docs_dir().parent / "README.md").read_text(
        encoding="utf-8"
    )
