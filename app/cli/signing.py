"""--sign on the command line: the key named by the settings, opened once before anything
is issued or written, with its password or PIN from the environment or typed at a
terminal (never an argument, never stored)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from app.certificate_files import Step
from app.db import Database
from app.errors import UserError
from app.signed_files import KeyPlan, Signer, key_plan, open_signer, require_key


def secret(plan: KeyPlan) -> str:
    """The password or PIN: its environment variable, else typed at a terminal."""
    import getpass

    env = plan.source.secret_env
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(
            f"Hãy đặt {plan.source.secret_name} trong biến môi trường {env} "
            "(không có bàn phím để gõ khi được hỏi)."
        )
    return getpass.getpass(plan.prompt + " ")


@contextmanager
def signer_for(db: Database) -> Iterator[Signer]:
    """The key opened for one command (a UserError, exit 3, if it cannot be)."""
    with db.transaction(readonly=True) as s:
        plan = key_plan(s)
    require_key(plan)
    with open_signer(plan, secret(plan)) as signer:
        yield signer


def progress(total_hint: str = "tệp") -> Step:
    """Signing progress on stderr at a terminal (scripts see only the outcome)."""

    def step(n: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        end = "\n" if n == total else ""
        print(f"\rĐang ký số {n}/{total} {total_hint}…", end=end, file=sys.stderr, flush=True)

    return step
