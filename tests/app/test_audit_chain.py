"""The audit trail is tamper-evident: entries chained by SHA-256 in commit order; an
entry changed, removed or slipped in behind the program's back (triggers dropped or
disabled first) is named by `taphuan check`, which exits 3."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.actor import unsigned
from app.db import Database, alembic_config
from app.services import audit, audit_verify, users
from models import AuditChainHead, AuditEntry
from models.audit import GENESIS, canonical_json, entry_hash
from models.base import utcnow
from tests.app import world
from tests.app.clirun import run
from tests.app.crash import ROOT, env

PEOPLE = ("Nguyễn Thị Hà", "Lê Văn An", "Trần Thị Thu Trang", "Phạm Văn Bình", "Võ Thị Cúc")
ENTRIES = 1 + len(PEOPLE)  # the administrator created, then each person added


def _trail(db: Database) -> None:
    with db.transaction() as s:
        users.create_first_admin(s, "quantri", "Nguyễn Văn Tâm", "mat-khau-1", "mat-khau-1")
    db.actor = unsigned("test")  # nobody signed in, named "test" in the trail
    for name in PEOPLE:
        with db.transaction() as s:
            world.person(s, name)


def _target(db: Database) -> str:
    return str(db.path) if db.path else db.url.render_as_string(hide_password=False)


def _chain(db: Database) -> list[tuple[int, str, str]]:
    with db.engine.connect() as c:
        rows = c.execute(
            select(AuditEntry.seq, AuditEntry.prev_hash, AuditEntry.hash).order_by(AuditEntry.seq)
        ).all()
        c.rollback()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def _head(db: Database) -> tuple[int, str]:
    with db.engine.connect() as c:
        row = c.execute(select(AuditChainHead.seq, AuditChainHead.hash)).one()
        c.rollback()
    return int(row[0]), str(row[1])


def _verify(db: Database) -> audit_verify.ChainReport:
    with db.transaction(readonly=True) as s:
        return audit_verify.verify(s.connection())


def test_entries_are_chained_in_commit_order(db: Database) -> None:
    _trail(db)
    chain = _chain(db)
    assert [seq for seq, _, _ in chain] == list(range(1, ENTRIES + 1))
    assert chain[0][1] == GENESIS
    assert all(chain[i][1] == chain[i - 1][2] for i in range(1, len(chain)))
    assert _head(db) == (ENTRIES, chain[-1][2])
    with db.engine.connect() as c:  # stored as the canonical text that was hashed
        stored = c.execute(text("SELECT CAST(after AS TEXT) FROM audit_entries")).scalars().all()
        c.rollback()
    assert stored and all(s == canonical_json(json.loads(s)) for s in stored)
    assert any('"full_name":"Nguyễn Thị Hà"' in s for s in stored)
    report = _verify(db)
    assert report.ok and report.checked == ENTRIES and report.first_bad is None
    assert report.describe() == (
        f"nguyên vẹn ({ENTRIES} mục; mục cuối số {ENTRIES}, mã {chain[-1][2][:16]})"
    )


def test_work_rolled_back_leaves_no_entry_and_no_gap(db: Database) -> None:
    _trail(db)
    with pytest.raises(RuntimeError), db.transaction() as s:
        world.person(s, "Đặng Văn Dũng")
        raise RuntimeError("the action failed midway")
    with db.transaction() as s:  # a dry run: rolled back by hand, then the block commits
        world.person(s, "Đặng Văn Dũng")
        s.rollback()
    with db.transaction() as s:  # a savepoint rolled back drops only its own entries
        world.person(s, "Huỳnh Thị Lan")
        with pytest.raises(RuntimeError), s.begin_nested():
            world.person(s, "Đặng Văn Dũng")
            raise RuntimeError("one row of many failed")
        audit.record_rows(s, [
            {"at": utcnow(), "user": "test", "action": "person.import", "entity": "people",
             "entity_id": n, "before": None, "after": {"full_name": f"Người {n}", 2: 10, 10: 2},
             "note": "ds.xlsx"} for n in (1, 2)
        ])  # fmt: skip
    with db.transaction(readonly=True) as s:
        actions = s.execute(select(AuditEntry.action, AuditEntry.after).order_by(AuditEntry.seq))
        added = [after["full_name"] for action, after in actions if action.startswith("person.")]
    assert added == [*PEOPLE, "Huỳnh Thị Lan", "Người 1", "Người 2"]
    assert [seq for seq, _, _ in _chain(db)] == list(range(1, ENTRIES + 4))
    assert _verify(db).ok  # the integer keys read back as text still hash the same


# What someone with the database in hand does, each case on a fresh trail: on SQLite drop
# the triggers, on PostgreSQL (as a superuser) disable them; then the change, and what
# `taphuan check` then says (K is a middle entry, N the last).
K = 3


def _forged(db: Database) -> str:
    seq, prev = _head(db)
    at = "2026-11-28 09:00:00"
    digest = entry_hash(prev, seq + 1, datetime.fromisoformat(at), "quantri", "person.delete",
                        "people", 1, None, None, None)  # fmt: skip
    return (
        'INSERT INTO audit_entries (at, "user", action, entity, entity_id, seq, prev_hash, hash)'
        f" VALUES ('{at}', 'quantri', 'person.delete', 'people', 1, {seq + 1}, '{prev}',"
        f" '{digest}')"
    )


def _rewritten(db: Database) -> str:
    """Entry K's content changed and its own hash recomputed to match."""
    t = AuditEntry.__table__
    with db.engine.connect() as c:
        e = c.execute(select(t).where(t.c.seq == K)).one()
        c.rollback()
    after = {"full_name": "Người khác"}
    digest = entry_hash(e.prev_hash, e.seq, e.at, e.user, e.action, e.entity, e.entity_id,
                        e.before, after, e.note, e.db_role)  # fmt: skip
    return (
        f"UPDATE audit_entries SET after = '{json.dumps(after)}', hash = '{digest}' WHERE seq = {K}"
    )


TAMPERING = {
    "changed": (
        lambda db: (
            f'UPDATE audit_entries SET after = \'{{"full_name": "Người khác"}}\' WHERE seq = {K}'
        ),
        rf"mục số {K} \(.*, test, Thêm học viên\) đã bị sửa sau khi ghi\.",
    ),
    "rewritten": (
        _rewritten,
        rf"mục số {K} \(.*\) đã bị sửa hoặc bị thay \(mục số {K + 1} không còn nối với nó\)\.",
    ),
    "middle deleted": (
        lambda db: f"DELETE FROM audit_entries WHERE seq = {K}",
        rf"mục số {K} đã bị xóa \(sau mục số {K - 1} \(.*\), trước mục số {K + 1} \(.*\)\)\.",
    ),
    "last deleted": (
        lambda db: f"DELETE FROM audit_entries WHERE seq = {ENTRIES}",
        rf"mục số {ENTRIES}, mục cuối cùng, đã bị xóa\.",
    ),
    "forged": (
        _forged,
        rf"mục số {ENTRIES + 1} \(.*, quantri, Xóa học viên\) không do TapHuan ghi: nó được "
        "thêm thẳng vào cơ sở dữ liệu, sau mục cuối của chuỗi.",
    ),
}


def _unguard(db: Database) -> list[str]:
    if db.is_sqlite:
        return ["DROP TRIGGER audit_entries_no_update", "DROP TRIGGER audit_entries_no_delete"]
    return ["ALTER TABLE audit_entries DISABLE TRIGGER USER"]


@pytest.mark.parametrize("case", list(TAMPERING))
def test_check_names_the_first_entry_tampered_with(
    db: Database, case: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _trail(db)
    monkeypatch.setenv("TAPHUAN_PASSWORD", "mat-khau-1")  # the details: an administrator's
    admin = ["--db", _target(db), "--user", "quantri"]
    code, out, _ = run(capsys, *admin, "check")
    assert code == 0 and f"Nhật ký thao tác: nguyên vẹn ({ENTRIES} mục" in out
    sql, expected = TAMPERING[case]
    statement = sql(db)
    with db.engine.begin() as c:
        for unguard in _unguard(db):
            c.exec_driver_sql(unguard)
        c.exec_driver_sql(statement)
    before = (_chain(db), _head(db))

    code, out, err = run(capsys, *admin, "check")
    assert code == 3
    assert re.search(rf"^Lỗi: Nhật ký thao tác bị can thiệp: {expected}$", err.strip()), err
    assert "Nhật ký thao tác bị can thiệp" in out
    assert (_chain(db), _head(db)) == before  # checking wrote nothing


def test_the_head_only_moves_forward(db: Database) -> None:
    _trail(db)
    for statement in (
        "UPDATE audit_chain_head SET seq = seq - 1",
        "UPDATE audit_chain_head SET hash = 'x'",
        "DELETE FROM audit_chain_head",
    ):
        with pytest.raises(DBAPIError, match="only moves forward"), db.engine.begin() as c:
            c.exec_driver_sql(statement)
    with pytest.raises(DBAPIError), db.engine.begin() as c:  # and there is only one
        c.exec_driver_sql("INSERT INTO audit_chain_head (id, seq, hash) VALUES (2, 99, 'x')")
    assert _verify(db).ok


def test_two_programs_auditing_at_once_keep_one_chain(db: Database) -> None:
    """Ids are handed out before commits, which come in another order: the chain follows
    the commits. Checked while they write, too (no false alarm from a moving head)."""
    _trail(db)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.app.writer", _target(db), "6", tag], env=env(),
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for tag in ("a", "b")
    ]  # fmt: skip
    checks = []
    while any(p.poll() is None for p in procs):
        checks.append(_verify(db))
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    counts = [int(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert all(n > 5 for n in counts), counts
    assert checks and all(r.ok for r in checks), [r.problem for r in checks if not r.ok]
    report = _verify(db)
    assert report.ok and report.checked == ENTRIES + sum(counts)
    with db.transaction(readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == report.checked


def _upgrade(db: Database, revision: str) -> None:
    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_the_migration_chains_the_entries_already_there(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    target = str(tmp_path / "old.db") if engine == "sqlite" else request.getfixturevalue("pg_empty")
    db = Database(target)
    _upgrade(db, "0007")
    with db.engine.begin() as c:
        for n, at in ((1, "2026-11-28 09:00:00.250000"), (2, "2026-11-28 08:00:00"), (3, None)):
            c.execute(
                text(
                    'INSERT INTO audit_entries (at, "user", action, entity, entity_id,'
                    " before, after, note) VALUES (:at, 'quantri', 'person.update',"
                    " 'people', 7, :before, :after, :note)"
                ),
                {"at": at or "2026-11-28 10:00:00", "before": '{"phone": null}',
                 "after": json.dumps({"phone": f"090311122{n}", "ghi chú": "Hà"}),
                 "note": None if n < 3 else "lần 3"},
            )  # fmt: skip
    assert db.upgrade() is True
    with db.engine.connect() as c:
        assert c.execute(select(AuditEntry.id).order_by(AuditEntry.seq)).scalars().all() == [
            1,
            2,
            3,
        ]  # in id order
        c.rollback()
    assert _head(db)[0] == 3 and _verify(db).ok
    with db.transaction() as s:
        world.person(s, "Nguyễn Thị Hà")
    assert [seq for seq, _, _ in _chain(db)] == [1, 2, 3, 4] and _verify(db).ok
    # and the triggers are back after the migration's copy
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as c:
        c.exec_driver_sql("DELETE FROM audit_entries WHERE seq = 1")
    db.close()


@pytest.mark.parametrize(
    "content",
    [
        ("quantri", "person.update", "people", 7, {"phone": None}, {"phone": "0903111222"}, None),
        ('nhập "lạ" \\ \n\t', "x.y", "", None, None, None, "ghi chú: Đặng Thị Ánh 🌾"),
        ("canbo", "scores.set", "enrolments", 2**40, {"b": [1.5, {"z": 1, "a": None}]}, {}, ""),
    ],
)
@pytest.mark.parametrize("role", [None, "taphuan_app", 'vai "lạ" \\'])
def test_the_hash_is_sha256_of_sorted_key_json(content: tuple, role: str | None) -> None:  # type: ignore[type-arg]
    """Written out key by key for speed, it is exactly the canonical JSON of the entry; the
    role (PostgreSQL's) a key only when there is one, so SQLite's entries and those chained
    before it keep their hashes."""
    import hashlib

    user, action, entity, entity_id, before, after, note = content
    at = datetime(2026, 11, 28, 9, 0, 0, 250)
    whole = {"prev": GENESIS, "seq": 12, "at": at.isoformat(), "user": user, "action": action,
             "entity": entity, "entity_id": entity_id, "before": before, "after": after,
             "note": note}  # fmt: skip
    if role is not None:
        whole["role"] = role
    text = json.dumps(whole, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert entry_hash(GENESIS, 12, at, user, action, entity, entity_id, before, after,
                      note, role) == expected  # fmt: skip
