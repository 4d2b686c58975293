"""The command line as a package: argparse left alone for everyone else, the exit codes
defined once, and no import circles between the modules of app/."""

from __future__ import annotations

import argparse
import ast
import gettext
import importlib.util
from pathlib import Path

import pytest

from app.cli import build_parser
from tests.app.clirun import run

ROOT = Path(__file__).resolve().parents[2]


def import_graph():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "import_graph", ROOT / "bench" / "import_graph.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_argparse_is_left_alone(capsys: pytest.CaptureFixture[str]) -> None:
    build_parser()
    code, _, err = run(capsys, "khong-co-lenh")
    assert code == 2 and "taphuan: lỗi: tham số LỆNH: lựa chọn không hợp lệ" in err
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    other = argparse.ArgumentParser(prog="khac")
    assert other.format_usage().startswith("usage: khac")
    assert "options:" in other.format_help()


def test_no_import_circles_in_app() -> None:
    graph = import_graph()
    modules = graph.modules("app")
    known = set(modules)
    edges = {name: graph.imports_of(name, path, known, False) for name, path in modules.items()}
    circles = [c for c in graph.strongly_connected(edges) if len(c) > 1]
    assert circles == []
    assert "app.server" in edges["app.config"]  # the graph sees an import inside a function


def test_the_exit_codes_are_defined_once() -> None:
    defined: dict[str, list[str]] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        if path.name == "selftest.py":  # the self-test's own result, not the CLI's
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                names = target.elts if isinstance(target, ast.Tuple) else [target]
                for name in names:
                    if isinstance(name, ast.Name) and name.id.startswith("EXIT_"):
                        defined.setdefault(name.id, []).append(str(path.relative_to(ROOT)))
    assert set(defined) >= {"EXIT_OK", "EXIT_USAGE", "EXIT_USER_ERROR", "EXIT_INTERNAL"}
    assert {where for places in defined.values() for where in places} == {"app/cli/common.py"}
    assert all(len(places) == 1 for places in defined.values()), defined


def test_each_command_is_owned_by_the_group_that_defines_it() -> None:
    import importlib

    cli_main = importlib.import_module("app.cli.main")  # app.cli.main is also the function
    defined = {name: g.__name__.rsplit(".", 1)[1] for g in cli_main.groups() for name in g.COMMANDS}
    assert defined == cli_main.OWNERS


def test_a_command_loads_its_own_group_only(tmp_path: Path) -> None:
    """`certificates list` needs neither the attendance sheets nor the importer: it
    loads app.cli.certificates alone (issue 18: a whole CLI process for 1,000
    certificates, where importing every group was a tenth of the time)."""
    import subprocess
    import sys

    probe = (
        "import sys; from app.cli.main import main; "
        f"code = main(['--db', {str(tmp_path / 'x.db')!r}, 'init']); "
        "before = {m for m in sys.modules if m.startswith('app.cli.')}; "
        f"code += main(['--db', {str(tmp_path / 'x.db')!r}, 'certificates', 'list']); "
        "print(code, sorted({m for m in sys.modules if m.startswith('app.cli.')} - before))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**__import__("os").environ, "TAPHUAN_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # Signing (app.cli.signing) is loaded only by the commands given --sign (this round).
    assert done.stdout.strip().splitlines()[-1] == "0 ['app.cli.certificates']"
