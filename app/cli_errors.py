"""What the command line says when something other than a UserError stops a command.

A file the system refuses (a folder, a read-only disk, a name too long), a database that
is busy, corrupt or refuses a value: a Vietnamese message naming what to fix, exit 3;
the transaction was rolled back, so nothing was written. Anything else is a bug: its
traceback goes to the log file, and the user reads where it is, never the traceback.
"""

from __future__ import annotations

import sqlite3
import sys

from app import logs
from app.errors import os_reason

EXIT_INTERNAL = 5  # 4 is taken: certificates issued but not all files placed
# The general messages, for what no check before it named more precisely.
FILE_REFUSED = "Không đọc hay ghi được"
INTEGRITY = (
    "Không ghi gì: dữ liệu vừa nhập trùng với bản ghi đã có hoặc thiếu bản ghi liên quan "
    "(có thể ai đó vừa sửa cùng lúc). Hãy kiểm tra lại rồi chạy lại lệnh."
)
TOO_BIG = (
    "Không ghi gì: có giá trị vượt giới hạn cơ sở dữ liệu cho phép (số quá lớn hoặc chữ "
    "quá dài). Hãy nhập giá trị nhỏ hơn hoặc ngắn hơn."
)
GENERAL = (FILE_REFUSED, INTEGRITY, TOO_BIG)


def explain(exc: BaseException) -> str | None:
    """The Vietnamese message for an error a person can act on; None for a bug."""
    from sqlalchemy.exc import DatabaseError, DataError, IntegrityError

    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else ""
        target = f" {where}" if where else ""
        return f"{FILE_REFUSED}{target}: {os_reason(exc)}."
    if isinstance(exc, IntegrityError):
        return INTEGRITY
    if isinstance(exc, DataError):
        return TOO_BIG
    if isinstance(exc, DatabaseError) and _is_malformed(exc.orig):
        return corrupt_message()
    if isinstance(exc, sqlite3.DatabaseError) and _is_malformed(exc):
        return corrupt_message()
    return None


def _is_malformed(exc: object) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def corrupt_message(name: str = "cơ sở dữ liệu") -> str:
    return (
        f"Tệp {name} bị hỏng (kiểm tra toàn vẹn không đạt); không ghi gì. Hãy khôi phục bản sao "
        "lưu tốt gần nhất trong thư mục backups bằng “taphuan restore TỆP_SAO_LƯU”: tệp hỏng "
        "được giữ lại trong backups/tep-hong."
    )


def internal_error(exc: BaseException, command: str | None) -> int:
    """A bug: the traceback to the log file, a Vietnamese pointer to it on stderr."""
    path = logs.log_exception(f"Lỗi nội bộ khi chạy lệnh {command}", exc)
    if path is not None:
        where = f"Chi tiết đã ghi vào nhật ký {path}."
    else:
        where = f"Không ghi được nhật ký ({type(exc).__name__}: {exc})."
    print(
        "Lỗi nội bộ: TapHuan gặp một lỗi chưa lường trước nên đã dừng; thao tác chưa hoàn tất "
        f"được hủy. {where} Hãy gửi tệp nhật ký đó cho bộ phận kỹ thuật.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL
