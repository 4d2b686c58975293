"""The rotating log file in the user's log folder, for the window and the command line."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app import config

FILE_NAME = "taphuan.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file() -> Path:
    return config.log_dir() / FILE_NAME


def setup_logging() -> Path | None:
    """Send log records to the rotating file; returns it, or None when the folder cannot
    be written (then records go to stderr, as Python does without a handler)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "taphuan", False):
            return getattr(handler, "taphuan_file", None)
    path: Path | None = log_file()
    try:
        assert path is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler, path = logging.StreamHandler(), None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.taphuan = True  # type: ignore[attr-defined]
    handler.taphuan_file = path  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def log_exception(message: str, exc: BaseException) -> Path | None:
    """Append message and exc's traceback to the log file of the data folder in use now;
    returns the file, or None when it cannot be written (nothing is printed then)."""
    path = log_file()
    logger = logging.getLogger("taphuan.crash")
    logger.propagate = False  # only into this file: never onto the user's screen
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    try:
        logger.error(message, exc_info=exc)
    finally:
        logger.removeHandler(handler)
        handler.close()
    return path
