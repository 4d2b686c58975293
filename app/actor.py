"""Who acts: the account signed in, or the local administrator of a process nobody
signed in to. `Database.transaction` puts it on every session (`session.info["actor"]`);
services read it there (app.services.access for what the role allows, app.services.audit
for the name an audit entry carries), so no signature carries who acts."""

from __future__ import annotations

from dataclasses import dataclass

ROLE_NAMES = {"admin": "Quản trị", "staff": "Cán bộ", "trainer": "Giảng viên"}
LOCAL_NAME = "Quản trị trên máy này"


@dataclass(frozen=True)
class Actor:
    username: str  # what the audit trail writes as who did it
    role: str  # admin, staff, trainer
    full_name: str = ""
    person_id: int | None = None  # a trainer's own record
    user_id: int | None = None  # None: nobody signed in

    @property
    def label(self) -> str:
        return f"{self.full_name or self.username} ({ROLE_NAMES.get(self.role, self.role)})"

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


# A session that no Database transaction made (nothing put an actor on it).
LOCAL = Actor("máy này", "admin", LOCAL_NAME)


def unsigned(name: str) -> Actor:
    """Nobody signed in (a database without accounts): the local administrator, named
    `name` in the audit trail (the command line says "dòng lệnh", the window the
    system's user name)."""
    return Actor(name, "admin", LOCAL_NAME)


def acting(actor: object | None) -> Actor:
    """Who works: the actor given, else the local administrator."""
    return actor if isinstance(actor, Actor) else LOCAL
