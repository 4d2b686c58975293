"""Running `taphuan` in-process for the CLI tests: (exit code, stdout, stderr)."""

from __future__ import annotations

import pytest

from app.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors and --version
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
