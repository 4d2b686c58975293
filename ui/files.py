"""Asking where to save: Qt's own (translated) dialog, starting in the folder used last."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from app.files import safe_name

EXCEL_OR_CSV = "Bảng tính Excel (*.xlsx);;CSV UTF-8 (*.csv)"


def ask_save_path(
    parent: QWidget,
    settings: QSettings,
    key: str,
    title: str,
    file_name: str,
    filters: str,
    suffixes: tuple[str, ...],
) -> Path | None:
    """The chosen path, with suffixes[0] added when the user typed none of them.

    The folder is remembered under "<key>/last_folder". The native dialog is not used
    because it would not be in Vietnamese.
    """
    file_name = safe_name(file_name)  # course codes and titles may hold / or :
    last = str(settings.value(f"{key}/last_folder", str(Path.home())))
    path, _ = QFileDialog.getSaveFileName(
        parent,
        title,
        str(Path(last) / file_name),
        filters,
        options=QFileDialog.Option.DontUseNativeDialog,
    )
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        target = target.with_name(target.name + suffixes[0])
    settings.setValue(f"{key}/last_folder", str(target.parent))
    return target
