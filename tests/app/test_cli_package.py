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
