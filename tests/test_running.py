"""While TapHuan runs, both programs hold the mutex installer.iss looks for (app/running.py),
taken before anything heavy is imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import running

ROOT = Path(__file__).resolve().parents[1]


class Kernel32:
    """The part of kernel32 running.hold calls: CreateMutexW(security, owned, name)."""

    def __init__(self, refuse: str | None = None) -> None:
        self.calls: list[tuple[object, bool, str]] = []
        self.refuse = refuse

    def CreateMutexW(self, security: object, owned: bool, name: str) -> int:
        self.calls.append((security, owned, name))
        return 0 if name == self.refuse else 100 + len(self.calls)


@pytest.fixture(autouse=True)
def _nothing_held(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(running, "_held", [])


def test_both_names_are_created_once_and_kept() -> None:
    kernel32 = Kernel32()
    assert running.hold(kernel32) == [101, 102]
    assert kernel32.calls == [
        (None, False, "Global\\TapHuanAppMutex"),
        (None, False, "TapHuanAppMutex"),
    ]
    assert running.hold(kernel32) == [101, 102]  # the same handles, no new mutex
    assert len(kernel32.calls) == 2


def test_a_name_windows_refuses_does_not_stop_the_program() -> None:
    assert running.hold(Kernel32(refuse="Global\\TapHuanAppMutex")) == [102]


@pytest.mark.skipif(sys.platform == "win32", reason="off Windows only")
def test_nothing_off_windows() -> None:
    assert running.hold() == []


# Runs an entry point with running.hold replaced by a probe that notes which modules were
# loaded when it was called; --version then ends the program.
PROBE = """
import json, runpy, sys
from app import running
seen = []
running.hold = lambda *a: seen.append(sorted(sys.modules)) or []
sys.argv = ["taphuan", "--version"]
try:
    {run}
except SystemExit:
    pass
heavy = ["app.cli", "sqlalchemy", "PySide6", "alembic", "reportlab", "matplotlib"]
print(json.dumps([[m for m in heavy if m in mods] for mods in seen]))
"""


@pytest.mark.parametrize(
    "run",
    [
        f"runpy.run_path({str(ROOT / 'packaging' / 'entry.py')!r}, run_name='__main__')",
        "runpy.run_module('app', run_name='__main__', alter_sys=True)",
    ],
    ids=["frozen entry (taphuan.exe, taphuan-cli.exe)", "python -m app"],
)
def test_the_mutex_is_taken_first(run: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(run=run)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    calls = json.loads(done.stdout.strip().splitlines()[-1])
    assert calls and calls[0] == []  # called, and before any heavy import
