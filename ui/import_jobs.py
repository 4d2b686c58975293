"""The import wizard's reads and writes, built from the window's context: the wizard only
asks, these run in the worker thread, each in its own transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.services import courses, imports, lookups
from ui.changes import ATTENDANCE, COURSES, PEOPLE, TEAMS
from ui.context import UiContext
from ui.dialogs.import_wizard import ImportJobs

# An import adds and updates people, and may enrol them or add them to a team.
IMPORTED = frozenset({PEOPLE, COURSES, ATTENDANCE, TEAMS})


def import_jobs(ctx: UiContext) -> ImportJobs:
    db = ctx.db

    def plan(
        path: Path, sheet: str | None, mapping: dict[int, str], strict: bool
    ) -> imports.ImportPlan:
        with db.transaction(readonly=True) as s:
            return imports.plan(s, path, sheet, mapping, strict=strict)

    def apply(plan: imports.ImportPlan, **options: Any) -> imports.ImportSummary:
        with db.transaction() as s:
            summary = imports.apply(s, plan, **options)
        if summary.inserted >= 1_000:
            db.analyze()  # fresh statistics for the planner after a big load
        return summary

    return ImportJobs(
        courses=lambda: ctx.read(courses.catalogue),
        teams=lambda: ctx.read(lookups.teams),
        plan=plan,
        apply=apply,
    )
