"""What a person can fix, said in Vietnamese. Anything else is a bug and is logged."""

from __future__ import annotations


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


class UnsafeLocation(DatabaseProblem):
    """A network share or read-only folder, where SQLite cannot keep the record safe."""


class DatabaseNotEmpty(UserError):
    pass


class EditConflict(UserError):
    """Someone else saved the record after it was opened here; nothing was written."""
