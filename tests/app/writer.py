"""A second program writing: `python -m tests.app.writer DB SECONDS TAG` adds people one
transaction at a time for SECONDS, then prints how many it wrote. Any error reaching it
is printed and makes it exit 1."""

from __future__ import annotations

import sys
import time

from app.actor import unsigned
from app.db import Database
from app.services import person_edit
from app.services.person_edit import PersonForm


def main(path: str, seconds: float, tag: str) -> int:
    db = Database(path)
    db.actor = unsigned(f"writer-{tag}")  # nobody signed in: the audit trail names the writer
    written = 0
    end = time.monotonic() + seconds
    given = {"a": "An", "b": "Bình"}.get(tag, "Cúc")
    try:
        while time.monotonic() < end:
            with db.transaction() as s:
                person_edit.create(
                    s, PersonForm(full_name=f"Nguyễn Văn {given}", workplace=f"{tag}{written}")
                )
            written += 1
    except Exception as exc:  # what would reach the user
        print(f"ERROR {type(exc).__name__}: {exc}", file=sys.stderr)
        print(written)
        return 1
    finally:
        db.close()
    print(written)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2]), sys.argv[3]))
