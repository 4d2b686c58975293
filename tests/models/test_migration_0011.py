"""0011: the certificates already issued get their numbers in the register in order of
issue, the register's counter goes on after them, a number is never given twice; the
snapshots stay as they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db import Database, alembic_config
from app.services import certificate_serials
from models import Certificate, RegisterCounter

# (id, enrolment, serial, issued on): ids not in the order of the dates.
ISSUED = (
    (1, 1, "0003/2026", "2026-03-06"),
    (2, 2, "0001/2025", "2025-05-02"),
    (3, 3, "0004/2026", "2026-03-06"),
    (4, 4, "0002/2025", "2025-11-20"),
)


def _certificates_at_0010(db: Database) -> None:
    cfg = alembic_config()
    with db.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0010")
        conn.commit()
    stamp = "1, '2026-03-06 10:00:00', '2026-03-06 10:00:00'"
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO courses (id, code, title, organiser, start_date, end_date, status,"
            " is_online, min_attendance_pct, score_scale, version, created_at, updated_at)"
            " VALUES (1, 'TH-2026-001', 'Tập huấn', 'Sở', '2025-03-02', '2026-03-06', 'finished',"
            f" false, 80, 10, {stamp})"
        )
        for i in range(1, 5):
            conn.exec_driver_sql(
                "INSERT INTO people (id, full_name, family_name, middle_name, given_name,"
                " sort_key, search_key, birth_year_only, is_trainer, version, created_at,"
                f" updated_at) VALUES ({i}, 'Người {i}', 'x', 'x', 'x', 'k', 'k', false, false,"
                f" {stamp})"
            )
            conn.exec_driver_sql(
                "INSERT INTO enrolments (id, course_id, person_id, status, registered_at, source,"
                f" version, created_at, updated_at) VALUES ({i}, 1, {i}, 'completed',"
                f" '2026-03-06 10:00:00', 'manual', {stamp})"
            )
        for cid, enrolment, serial, issued in ISSUED:
            conn.exec_driver_sql(
                "INSERT INTO certificates (id, serial, verification_code, enrolment_id,"
                " person_id, course_id, status, issued_on, issued_by, snapshot, version,"
                f" created_at, updated_at) VALUES ({cid}, '{serial}', 'CODE{cid}', {enrolment},"
                f" {enrolment}, 1, 'valid', '{issued}', 't', '{{\"serial\": \"{serial}\"}}',"
                f" {stamp})"
            )


def _numbers_in_order_of_issue(db: Database) -> None:
    _certificates_at_0010(db)
    assert db.upgrade() is True
    with db.transaction(readonly=True) as s:
        given = {c.id: c.register_no for c in s.scalars(select(Certificate))}
        snapshots = {c.id: c.snapshot for c in s.scalars(select(Certificate))}
        assert s.get_one(RegisterCounter, 1).last == 4
    assert given == {2: 1, 4: 2, 1: 3, 3: 4}  # by date of issue, then as they were made
    assert snapshots == {cid: {"serial": serial} for cid, _e, serial, _d in ISSUED}
    with db.transaction() as s:  # the next certificate goes on from there
        assert certificate_serials.peek_register(s) == 5
        assert certificate_serials.take_register(s) == 5
    with pytest.raises(IntegrityError), db.transaction() as s:  # never one number twice
        s.get_one(Certificate, 3).register_no = 1


def test_0011_numbers_the_register_in_order_of_issue_on_sqlite(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "0010.db"))
    _numbers_in_order_of_issue(db)
    db.close()


def test_0011_numbers_the_register_in_order_of_issue_on_postgresql(pg_empty: str) -> None:
    db = Database(pg_empty)
    _numbers_in_order_of_issue(db)
    db.close()
