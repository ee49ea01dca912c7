"""Every audit row is written by one function (kor.audit.record / record_many; DESIGN.md, Access).

A row built by hand elsewhere drifts: it forgets the address, cuts the path differently, names
the object another way. So outside kor/audit.py no app module may create an AuditEvent: no
`AuditEvent(...)`, no `AuditEvent.objects.create(...)` or `.bulk_create(...)` (nor the other
manager methods that insert). Read by the syntax tree, so a call split over lines counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("kor", "clients", "sessions")
WRITER = ROOT / "kor" / "audit.py"
INSERTS = {"create", "bulk_create", "get_or_create", "update_or_create"}


def _names_audit_event(node: ast.expr) -> bool:
    return (isinstance(node, ast.Name) and node.id == "AuditEvent") or (
        isinstance(node, ast.Attribute) and node.attr == "AuditEvent"
    )


def hand_written_rows(source: str) -> list[int]:
    """Lines where the source builds an audit row itself."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if _names_audit_event(func):
            lines.append(node.lineno)  # AuditEvent(...)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr in INSERTS
            and isinstance(func.value, ast.Attribute)
            and func.value.attr in ("objects", "_default_manager", "_base_manager")
            and _names_audit_event(func.value.value)
        ):
            lines.append(node.lineno)  # AuditEvent.objects.create(...)
    return lines


def app_modules() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and path != WRITER
    ]


def test_no_app_module_writes_an_audit_row_by_hand():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in app_modules()
        for line in hand_written_rows(path.read_text())
    ]
    assert not found, "write audit rows through kor.audit.record / record_many:\n" + "\n".join(
        found
    )


def test_the_check_finds_a_hand_written_row():
    # So that the test above can fail: each way of inserting a row is caught, a read is not.
    source = """
from kor import models
from kor.models import AuditEvent
AuditEvent.objects.create(action="view")
AuditEvent.objects.bulk_create([
    AuditEvent(action="view"),
])
models.AuditEvent.objects.get_or_create(action="view")
AuditEvent.objects.filter(action="view").count()
class AuditEvent(Base): pass
"""
    assert sorted(hand_written_rows(source)) == [4, 5, 6, 8]


def test_the_writer_itself_is_where_rows_are_made():
    assert hand_written_rows(WRITER.read_text())
