"""`taphuan --self-test`, and a windowed build without a console (no sys.stdout)."""

from __future__ import annotations

import sys

import pytest

from app import selftest
from app.cli import main


def test_self_test_passes_and_says_each_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-test"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "Tự kiểm tra: mọi bước đều đạt."
    assert sum(line.startswith("ĐẠT  ") for line in out) == 6
    assert any("34 tỉnh/thành, 3321 xã/phường" in line for line in out)


def test_a_failing_step_is_named_and_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_fonts() -> None:
        raise FileNotFoundError("resources/fonts/LiberationSerif-Regular.ttf")

    monkeypatch.setattr("app.documents.fonts.register", broken_fonts)
    assert main(["--self-test"]) == selftest.EXIT_FAILED
    out = capsys.readouterr().out
    # Issuing renders each certificate (for its SHA-256): it fails, and what needs it waits.
    assert "LỖI  Thêm khóa học, học viên, cấp giấy chứng nhận: resources/fonts/Liberation" in out
    assert "BỎ QUA  In giấy chứng nhận (PDF, tiếng Việt) (vì bước trước lỗi)" in out
    assert "LỖI  Báo cáo định kỳ có biểu đồ (PDF): resources/fonts/Liberation" in out
    assert out.splitlines()[-1] == "Tự kiểm tra: 2 bước lỗi."


def test_no_console_is_no_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    with pytest.raises(SystemExit) as done:
        main(["--version"])  # argparse prints the version to stdout
    assert done.value.code == 0
    assert sys.stdout is not None and sys.stderr is not None
