"""`taphuan --self-test`, and a windowed build without a console (no sys.stdout)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import db, selftest
from app.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_passes_and_says_each_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "Tự kiểm tra: mọi bước đều đạt."
    assert sum(line.startswith("ĐẠT  ") for line in out) == 10
    # The bundle reads a signed sheet back (issue 19): OpenCV and zxing-cpp are in it.
    assert any(line.startswith("ĐẠT  Đọc lại bảng ký tên đã ký") for line in out)
    # The report's charts are ReportLab's now: matplotlib is proven by Tổng quan's.
    assert any(line.startswith("ĐẠT  Biểu đồ Tổng quan (matplotlib)") for line in out)
    assert any("34 tỉnh/thành, 3321 xã/phường" in line for line in out)
    signed = [line for line in out if line.startswith("ĐẠT  Ký số giấy chứng nhận")]
    assert signed and signed[0].endswith("CN=Tự kiểm tra TapHuan")


def test_a_failing_step_is_named_and_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_fonts() -> None:
        raise FileNotFoundError("resources/fonts/LiberationSerif-Regular.ttf")

    monkeypatch.setattr("app.documents.fonts.register", broken_fonts)
    assert main(["--self-test"]) == selftest.EXIT_FAILED
    out = capsys.readouterr().out
    # Issuing renders no PDF (issue 18: the register keeps the snapshot's SHA-256), so it
    # passes; every step that draws a PDF fails and names the font.
    assert "ĐẠT  Thêm khóa học, học viên, cấp giấy chứng nhận" in out
    for step in ("In giấy chứng nhận (PDF, tiếng Việt)", "In danh sách ký tên (PDF)",
                 "Ký số giấy chứng nhận (PAdES) và kiểm tra lại chữ ký",
                 "Đọc lại bảng ký tên đã ký (OpenCV, zxing-cpp)",
                 "Báo cáo định kỳ có biểu đồ (PDF)"):  # fmt: skip
        assert f"LỖI  {step}: resources/fonts/Liberation" in out
    assert out.splitlines()[-1] == "Tự kiểm tra: 5 bước lỗi."


def test_no_console_is_no_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    with pytest.raises(SystemExit) as done:
        main(["--version"])  # argparse prints the version to stdout
    assert done.value.code == 0
    assert sys.stdout is not None and sys.stderr is not None


def test_a_cp1252_pipe_gets_vietnamese_not_an_encoding_error(tmp_path: Path) -> None:
    """A frozen Windows build's stdout through a pipe is in the ANSI code page (cp1252)
    whatever PYTHONUTF8 says, as when packaging/build.py runs the bundle's self-test."""
    env = dict(os.environ, PYTHONIOENCODING="cp1252", PYTHONUTF8="0", PYTHONPATH=str(ROOT),
               TAPHUAN_DATA_DIR=str(tmp_path))  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"], capture_output=True, env=env, cwd=tmp_path
    )
    assert b"UnicodeEncodeError" not in done.stderr, done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0
    out = done.stdout.decode("utf-8").splitlines()
    assert out[0].startswith("ĐẠT  Tạo cơ sở dữ liệu")
    assert out[-1] == "Tự kiểm tra: mọi bước đều đạt."


@pytest.fixture
def windows_unlink(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """os.unlink as on Windows: a file this process still has open cannot be deleted
    (WinError 32). Returns the paths it refused."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc/self/fd to see which files this process has open")
    refused: list[str] = []
    real_unlink = os.unlink

    def still_open(path: str) -> bool:
        for fd in os.listdir("/proc/self/fd"):
            try:
                if os.readlink(f"/proc/self/fd/{fd}") == path:
                    return True
            except OSError:
                continue
        return False

    def unlink(path: str, *, dir_fd: int | None = None) -> None:
        full = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path) if dir_fd else path
        if still_open(os.path.realpath(full)):
            refused.append(full)
            raise PermissionError(13, "[WinError 32] The process cannot access the file "
                                  "because it is being used by another process", full)  # fmt: skip
        real_unlink(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", unlink)
    return refused


def test_an_error_escaping_a_step_is_not_hidden_by_the_cleanup(windows_unlink: list[str]) -> None:
    """Printing "ĐẠT" to a cp1252 stream fails after the database is open: that error is
    the one raised, the database closed before its temporary folder is deleted."""

    def cp1252_console(line: str) -> None:
        line.encode("cp1252")

    with pytest.raises(UnicodeEncodeError):
        selftest.run(cp1252_console)
    assert windows_unlink == []


def test_a_failed_creation_closes_the_database_and_is_reported(
    windows_unlink: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    built = db.SCHEMA_HEAD  # what the migrations in the bundle reach
    monkeypatch.setattr("app.db.SCHEMA_HEAD", "9999")  # the bundle lacks a migration
    said: list[str] = []
    assert selftest.run(said.append) == selftest.EXIT_FAILED
    assert said[0] == "LỖI  Tạo cơ sở dữ liệu qua các bản nâng cấp đóng gói: " + (
        f"phiên bản lược đồ {built}, cần 9999"
    )
    assert said[-1] == "Tự kiểm tra: 1 bước lỗi."
    assert windows_unlink == []


DATA_STEP = "Thư mục dữ liệu tạo và ghi được"


def test_a_file_where_the_data_folder_goes_fails_the_self_test(tmp_path: Path) -> None:
    """The bundle's self-test passed although no database could ever be kept: a file
    named like the data folder now fails it, in Vietnamese, and stays as it was."""
    data = Path(os.environ["TAPHUAN_DATA_DIR"])
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_bytes(b"not a folder")
    said: list[str] = []
    assert selftest.run(said.append) == selftest.EXIT_FAILED
    failed = [line for line in said if line.startswith("LỖI  ")]
    assert failed == [
        f"LỖI  {DATA_STEP}: Không tạo được thư mục dữ liệu {data}: đã có tệp trùng tên. TapHuan "
        "lưu cơ sở dữ liệu, bản sao lưu và nhật ký ở đó: hãy xóa hoặc đổi tên thứ đang chiếm "
        "chỗ đó, hoặc xin quyền tạo thư mục."
    ]
    assert said[-1] == "Tự kiểm tra: 1 bước lỗi."
    assert data.read_bytes() == b"not a folder"


def test_the_data_folder_check_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    data = Path(os.environ["TAPHUAN_DATA_DIR"]) / "a" / "b"
    monkeypatch.setenv("TAPHUAN_DATA_DIR", str(data))
    said: list[str] = []
    assert selftest.run(said.append) == selftest.EXIT_OK
    assert f"{DATA_STEP} (" in said[-2] and said[-2].endswith(f": {data}")
    assert not data.parent.parent.exists()  # made for the check, removed again
    data.mkdir(parents=True)
    assert selftest.run(said.append) == selftest.EXIT_OK
    assert list(data.iterdir()) == []  # its test file is gone too


def test_a_data_folder_that_cannot_be_written_fails_the_self_test() -> None:
    data = Path(os.environ["TAPHUAN_DATA_DIR"])
    data.mkdir(parents=True)
    (data / "taphuan.db").write_bytes(b"data")
    if os.geteuid() == 0:  # root writes through a mode; an immutable folder stops it
        if subprocess.run(["chattr", "+i", str(data)], capture_output=True).returncode != 0:
            pytest.skip("root, and chattr +i is not available here")
    else:
        data.chmod(0o555)
    try:
        said: list[str] = []
        assert selftest.run(said.append) == selftest.EXIT_FAILED
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(data)], check=True)
        data.chmod(0o755)
    assert [line for line in said if line.startswith("LỖI  ")] == [
        f"LỖI  {DATA_STEP}: Không ghi được vào thư mục dữ liệu {data}: không có quyền (tệp "
        "đang mở ở chương trình khác hoặc thư mục chỉ cho đọc). TapHuan lưu cơ sở dữ liệu, "
        "bản sao lưu và nhật ký ở đó: hãy xin quyền ghi ở thư mục này."
    ]
    assert [p.name for p in data.iterdir()] == ["taphuan.db"]
    assert (data / "taphuan.db").read_bytes() == b"data"
