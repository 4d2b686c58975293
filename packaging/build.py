"""Build the Windows bundle (or the Linux one, for CI), self-test it, then the installer.

    python packaging/build.py [--dist dist] [--work build] [--no-installer]

1. PyInstaller with packaging/taphuan.spec: dist/taphuan/ (one folder).
2. dist/taphuan/taphuan-cli --self-test: the bundle creates a database through its own
   migrations, prints a certificate, a sign-in sheet and a report; exit 0 or stop here.
3. The bundle's size and its largest parts.
4. On Windows, Inno Setup's compiler (ISCC.exe, if installed) with the version from
   pyproject.toml: dist/installer/taphuan-<version>-setup.exe.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = ".exe" if sys.platform == "win32" else ""


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]


def build(dist: Path, work: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(ROOT / "packaging" / "taphuan.spec"),
         "--noconfirm", "--distpath", str(dist), "--workpath", str(work), "--log-level", "WARN"],
        check=True, cwd=ROOT,
    )  # fmt: skip
    return dist / "taphuan"


def self_test(bundle: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env.pop("PYTHONPATH", None)  # the bundle only, nothing from this checkout
    return subprocess.run(
        [str(bundle / f"taphuan-cli{EXE}"), "--self-test"],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=bundle.parent,
    )  # fmt: skip


def sizes(bundle: Path, top: int = 8) -> list[tuple[str, int]]:
    """The bundle's total, then its largest parts (folders under _internal, and files)."""

    def size_of(path: Path) -> int:  # links counted once, where they point
        if path.is_symlink():
            return 0
        if path.is_dir():
            return sum(
                f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()
            )
        return path.stat().st_size

    total = size_of(bundle)
    parts = [(child.name, size_of(child)) for child in (bundle / "_internal").iterdir()]
    parts.sort(key=lambda p: -p[1])
    return [("total", total), *parts[:top]]


def iscc() -> Path | None:
    found = shutil.which("ISCC")
    if found:
        return Path(found)
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").exists():
            return Path(base) / "Inno Setup 6" / "ISCC.exe"
    return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--no-installer", action="store_true")
    args = parser.parse_args()
    bundle = build(args.dist, args.work)
    done = self_test(bundle)
    print(done.stdout, end="")
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        print("The bundle's self-test failed: no installer.", file=sys.stderr)
        return 1
    for name, size in sizes(bundle):
        print(f"{name:<28} {size / 1024 / 1024:8.1f} MB")
    if sys.platform != "win32" or args.no_installer:
        return 0
    compiler = iscc()
    if compiler is None:
        print("Inno Setup 6 (ISCC.exe) not found: bundle only.", file=sys.stderr)
        return 0
    subprocess.run([str(compiler), f"/DAppVersion={version()}", str(ROOT / "installer.iss")],
                   check=True, cwd=ROOT)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
