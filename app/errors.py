"""What a person can fix, said in Vietnamese. Anything else is a bug and is logged."""

from __future__ import annotations

import errno


class UserError(Exception):
    """An error the user can act on; its message is Vietnamese and names what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidValue(UserError):
    """A value typed or imported that breaks a rule (a date, a citizen ID, a phone...)."""


class DoubtfulValue(InvalidValue):
    """A value well formed but not believable (a phone prefix no network has, a citizen ID
    with a province code that does not exist): an import leaves it out with a warning."""


class DatabaseProblem(UserError):
    """The chosen database cannot be used as it is; nothing was written to it."""


class NotADatabase(DatabaseProblem):
    pass


class CorruptDatabase(DatabaseProblem):
    pass


class DatabaseTooNew(DatabaseProblem):
    pass


class DatabaseMissing(DatabaseProblem):
    """No database yet where a command that only reads or changes one was pointed."""


class DatabaseBusy(DatabaseProblem):
    """Another program held the write lock for minutes; nothing was written."""


class UnsafeLocation(DatabaseProblem):
    """A network share or read-only folder, where SQLite cannot keep the record safe."""


class DatabaseNotEmpty(UserError):
    pass


class EditConflict(UserError):
    """Someone else saved the record after it was opened here; nothing was written."""


_OS_REASONS = {
    errno.ENOENT: "không có tệp hay thư mục đó",
    errno.ENOTDIR: "một phần của đường dẫn không phải là thư mục",
    errno.EISDIR: "đó là một thư mục, không phải tệp",
    errno.EACCES: "không có quyền (tệp đang mở ở chương trình khác hoặc thư mục chỉ cho đọc)",
    errno.EPERM: "không có quyền (tệp đang mở ở chương trình khác hoặc thư mục chỉ cho đọc)",
    errno.EROFS: "ổ đĩa hoặc thư mục chỉ cho đọc",
    errno.ENAMETOOLONG: "tên tệp hoặc đường dẫn quá dài",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EEXIST: "đã có tệp trùng tên",
    errno.EINVAL: "tên tệp không hợp lệ",
    errno.EBUSY: "tệp đang bận",
    errno.EXDEV: "không chuyển được tệp sang ổ đĩa khác",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused a file, in Vietnamese (Windows errors map to errno too)."""
    return _OS_REASONS.get(exc.errno or -1, "hệ điều hành từ chối")
