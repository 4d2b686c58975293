"""The import graph of a package: modules, import circles, the largest module and function.

    python bench/import_graph.py [PACKAGE ...] [--top-level]

Reads the source with ast (nothing is imported). An edge A -> B is any import of B in A,
at the top or inside a function (a circle closed by a lazy import is still a circle),
including those under TYPE_CHECKING; --top-level counts only imports run at import
time. A circle is a strongly connected component of more than one module (Tarjan).
Importing a.b.c does not count as importing the packages a and a.b. A figure, not a test.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules(package: str) -> dict[str, Path]:
    """Module name -> file, for every .py under the package's folder."""
    out = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _top_level_nodes(tree: ast.Module) -> list[ast.AST]:
    """Statements run at import time: the module body and the bodies of its if/try
    blocks, not function or class bodies' nested functions."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, ast.If | ast.Try | ast.With | ast.ClassDef):
            for field in ("body", "orelse", "finalbody", "handlers"):
                todo.extend(getattr(node, field, []))
        elif isinstance(node, ast.ExceptHandler):
            todo.extend(node.body)
    return out


def imports_of(name: str, path: Path, known: set[str], top_level: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = _top_level_nodes(tree) if top_level else list(ast.walk(tree))
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return {m for m in found if m in known and m != name}


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                out.append(sorted(component))
    return out


def largest_function(files: dict[str, Path]) -> tuple[int, str]:
    """The longest function or method (lines, decorators not counted), by qualified name."""
    best = (0, "")

    def visit(node: ast.AST, prefix: str) -> None:
        nonlocal best
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (child.end_lineno or child.lineno) - child.lineno + 1
                best = max(best, (lines, f"{prefix}.{child.name}"))
                visit(child, f"{prefix}.{child.name}")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}.{child.name}")
            else:
                visit(child, prefix)

    for name, path in files.items():
        visit(ast.parse(path.read_text(encoding="utf-8")), name)
    return best


def report(package: str, top_level: bool) -> None:
    files = modules(package)
    known = set(files)
    graph = {name: imports_of(name, path, known, top_level) for name, path in files.items()}
    circles = [c for c in strongly_connected(graph) if len(c) > 1]
    sizes = {
        name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in files.items()
    }
    biggest = max(sizes, key=lambda m: sizes[m])
    fn_lines, fn_name = largest_function(files)
    kind = "top-level imports" if top_level else "all imports"
    print(f"{package}/ ({kind}): {len(files)} modules, {sum(map(len, graph.values()))} edges")
    print(f"  import circles: {len(circles)}")
    for c in circles:
        print(f"    {len(c)} modules: {', '.join(c)}")
    print(f"  largest module: {biggest} ({sizes[biggest]} lines)")
    print(f"  largest function: {fn_name} ({fn_lines} lines)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("packages", nargs="*", default=["app"])
    parser.add_argument("--top-level", action="store_true", help="only imports run at import")
    args = parser.parse_args(argv)
    for package in args.packages:
        report(package, args.top_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
