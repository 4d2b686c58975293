"""Accounts for tests that run commands as them."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from models import User


def own_passwords(s: Session, *usernames: str) -> None:
    """As if each had replaced their first (temporary) password with their own at the
    first sign-in, as the window and the command line require, keeping the same text."""
    s.execute(update(User).where(User.username.in_(usernames)).values(must_change_password=False))
