"""Where TapHuan keeps its files: the data folder (TAPHUAN_DATA_DIR moves it), the log
folder, the default and demo database files."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "TapHuan"
DATA_DIR_ENV = "TAPHUAN_DATA_DIR"  # tests and portable installs move the data folder


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    return path


def log_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override) / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, False))


def default_db_path() -> Path:
    return data_dir() / "taphuan.db"


def demo_db_path() -> Path:
    return data_dir() / "taphuan-demo.db"
