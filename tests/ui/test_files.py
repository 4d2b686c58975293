"""Where a save goes: the folder used last, and a suffix when the user typed none."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from ui.files import EXCEL_OR_CSV, ask_save_path


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_the_dialog_starts_in_the_last_folder_and_adds_the_missing_suffix(
    vi_app: QApplication, settings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str, str]] = []

    def fake(_parent, title, start, filters, **_kw):  # type: ignore[no-untyped-def]
        asked.append((title, start, filters))
        return str(tmp_path / "out" / "danh-sach.2026"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    settings.setValue("people/last_folder", str(tmp_path / "before"))
    parent = QWidget()
    path = ask_save_path(
        parent, settings, "people", "Xuất", "hoc-vien.xlsx", EXCEL_OR_CSV, (".xlsx", ".csv")
    )
    assert asked == [("Xuất", str(tmp_path / "before" / "hoc-vien.xlsx"), EXCEL_OR_CSV)]
    assert path == tmp_path / "out" / "danh-sach.2026.xlsx"
    assert settings.value("people/last_folder") == str(tmp_path / "out")


def test_a_typed_suffix_is_kept_and_cancel_changes_nothing(
    vi_app: QApplication, settings: QSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([(str(tmp_path / "a.CSV"), ""), ("", "")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
    parent = QWidget()
    args = (parent, settings, "teams", "Xuất", "x.xlsx", EXCEL_OR_CSV, (".xlsx", ".csv"))
    assert ask_save_path(*args) == tmp_path / "a.CSV"
    settings.setValue("teams/last_folder", "giữ nguyên")
    assert ask_save_path(*args) is None
    assert settings.value("teams/last_folder") == "giữ nguyên"
