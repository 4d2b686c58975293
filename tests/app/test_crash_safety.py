"""Kill the process (SIGKILL) in the middle of an import of 10,000 people, of issuing
certificates (with a combined PDF and one file a person) and of a migration, at random
moments: afterwards the file passes PRAGMA integrity_check, its foreign keys hold, each
operation is wholly there or wholly absent, and every file left under the certificate
folders that a PDF reader can read (the hidden temporary files included: scrambled until
the commit) holds only serials the register holds, with the same holder. A few runs here;
`python bench/kill_tests.py --runs 30` does many (1,000 certificates)."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from tests.app import crash

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@pytest.mark.parametrize(
    ("make", "runs"),
    [
        (crash.import_scenario, 4),
        (partial(crash.certificates_scenario, people=150), 3),
        (crash.migration_scenario, 4),
    ],
    ids=["import-10000", "certificates-150-with-files", "migration-0001-to-head"],
)
def test_killed_midway_leaves_all_or_nothing(
    make: Callable[[Path], crash.Scenario], runs: int, tmp_path: Path
) -> None:
    scenario = make(tmp_path)
    crash.calibrate(scenario, tmp_path)  # unkilled, it ends in the "after" state
    rng = random.Random(f"{scenario.name}-2026")
    results = [crash.kill_once(scenario, tmp_path, rng, n) for n in range(runs)]
    bad = [r for r in results if not r.good]
    assert bad == [], bad
    assert all(0.3 <= r.killed_at <= scenario.duration for r in results)
