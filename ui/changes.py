"""What a write touched, said once after its commit, so pages showing it refresh."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

# The kinds of data a write may touch; a page subscribes to those it shows.
COURSES = "courses"  # courses, their sessions and rosters
PEOPLE = "people"
CERTIFICATES = "certificates"
ATTENDANCE = "attendance"  # marks, scores, results
TEAMS = "teams"  # teams, members, units
SETTINGS = "settings"
USERS = "users"
AUDIT = "audit"
KINDS = frozenset({COURSES, PEOPLE, CERTIFICATES, ATTENDANCE, TEAMS, SETTINGS, USERS, AUDIT})


class ChangeBus(QObject):
    # (kinds, origin): a frozenset of KINDS, and the widget whose action wrote (or None);
    # the page holding the origin has already shown its own change.
    changed = Signal(object, object)

    def emit(self, kinds: Iterable[str], origin: QObject | None = None) -> None:
        touched = frozenset(kinds)
        unknown = touched - KINDS
        if unknown:
            raise ValueError(f"unknown change kinds: {sorted(unknown)}")
        if touched:
            # Every write is audited: the trail changes with it.
            self.changed.emit(touched | {AUDIT}, origin)
