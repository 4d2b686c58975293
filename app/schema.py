"""The schema version this program knows: the newest migration, the ones it can read,
and the refusal of a database a newer TapHuan made. Read by app.db and app.sqlite_file
without either importing the other."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from app.errors import DatabaseTooNew

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration. Start-up compares against this and loads Alembic (a third of a
# second) only when an upgrade is due; tests/models/test_migrations.py keeps it true.
SCHEMA_HEAD = "0015"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("migrations")))
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def too_new(revision: str) -> DatabaseTooNew:
    return DatabaseTooNew(
        f"Cơ sở dữ liệu này do một phiên bản TapHuan mới hơn tạo ra (bản sửa đổi {revision}). "
        "Hãy cài phiên bản TapHuan mới nhất để mở nó; dữ liệu chưa bị thay đổi."
    )
