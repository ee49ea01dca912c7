"""The apps import downwards only, so no two of them can import each other (DESIGN.md, Layers):

    engine    kor.outcomes           pure Python, no Django
    core      kor (models, access, audit writer, security, settings)   knows no app
    clients   clients                clients, episodes, raters, goals, the caseload
    sessions  sessions               meetings and forms, and what reads them: the outcome read
                                     model, the session view, the client page, statistics, reports
    project   kor.urls, kor.admin, kor.demo, kor's pages over everything (rights, audit review),
              management commands, benchmarks                may import anything

Every import counts, also one inside a function: hiding an import from the cycle in a function
does not remove the cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kor", "clients", "sessions")

# kor is the project package too: these of its modules sit on top, over both apps.
PROJECT = (
    "kor.urls",
    "kor.admin",
    "kor.demo",
    "kor.demo_story",
    "kor.rights",
    "kor.audit_review",
    "kor.views",
    "kor.management",
    "kor.wsgi",
    "kor.asgi",
)
ENGINE, CORE, CLIENTS, SESSIONS, TOP = range(5)
NAMES = {ENGINE: "engine", CORE: "core", CLIENTS: "clients", SESSIONS: "sessions", TOP: "project"}


def layer(module: str) -> int | None:
    if module == "kor.outcomes" or module.startswith("kor.outcomes."):
        return ENGINE
    # Benchmarks seed whole organisations: they stand over everything, like the seeder.
    if any(module == p or module.startswith(p + ".") for p in PROJECT) or module.endswith(".bench"):
        return TOP
    top = module.split(".")[0]
    return {"kor": CORE, "clients": CLIENTS, "sessions": SESSIONS}.get(top)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, name: str) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, relative ones resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
    return found


def source_files() -> list[Path]:
    return [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]


def test_the_layer_map_knows_every_module():
    assert all(layer(module_name(p)) is not None for p in source_files())


def test_imports_point_down_only():
    wrong = []
    for path in source_files():
        name = module_name(path)
        own = layer(name)
        for line, target in imports(path, name):
            theirs = layer(target)
            if theirs is not None and theirs > own:
                wrong.append(
                    f"{path.relative_to(ROOT)}:{line} ({NAMES[own]}) imports {target} "
                    f"({NAMES[theirs]})"
                )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", sorted((ROOT / "kor" / "outcomes").rglob("*.py")), ids=str)
def test_the_engine_imports_no_django(path: Path):
    targets = [t for _, t in imports(path, module_name(path))]
    assert not [t for t in targets if t == "django" or t.startswith("django.")]
