"""The processes that render certificates in parallel (app/certificate_pool.py) when
the command is killed or interrupted: a killed `certificates issue --out-dir` leaves no
worker behind, and Ctrl-C (SIGINT to the whole process group, as a terminal sends it)
stops the command with exit 130 and the one Vietnamese line, no worker's traceback, and
nothing issued when it comes before the commit."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import weakref
from contextlib import closing
from pathlib import Path

import pytest

from tests.app import crash

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or not Path("/proc/self/stat").exists(),
    reason="signals to a process group, /proc",
)
PEOPLE = 400


def _children(pid: int) -> list[int]:
    """The processes whose parent is pid."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _start(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int], crash.Scenario, Path]:
    """The issue running, its two kinds of helper processes up (the resource tracker
    and the spawn workers rendering each person's file)."""
    scenario = crash.certificates_scenario(tmp_path, people=PEOPLE)
    db = crash.copy(scenario.base, tmp_path / "run.db")
    # Files, not pipes: a worker left behind would hold a pipe open.
    with (tmp_path / "out.txt").open("wb") as out, (tmp_path / "err.txt").open("wb") as err:
        proc = subprocess.Popen(
            scenario.argv(db), env=crash.env(), cwd=crash.ROOT, stdout=out, stderr=err,
            start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        helpers = _children(proc.pid)
        workers = [p for p in helpers if "spawn_main" in _cmdline(p)]
        if len(workers) >= 2:
            time.sleep(0.8)  # the workers are rendering
            return proc, _children(proc.pid), scenario, db
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    raise AssertionError(f"no workers started: {(tmp_path / 'err.txt').read_text()}")


# A worker still importing (seconds on a loaded machine) notices its parent gone only
# once its start-up runs; one left behind lives on forever, so a generous limit still tells.
ENDED_WITHIN = 45


def _stop(pids: list[int]) -> None:
    for pid in pids:  # only what this test started, by pid
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_workers_end_when_the_command_is_killed(tmp_path: Path) -> None:
    proc, helpers, _scenario, _db = _start(tmp_path)
    assert proc.poll() is None, "the issue ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + ENDED_WITHIN
    while time.monotonic() < deadline and any(_alive(p) for p in helpers):
        time.sleep(0.1)
    left = [f"{p}: {_cmdline(p)}" for p in helpers if _alive(p)]
    _stop(helpers)
    assert not left, f"still running {ENDED_WITHIN} s after the command was killed: {left}"


def test_ctrl_c_stops_the_issue_with_one_vietnamese_line(tmp_path: Path) -> None:
    proc, helpers, scenario, db = _start(tmp_path)
    assert proc.poll() is None, "the issue ended before Ctrl-C"
    os.killpg(proc.pid, signal.SIGINT)  # the terminal sends it to the whole group
    try:
        proc.wait(timeout=30)
    finally:
        _stop([proc.pid, *helpers])
    out = (tmp_path / "out.txt").read_text(encoding="utf-8")
    err = (tmp_path / "err.txt").read_text(encoding="utf-8")
    deadline = time.monotonic() + ENDED_WITHIN
    while time.monotonic() < deadline and any(_alive(p) for p in helpers):
        time.sleep(0.1)
    left = [p for p in helpers if _alive(p)]
    _stop(helpers)
    assert proc.returncode == 130, (proc.returncode, out, err)
    assert err.strip().splitlines() == [
        "Đã dừng theo yêu cầu (Ctrl+C); thao tác chưa xong không được ghi."
    ], err
    assert "Traceback" not in out + err and "KeyboardInterrupt" not in out + err
    with closing(sqlite3.connect(db)) as con:
        assert scenario.state(con) == "before"
    out_file, out_dir = crash._certificate_outputs(db)
    assert not out_file.exists()
    placed = (
        [p for p in out_dir.iterdir() if not p.name.startswith(".")] if out_dir.is_dir() else []
    )
    assert not placed
    assert not left, f"helpers still running after Ctrl-C: {left}"


def test_an_interrupt_swallowed_by_a_finalizer_still_stops_before_the_commit(
    tmp_path: Path,
) -> None:
    """Ctrl-C that lands in a weakref callback (SQLAlchemy's InstanceState._cleanup) is
    only printed as "Exception ignored" by Python: the issue must stop all the same."""
    from app.certificate_files import Targets, write_after_commit
    from app.db import Database
    from app.services import certificates, courses

    scenario = crash.certificates_scenario(tmp_path, people=3)
    path = crash.copy(scenario.base, tmp_path / "swallowed.db")
    db = Database(str(path))

    class Held:
        pass

    def act(s, _sink):  # type: ignore[no-untyped-def]
        course = courses.by_code(s, "TH-2026-900")
        issued = certificates.issue(s, course.id, None)
        held = Held()
        weakref.finalize(held, signal.raise_signal, signal.SIGINT)
        del held  # the interrupt is raised inside the callback, and swallowed there
        return issued, certificates.reprint(s, [r.id for r in issued])

    try:
        with pytest.raises(KeyboardInterrupt):
            write_after_commit(db, Targets(out=tmp_path / "gcn.pdf"), act, "Giấy chứng nhận")
    finally:
        db.close()
    with closing(sqlite3.connect(path)) as con:
        assert scenario.state(con) == "before"
    assert not (tmp_path / "gcn.pdf").exists()


def test_ctrl_c_after_the_commit_keeps_the_certificates_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C while the files are being put in place: the certificates are issued (the
    commit is done), the command exits 130 and says they are in the register."""
    from app.cli.main import main
    from app.staging import Staging

    scenario = crash.certificates_scenario(tmp_path, people=3)
    path = crash.copy(scenario.base, tmp_path / "placing.db")
    place = Staging.place

    def interrupted_place(self: Staging) -> list[Path]:
        signal.raise_signal(signal.SIGINT)  # Ctrl-C now, in the main thread
        return place(self)

    monkeypatch.setattr(Staging, "place", interrupted_place)
    out = tmp_path / "gcn.pdf"
    code = main(["--db", str(path), "certificates", "issue", "--course", "TH-2026-900",
                 "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 130, err
    assert "Đã cấp 3 giấy chứng nhận" in err and "dừng theo yêu cầu (Ctrl+C)" in err, err
    assert "Các giấy vẫn có hiệu lực" in err
    with closing(sqlite3.connect(path)) as con:
        assert scenario.state(con) == "after"
    assert not out.exists()
