"""A data folder Windows refuses to write into, although os.access calls it writable (rights
that deny writing; an immutable folder under Wine): the command says why and exits 3. With
tempfile it hung: mkstemp on Windows takes "access denied" for a name already taken and
tries the next of 2**31 names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]

# tempfile as on Windows (os.name "nt", os.access seeing only the read-only attribute,
# 2**31 names to try), then the command; the rest of the process stays Linux.
AS_ON_WINDOWS = """
import os, sys, tempfile

class WindowsOs:
    name = "nt"

    def __getattr__(self, attr):
        return getattr(os, attr)

    @staticmethod
    def access(path, mode, **kw):
        return True

tempfile._os = WindowsOs()
tempfile.TMP_MAX = 2147483647  # os.TMP_MAX on Windows: the names mkstemp tries
from app.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def denied_folder(tmp_path: Path) -> Path:
    """A data folder with a database, where no file can be created."""
    folder = Path(os.environ["TAPHUAN_DATA_DIR"])
    assert main(["init"]) == 0
    if os.geteuid() == 0:  # root writes through a mode; an immutable folder stops it
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("root, and chattr +i is not available here")
    else:
        folder.chmod(0o555)
    yield folder
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o755)


def fingerprint(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    "command",
    [
        ["course", "list"],
        [
            "course",
            "add",
            "--code",
            "KT-9",
            "--title",
            "Thử",
            "--start",
            "2026-03-02",
            "--end",
            "2026-03-04",
        ],
    ],
    ids=["course list", "course add"],
)
def test_a_denied_data_folder_is_a_vietnamese_error_not_a_hang(
    denied_folder: Path, command: list[str]
) -> None:
    before = fingerprint(denied_folder)
    try:
        done = subprocess.run(
            [sys.executable, "-c", AS_ON_WINDOWS, *command],
            capture_output=True, text=True, cwd=ROOT, timeout=60,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"taphuan {' '.join(command)} still running after 60 s: it hangs")
    assert done.returncode == 3, done.stderr
    assert done.stderr.strip() == (
        f"Lỗi: Thư mục {denied_folder} chỉ cho đọc: TapHuan cần quyền ghi ở đó để lưu dữ liệu "
        "an toàn. Hãy chọn thư mục khác hoặc xin quyền ghi."
    )
    assert fingerprint(denied_folder) == before  # nothing written


def test_the_self_test_names_a_denied_data_folder(denied_folder: Path) -> None:
    try:
        done = subprocess.run(
            [sys.executable, "-c", AS_ON_WINDOWS, "--self-test"],
            capture_output=True, text=True, cwd=ROOT, timeout=120,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("taphuan --self-test still running after 120 s: it hangs")
    assert done.returncode == 1
    assert (
        f"LỖI  Thư mục dữ liệu tạo và ghi được: Không ghi được vào thư mục dữ liệu "
        f"{denied_folder}: không có quyền" in done.stdout
    )
