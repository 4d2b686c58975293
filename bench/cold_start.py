"""Cold start until the main window is shown, against a bare PySide6 QMainWindow.

    python bench/cold_start.py [--runs 5] [--scale 1]

Each run is a fresh Python process (offscreen Qt); the time is from just before the
process starts until the window has been shown and painted. The TapHuan run opens a demo
database prepared beforehand, so filling it is not counted. A figure, not a test.
"""

from __future__ import annotations

import argparse
import os
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
from ui.launcher import application
from ui.main_window import MainWindow
from ui.settings import ui_settings
from ui.workers import TaskRunner
from app.db import Database
app = application()
db = Database({db!r}); db.upgrade()
w = MainWindow(db, TaskRunner(), ui_settings()); w.show(); app.processEvents()
w.grab()
print("shown", flush=True)
w.runner.wait()
"""


def once(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait()
    if line.strip() != "shown":
        raise SystemExit(f"child failed: {line!r}")
    return elapsed * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="taphuan-start-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TAPHUAN_DATA_DIR=str(folder))
    db_path = folder / "start.db"
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
    bare = [once(BARE, env) for _ in range(args.runs)]
    ours = [once(taphuan, env) for _ in range(args.runs)]
    b, t = statistics.median(bare), statistics.median(ours)
    print(
        f"bare PySide6 QMainWindow: median {b:7.0f} ms  (runs: {', '.join(f'{x:.0f}' for x in bare)})"
    )
    print(
        f"TapHuan main window:      median {t:7.0f} ms  (runs: {', '.join(f'{x:.0f}' for x in ours)})"
    )
    print(f"ratio:                    {t / b:7.2f}x  (demo scale {args.scale})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
