"""The audit log is append-only in the database itself: UPDATE and DELETE of a row raise.

Django's admin and the app never change an entry, but that is a promise in Python; these triggers
make it hold for anything with a connection (a shell, a script, a bug). Truncation and dropping
the table need the table owner's rights, which the app's own role should not have in production.
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION kor_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'kor_auditevent is append-only: ' || TG_OP || ' is not allowed',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER kor_auditevent_no_update BEFORE UPDATE ON kor_auditevent
    FOR EACH ROW EXECUTE FUNCTION kor_auditevent_append_only();
CREATE TRIGGER kor_auditevent_no_delete BEFORE DELETE ON kor_auditevent
    FOR EACH ROW EXECUTE FUNCTION kor_auditevent_append_only();
CREATE TRIGGER kor_auditevent_no_truncate BEFORE TRUNCATE ON kor_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION kor_auditevent_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS kor_auditevent_no_truncate ON kor_auditevent;
DROP TRIGGER IF EXISTS kor_auditevent_no_delete ON kor_auditevent;
DROP TRIGGER IF EXISTS kor_auditevent_no_update ON kor_auditevent;
DROP FUNCTION IF EXISTS kor_auditevent_append_only();
"""
SQLITE_CREATE = [
    """CREATE TRIGGER kor_auditevent_no_update BEFORE UPDATE ON kor_auditevent
       BEGIN SELECT RAISE(ABORT, 'kor_auditevent is append-only: UPDATE is not allowed'); END""",
    """CREATE TRIGGER kor_auditevent_no_delete BEFORE DELETE ON kor_auditevent
       BEGIN SELECT RAISE(ABORT, 'kor_auditevent is append-only: DELETE is not allowed'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS kor_auditevent_no_update",
    "DROP TRIGGER IF EXISTS kor_auditevent_no_delete",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    else:
        raise RuntimeError(f"No append-only triggers for the audit log on {vendor}")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("kor", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
