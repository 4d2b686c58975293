"""Cold start until the main window is shown, against a bare PySide6 QMainWindow.

    python bench/cold_start.py [--runs 5] [--scale 1]

Each run is a fresh Python process (offscreen Qt); the time is from just before the
process starts until the window has been shown and painted. TapHuan starts the way
ui/launcher.py does: the window's shell painted first ("shown", held against the bare
window), then the database opened, locked, checked and upgraded in the worker, the pages
attached and the first page's data loaded ("loaded", the second figure). The demo database
is prepared beforehand, so filling it is not counted. A figure, not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1180, 740); w.show(); app.processEvents()
w.grab()
print("shown", flush=True)
"""

TAPHUAN = """
import sys
sys.path.insert(0, {root!r})
from ui.launcher import application, open_in_worker, shell, wait_idle
from ui.workers import TaskRunner
app = application()
w = shell(app, TaskRunner())
w.grab()
print("shown", flush=True)
opened = open_in_worker(app, w.runner, {db!r})
w.attach(opened.db)
wait_idle(w.runner, 60)
app.processEvents()
w.grab()
print("loaded", flush=True)
w.close()
w.runner.wait()
opened.db.close()
"""


def once(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds to the first line ("shown") and to the last ("loaded", if any)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    shown = time.perf_counter() - started
    rest = proc.stdout.readline()
    loaded = time.perf_counter() - started if rest.strip() == "loaded" else shown
    proc.wait()
    if line.strip() != "shown" or proc.returncode:
        raise SystemExit(f"child failed: {line!r} {rest!r} exit {proc.returncode}")
    return shown * 1000, loaded * 1000


def _runs(values: list[float]) -> str:
    return f"median {statistics.median(values):7.0f} ms  best {min(values):5.0f}  (runs: {', '.join(f'{x:.0f}' for x in values)})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="taphuan-start-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TAPHUAN_DATA_DIR=str(folder))
    db_path = folder / "start.db"
    prepared = Path(os.environ.get("TAPHUAN_BENCH_DIR", ROOT / "bench" / "out"))
    prepared /= f"demo-{args.scale}.db"
    if prepared.exists():  # never written: the runs open a copy
        shutil.copyfile(prepared, db_path)
    else:
        subprocess.run(
            [sys.executable, "-m", "app", "--db", str(db_path), "demo", "--scale", str(args.scale)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )

    taphuan = TAPHUAN.format(root=str(ROOT), db=str(db_path))
    once(BARE, env)  # warm the OS file cache for both
    once(taphuan, env)
    bare, shown, loaded = [], [], []
    for _ in range(args.runs):  # interleaved: a busy moment on the machine hits both sides
        bare.append(once(BARE, env)[0])
        s, t = once(taphuan, env)
        shown.append(s)
        loaded.append(t)
    b = statistics.median(bare)
    print(f"bare PySide6 QMainWindow:      {_runs(bare)}")
    print(f"TapHuan window painted:        {_runs(shown)}")
    print(f"TapHuan first page loaded:     {_runs(loaded)}")
    print(
        f"ratio painted / bare:          {statistics.median(shown) / b:7.2f}x  "
        f"(best {min(shown) / min(bare):.2f}x, demo scale {args.scale})"
    )
    print(
        f"ratio loaded / bare:           {statistics.median(loaded) / b:7.2f}x  "
        f"(best {min(loaded) / min(bare):.2f}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
