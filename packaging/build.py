"""Build the Windows bundle (or the Linux one, for CI), self-test it, then the installer.

    python packaging/build.py [--dist dist] [--work build] [--no-installer] [--iscc ISCC.exe]

1. PyInstaller with packaging/taphuan.spec: dist/taphuan/ (one folder).
2. dist/taphuan/taphuan-cli --self-test: the bundle creates a database through its own
   migrations, prints a certificate, a sign-in sheet and a report; exit 0 or stop here.
3. The bundle's size and its largest parts.
4. On Windows, Inno Setup's compiler (--iscc, or ISCC.exe where Inno Setup installs it)
   with the version from pyproject.toml: dist/installer/taphuan-<version>-setup.exe. Any
   warning fails the build (a Vietnamese.isl that misses a message shows it in English).

On Linux, packaging/windows/build.sh runs this under Wine with a Windows Python.
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


SELF_TEST_PASSED = "Tự kiểm tra: mọi bước đều đạt."


def self_test_problem(done: subprocess.CompletedProcess[str]) -> str | None:
    """Why a self-test run is not a pass (exit 0 *and* its closing line), or None."""
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0:
        return f"exit code {done.returncode}"
    if not lines or lines[-1] != SELF_TEST_PASSED:
        return "its output does not end with " + repr(SELF_TEST_PASSED)
    return None


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


def iscc(explicit: Path | None = None) -> Path | None:
    if explicit is not None:
        return explicit if explicit.is_file() else None
    found = shutil.which("ISCC")
    if found:
        return Path(found)
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").exists():
            return Path(base) / "Inno Setup 6" / "ISCC.exe"
    return None


def compile_installer(compiler: Path) -> tuple[str, list[str]]:
    """ISCC on installer.iss: its output, and what makes it a failure (empty: success)."""
    done = subprocess.run(
        [str(compiler), f"/DAppVersion={version()}", str(ROOT / "installer.iss")],
        capture_output=True, cwd=ROOT,
    )  # fmt: skip
    output = (done.stdout + done.stderr).decode("utf-8", errors="replace").replace("\r\n", "\n")
    problems = installer_problems(output)
    if done.returncode != 0:
        problems.insert(0, f"ISCC exit code {done.returncode}")
    return output, problems


def installer_problems(output: str) -> list[str]:
    """Every warning is a failure, and success is ISCC saying so: under Wine without its
    32-bit half, ISCC prints nothing and exits 0."""
    problems = [line.strip() for line in output.splitlines() if line.startswith("Warning:")]
    if "Successful compile" not in output:
        problems.append("ISCC did not say 'Successful compile'")
    return problems


def installer_summary(output: str) -> str:
    """ISCC's warnings and errors and its closing lines, without a line a file compressed."""
    lines = output.splitlines()
    kept = [line for line in lines if line.startswith(("Warning", "Error"))]
    end = next((i for i, line in enumerate(lines) if "Successful compile" in line), None)
    kept += lines[end:] if end is not None else lines[-20:]
    return "".join(line + "\n" for line in kept)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    parser.add_argument("--no-installer", action="store_true")
    parser.add_argument("--iscc", type=Path, help="Inno Setup's ISCC.exe (default: installed)")
    args = parser.parse_args()
    bundle = build(args.dist, args.work)
    done = self_test(bundle)
    print(done.stdout, end="")
    problem = self_test_problem(done)
    if problem:
        print(done.stderr, file=sys.stderr)
        print(f"The bundle's self-test failed ({problem}): no installer.", file=sys.stderr)
        return 1
    for name, size in sizes(bundle):
        print(f"{name:<28} {size / 1024 / 1024:8.1f} MB")
    if sys.platform != "win32" or args.no_installer:
        return 0
    compiler = iscc(args.iscc)
    if compiler is None:
        if args.iscc is not None:
            print(f"{args.iscc} not found.", file=sys.stderr)
            return 1
        print("Inno Setup 6 (ISCC.exe) not found: bundle only.", file=sys.stderr)
        return 0
    output, problems = compile_installer(compiler)
    print(installer_summary(output), end="")
    if problems:
        print(f"The installer failed ({len(problems)} problems):", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
