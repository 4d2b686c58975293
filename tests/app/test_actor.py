"""One actor: who acts rides on the session, never in a service's arguments; the audit
trail names the account signed in, else who the front end named for nobody signed in."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

import app.services
from app import config
from app.db import Database
from app.services import audit, courses, person_edit, users
from app.services.courses import CourseForm
from app.services.users import UserForm
from models import AuditEntry
from tests.app.accounts import own_passwords
from tests.app.clirun import run


def service_functions() -> list[tuple[str, inspect.Signature]]:
    found = []
    for info in pkgutil.iter_modules(app.services.__path__):
        module = importlib.import_module(f"app.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__:
                found.append((f"{module.__name__}.{name}", inspect.signature(fn)))
    return found


def test_no_service_is_told_who_acts() -> None:
    functions = service_functions()
    assert len(functions) > 200  # every service module was read
    told = [name for name, sig in functions if "by" in sig.parameters]
    assert told == []
    # an audit entry takes what happened, not who did it
    assert list(inspect.signature(audit.record).parameters)[:3] == ["s", "action", "row"]
    assert list(inspect.signature(audit.who).parameters) == ["s"]


def accounts(db: Database) -> None:
    with db.transaction() as s:
        s.info["actor"] = users.create_first_admin(
            s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1"
        )
        users.create(s, UserForm("canbo", "Trần Thị Thu Trang", "staff"), "mat-khau-2")
        own_passwords(s, "canbo")


def who_did(db: Database, action: str) -> list[str]:
    with db.transaction(readonly=True) as s:
        return list(
            s.scalars(
                select(AuditEntry.user).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )


FORM = CourseForm("TH-2026-031", "Tập huấn VNeID", date(2026, 3, 2), date(2026, 3, 6))


def test_a_service_call_names_the_account_signed_in(db: Database) -> None:
    accounts(db)
    with db.transaction() as s:
        db.actor = users.login(s, "canbo", "mat-khau-2").actor
    with db.transaction() as s:
        courses.create(s, FORM)
    assert who_did(db, "course.create") == ["canbo"]
    assert who_did(db, "user.login") == ["canbo"]


def test_nobody_signed_in_is_the_system_user(sqlite_db: Database) -> None:
    with sqlite_db.transaction() as s:
        person_edit.create(s, person_edit.PersonForm(full_name="Nguyễn Thị Hà"))
    sqlite_db.actor = None  # signed out: nobody again
    with sqlite_db.transaction() as s:
        courses.create(s, FORM)
    assert who_did(sqlite_db, "person.create") == [config.current_user()]
    assert who_did(sqlite_db, "course.create") == [config.current_user()]


def test_a_failed_sign_in_names_the_account_tried(sqlite_db: Database) -> None:
    accounts(sqlite_db)
    with sqlite_db.transaction() as s:
        assert users.login(s, "canbo", "sai-mat-khau").actor is None
    assert who_did(sqlite_db, "user.login_failed") == ["canbo"]
    assert who_did(sqlite_db, "user.create") == ["quantri", "quantri"]


ADD = ["course", "add", "--code", "TH-2026-032", "--title", "Tập huấn VNeID"]
ADD += ["--start", "2026-03-02", "--end", "2026-03-06"]


def test_a_command_names_the_account_signed_in(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts(sqlite_db)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-2")
    code, out, err = run(capsys, "--db", str(sqlite_db.path), "--user", "canbo", *ADD)
    assert code == 0, err
    assert who_did(sqlite_db, "course.create") == ["canbo"]


def test_a_command_without_accounts_says_the_command_line(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--db", str(sqlite_db.path), *ADD)
    assert code == 0, err
    assert who_did(sqlite_db, "course.create") == ["dòng lệnh"]
