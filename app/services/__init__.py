"""Use cases: functions taking a Session, returning frozen dataclasses, never committing."""
