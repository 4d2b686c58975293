"""The shape of the window's code, for the issue's note: modules, the largest module and
function under ui/, and the dialogs that import the database.

    python bench/ui_shape.py [ROOT]     (ROOT: a checkout, default this one)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def main(root: Path) -> None:
    modules: list[tuple[int, str]] = []
    functions: list[tuple[int, str]] = []
    db_dialogs: list[str] = []
    for path in sorted((root / "ui").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(root))
        tree = ast.parse(text)
        modules.append((len(text.splitlines()), name))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                functions.append((node.end_lineno - node.lineno + 1, f"{name}:{node.name}"))
        if path.parent.name == "dialogs" and "app.db" in imports(tree):
            db_dialogs.append(path.name)
    modules.sort(reverse=True)
    functions.sort(reverse=True)
    dialogs = [p for p in (root / "ui" / "dialogs").glob("*.py") if p.name != "__init__.py"]
    print(f"ui modules: {len(modules)}")
    print("largest modules (lines): " + ", ".join(f"{n} {m}" for n, m in modules[:3]))
    print("largest functions (lines): " + ", ".join(f"{n} {f}" for n, f in functions[:3]))
    print(f"dialog modules importing app.db: {len(db_dialogs)} of {len(dialogs)} {db_dialogs}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
