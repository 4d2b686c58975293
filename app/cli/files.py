"""Files named on the command line, checked before any database work: a command that
cannot write its output (a folder, a missing or read-only folder, a name too long, the
wrong kind) says so in Vietnamese and writes nothing, not even its audit entry."""

from __future__ import annotations

import os
from pathlib import Path

from app.errors import UserError, os_reason
from app.files import folder_refusal

NAME_MAX = 255  # bytes in one name, on Windows (NTFS) and Linux alike


class BadPath(UserError):
    pass


def _stat(path: Path) -> os.stat_result | None:
    """The file's status, None when it does not exist; other failures said in Vietnamese."""
    for part in path.parts:
        if len(part.encode("utf-8", "surrogateescape")) > NAME_MAX:
            raise BadPath(f"Tên “{part[:40]}…” dài quá {NAME_MAX} ký tự; hãy đặt tên tệp ngắn hơn.")
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise BadPath(f"Không dùng được đường dẫn {path}: {os_reason(exc)}.") from exc


def checked(path: Path) -> Path:
    """path itself, once the system can look at it (no name too long, no refusal)."""
    _stat(path.expanduser().absolute())
    return path


def _writable_folder(folder: Path) -> bool:
    return folder_refusal(folder) is None


def output_file(path: Path, suffixes: tuple[str, ...] = (), what: str = "Tệp") -> Path:
    """Where a command will write a file: an absolute path whose folder exists and takes
    files, with one of the suffixes (when given)."""
    path = path.expanduser().absolute()
    found = _stat(path)
    if found is not None and path.is_dir():
        example = path / ("ten-tep" + (suffixes[0] if suffixes else ""))
        raise BadPath(f"{path} là một thư mục; hãy cho cả tên tệp, ví dụ {example}.")
    if suffixes and path.suffix.lower() not in suffixes:
        wanted = " hoặc ".join(suffixes)
        raise BadPath(f"{what} phải có đuôi {wanted} (không phải “{path.name}”).")
    folder = path.parent
    if _stat(folder) is None or not folder.is_dir():
        raise BadPath(f"Không có thư mục {folder}; hãy tạo thư mục trước hoặc chọn nơi khác.")
    if not _writable_folder(folder) or (found is not None and not os.access(path, os.W_OK)):
        raise BadPath(
            f"Không ghi được vào {folder}: thư mục chỉ cho đọc, không có quyền, hoặc tệp "
            f"{path.name} đang bị khóa. Hãy chọn nơi khác."
        )
    return path


def output_folder(path: Path) -> Path:
    """A folder a command fills with files: existing and writable, or creatable."""
    path = path.expanduser().absolute()
    found = _stat(path)
    if found is not None and not path.is_dir():
        raise BadPath(f"{path} là một tệp, không phải thư mục.")
    existing = path
    while _stat(existing) is None:
        existing = existing.parent
    if not existing.is_dir() or not _writable_folder(existing):
        raise BadPath(f"Không ghi được vào thư mục {existing}: chỉ cho đọc hoặc không có quyền.")
    return path


def input_file(path: Path, what: str = "Tệp") -> Path:
    """A file a command reads: it exists, is a file, and can be read."""
    path = path.expanduser().absolute()
    if _stat(path) is None:
        raise BadPath(f"Không tìm thấy tệp {path}.")
    if path.is_dir():
        raise BadPath(f"{path} là một thư mục; hãy cho đường dẫn tới {what.lower()}.")
    if not os.access(path, os.R_OK):
        raise BadPath(f"Không có quyền đọc tệp {path}.")
    return path
