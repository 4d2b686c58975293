"""The migrations are the schema: autogenerate finds nothing new, and the chain runs both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from app.db import SCHEMA_HEAD, Database, alembic_config, head_revision
from models import Base


def _diff(db: Database) -> list:
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, Base.metadata)


def test_schema_head_constant_is_the_newest_migration() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_models_match_migrations_on_sqlite(sqlite_db: Database) -> None:
    assert _diff(sqlite_db) == []


def test_models_match_migrations_on_postgresql(pg_empty: str) -> None:
    db = Database(pg_empty)
    db.upgrade()
    assert _diff(db) == []
    db.close()


def _chain_down_and_up(db: Database) -> None:
    db.upgrade()
    assert db.current_revision() == head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    assert db.current_revision() is None
    assert db.upgrade() is True
    assert db.current_revision() == head_revision()


def test_chain_upgrades_and_downgrades_on_sqlite(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "chain.db"))
    _chain_down_and_up(db)
    db.close()


def test_chain_upgrades_and_downgrades_on_postgresql(pg_empty: str) -> None:
    db = Database(pg_empty)
    _chain_down_and_up(db)
    db.close()


def test_upgrade_from_0001_keeps_every_child_row_and_backs_up_first(tmp_path: Path) -> None:
    """0002 rebuilds `people` (a batch copy on SQLite); attendance must survive it."""
    path = tmp_path / "old.db"
    db = Database(str(path))
    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    now = "2026-03-02 07:30:00"
    with db.engine.begin() as conn:
        for sql in (
            "INSERT INTO people (id, full_name, family_name, middle_name, given_name, sort_key,"
            " search_key, birth_year_only, is_trainer, version, created_at, updated_at)"
            f" VALUES (1, 'Nguyễn Thị Hà', 'Nguyễn', 'Thị', 'Hà', 'k', 'nguyen thi ha', 0, 0, 1,"
            f" '{now}', '{now}')",
            "INSERT INTO courses (id, code, title, organiser, start_date, end_date, status,"
            " is_online, min_attendance_pct, score_scale, version, created_at, updated_at)"
            " VALUES (1, 'TH-2026-001', 'Tập huấn', 'Sở', '2026-03-02', '2026-03-06', 'running',"
            f" 0, 80, 10, 1, '{now}', '{now}')",
            "INSERT INTO sessions (id, course_id, starts_at, ends_at, mode, grace_minutes,"
            f" version, created_at, updated_at) VALUES (1, 1, '{now}', '2026-03-02 11:00:00',"
            f" 'in_person', 15, 1, '{now}', '{now}')",
            "INSERT INTO enrolments (id, course_id, person_id, status, registered_at, source,"
            f" pre_score, version, created_at, updated_at) VALUES (1, 1, 1, 'registered', '{now}',"
            f" 'manual', 4.5, 1, '{now}', '{now}')",
            "INSERT INTO attendance (id, session_id, enrolment_id, status, method, version,"
            f" created_at, updated_at) VALUES (1, 1, 1, 'present', 'manual', 1, '{now}', '{now}')",
        ):
            conn.exec_driver_sql(sql)
    assert db.upgrade() is True
    assert db.current_revision() == head_revision()
    with db.engine.connect() as conn:
        counts = [
            conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
            for t in ("people", "enrolments", "attendance")
        ]
        assert counts == [1, 1, 1]
        # 0004 gave the person already recorded a check-in code.
        code = conn.exec_driver_sql("SELECT checkin_code FROM people").scalar()
        assert code and len(code) == 8 and not set(code) & set("01OI")
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    backups = list((tmp_path / "backups").glob("*truoc-nang-cap-0001.db"))
    assert len(backups) == 1
    db.close()


def _certificates_at_0007(db: Database) -> None:
    """A 0007 database where two issues ran at once: enrolment 1 holds two valid
    certificates; enrolment 2 a certificate and its reissue; enrolment 3 a revoked one
    and a later valid one."""
    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
        conn.commit()
    now = "2026-03-06 10:00:00"
    stamp = f"1, '{now}', '{now}'"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO courses (id, code, title, organiser, start_date, end_date, status,"
            " is_online, min_attendance_pct, score_scale, version, created_at, updated_at)"
            " VALUES (1, 'TH-2026-001', 'Tập huấn', 'Sở', '2026-03-02', '2026-03-06', 'finished',"
            f" false, 80, 10, {stamp})"
        )
        for i, name in ((1, "Nguyễn Thị Hà"), (2, "Lê Văn An"), (3, "Trần Văn Bình")):
            conn.exec_driver_sql(
                "INSERT INTO people (id, full_name, family_name, middle_name, given_name,"
                " sort_key, search_key, birth_year_only, is_trainer, version, created_at,"
                f" updated_at) VALUES ({i}, '{name}', 'x', 'x', 'x', 'k', 'k', false, false,"
                f" {stamp})"
            )
            conn.exec_driver_sql(
                "INSERT INTO enrolments (id, course_id, person_id, status, registered_at, source,"
                f" version, created_at, updated_at) VALUES ({i}, 1, {i}, 'completed', '{now}',"
                f" 'manual', {stamp})"
            )
        for cid, enrolment, serial, status, replaces in (
            (1, 1, "0001/2026", "valid", "NULL"),
            (2, 1, "0004/2026", "valid", "NULL"),  # the same person again, at the same time
            (3, 2, "0002/2026", "valid", "NULL"),
            (4, 2, "0005/2026", "valid", "3"),  # a reissue of 0002
            (5, 3, "0003/2026", "revoked", "NULL"),
            (6, 3, "0006/2026", "valid", "NULL"),
        ):
            revoked = f"'{now}', 'Sai tên'" if status == "revoked" else "NULL, NULL"
            conn.exec_driver_sql(
                "INSERT INTO certificates (id, serial, verification_code, enrolment_id,"
                " person_id, course_id, status, issued_on, issued_by, snapshot, revoked_at,"
                " revoked_reason, replaces_id, version, created_at, updated_at) VALUES"
                f" ({cid}, '{serial}', 'CODE{cid}', {enrolment}, {enrolment}, 1, '{status}',"
                f" '2026-03-06', 't', '{{}}', {revoked}, {replaces}, {stamp})"
            )


def _upgrade_keeps_the_earliest_and_revokes_duplicates(db: Database) -> None:
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from models import AuditEntry, Certificate, CertificateStatus

    _certificates_at_0007(db)
    assert db.upgrade() is True
    with db.transaction(readonly=True) as s:
        rows = {
            c.id: (c.status.value, c.replaced_at is not None, c.revoked_reason)
            for c in s.scalars(select(Certificate))
        }
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "certificate.revoke"))
        audited = [(e.entity_id, e.user, e.after) for e in entries]
    reason = rows[2][2]
    assert reason is not None and "Cấp trùng" in reason and "0001/2026 vẫn còn hiệu lực" in reason
    assert rows == {
        1: ("valid", False, None),
        2: ("revoked", False, reason),
        3: ("valid", True, None),  # replaced by its reissue, as the newer row says
        4: ("valid", False, None),
        5: ("revoked", False, "Sai tên"),
        6: ("valid", False, None),
    }
    assert audited == [(2, "hệ thống", {"status": "revoked", "kept": "0001/2026"})]
    # From now on the database refuses a second certificate in force.
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.get_one(Certificate, 2).status = CertificateStatus.VALID
        s.get_one(Certificate, 2).revoked_at = None
        s.get_one(Certificate, 2).revoked_reason = None


def test_upgrade_to_0008_keeps_the_earliest_certificate_on_sqlite(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "dup.db"))
    _upgrade_keeps_the_earliest_and_revokes_duplicates(db)
    db.close()


def test_upgrade_to_0008_keeps_the_earliest_certificate_on_postgresql(pg_empty: str) -> None:
    db = Database(pg_empty)
    _upgrade_keeps_the_earliest_and_revokes_duplicates(db)
    db.close()
