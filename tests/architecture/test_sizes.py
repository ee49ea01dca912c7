"""Small modules and functions (issue 10): no app function near 80 lines, no module over 400.

The demo seeder and the benchmarks are left out: they are long scripts of data, read top to bottom.
Migrations are generated.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 400


def app_modules() -> list[Path]:
    found = []
    for package in ("kor", "clients", "sessions"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or path.stem == "bench" or path.name == "demo.py":
                continue
            found.append(path)
    return found


def test_no_function_is_longer_than_80_lines():
    long = []
    for path in app_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} {length}")
    assert not long, "\n".join(long)


def test_no_module_is_longer_than_400_lines():
    long = [
        f"{path.relative_to(ROOT)} {n}"
        for path in app_modules()
        if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert not long, "\n".join(long)
