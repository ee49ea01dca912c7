"""`flush` that knows about the audit log's append-only triggers.

Emptying the whole database (what `manage.py flush` and Django's transactional test cases do) is
a table owner's act that takes the audit log with everything else; the triggers that refuse
UPDATE and DELETE of single entries would make it fail. This lifts them for the flush and puts
them back at once, in the same transaction on PostgreSQL.
"""

import importlib

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

_triggers = importlib.import_module("kor.migrations.0002_audit_append_only")


class _Editor:
    """The two trigger functions of the migration want a schema editor; this is enough of one."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def execute(self, sql: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options["database"]]
        installed = "kor_auditevent" in connection.introspection.table_names()
        editor = _Editor(connection)
        if installed:
            _triggers.drop_triggers(None, editor)
        try:
            return super().handle(**options)
        finally:
            if installed:
                _triggers.create_triggers(None, editor)
