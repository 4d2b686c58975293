"""UI state (geometry, splitters, last page, last folder) in an INI file beside the data."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from app import config


def ui_settings() -> QSettings:
    # An INI file in the data folder rather than the registry: it travels with a
    # portable install and tests can point it elsewhere (TAPHUAN_DATA_DIR).
    path = config.data_dir() / "giao-dien.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)
