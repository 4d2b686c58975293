"""The frozen build (PyInstaller, one folder) builds, passes its own self-test, and holds
every file installer.iss ships. About a minute: the freeze itself."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.test_installer import BUILT, entries

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))


@pytest.mark.skipif(
    importlib.util.find_spec("PyInstaller") is None,
    reason="PyInstaller is not installed (pip install -e '.[test]')",
)
def test_the_bundle_builds_and_passes_its_self_test(tmp_path: Path) -> None:
    import build

    bundle = build.build(tmp_path / "dist", tmp_path / "work")
    done = build.self_test(bundle)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1] == "Tự kiểm tra: mọi bước đều đạt."
    # What the installer copies is where it looks for it (names without .exe off Windows).
    for entry in entries("Files"):
        source = entry["Source"]
        if not source.startswith(BUILT):
            continue
        relative = source[len(BUILT[0]) :].replace("\\", "/")
        if relative.endswith(".exe") and sys.platform != "win32":
            relative = relative[: -len(".exe")]
        if relative.endswith("/*"):
            assert any((bundle / relative[:-2]).iterdir()), source
        else:
            assert (bundle / relative).is_file(), source
    # Nothing of the developer's checkout: the bundle carries its own migrations and fonts.
    internal = bundle / "_internal"
    assert (internal / "migrations" / "versions").is_dir()
    assert (internal / "resources" / "fonts" / "LiberationSerif-Regular.ttf").is_file()
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
