"""The app's runtime role cannot change or erase the audit log, even by disabling its triggers.

Issue 12: the app's role owned kor_auditevent, so it could `ALTER TABLE ... DISABLE TRIGGER` and
delete rows. PostgreSQL only: CI (.ci/run) creates an owner role that migrates (DATABASE_URL) and a
runtime role (DB_RUNTIME_ROLE, DB_RUNTIME_PASSWORD) that this test connects as.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="database roles and privileges: PostgreSQL only",
    ),
    pytest.mark.skipif(
        not (settings.DB_RUNTIME_ROLE and os.environ.get("DB_RUNTIME_PASSWORD")),
        reason="set DB_RUNTIME_ROLE and DB_RUNTIME_PASSWORD (as .ci/run does)",
    ),
    pytest.mark.django_db,
]


@pytest.fixture
def as_runtime_role():
    import psycopg

    db = connection.settings_dict
    conn = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        dbname=db["NAME"],  # the test database, migrated by the owner role
        user=settings.DB_RUNTIME_ROLE,
        password=os.environ["DB_RUNTIME_PASSWORD"],
        autocommit=True,
    )
    conn.execute("SET lock_timeout = '5s'")
    yield conn
    conn.close()


def refused(conn, sql: str) -> str:
    """Run sql as the runtime role; it must be refused for lack of rights, not by a trigger."""
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refusal:
        conn.execute(sql)
    message = str(refusal.value)
    assert "append-only" not in message, f"{sql}: only the trigger stopped it"
    return message


def test_the_runtime_role_does_not_own_the_audit_table(as_runtime_role):
    owner = as_runtime_role.execute(
        "SELECT tableowner FROM pg_tables WHERE tablename = 'kor_auditevent'"
    ).fetchone()[0]
    assert owner != settings.DB_RUNTIME_ROLE
    assert owner == connection.settings_dict["USER"]


def test_the_runtime_role_reads_and_appends_to_the_audit_log(as_runtime_role):
    import psycopg

    with as_runtime_role.transaction():
        as_runtime_role.execute(
            "INSERT INTO kor_auditevent (at, action, object_type, object_id, path, detail) "
            "VALUES (now(), 'view', '', '', '/probe', '{}')"
        )
        assert as_runtime_role.execute("SELECT count(*) FROM kor_auditevent").fetchone()[0] >= 1
        raise psycopg.Rollback  # leave the test database as it was


def test_the_runtime_role_cannot_delete_update_truncate_or_disable_triggers(as_runtime_role):
    assert "permission denied" in refused(as_runtime_role, "DELETE FROM kor_auditevent")
    assert "permission denied" in refused(as_runtime_role, "UPDATE kor_auditevent SET path = ''")
    assert "permission denied" in refused(as_runtime_role, "TRUNCATE kor_auditevent")
    assert "owner" in refused(as_runtime_role, "ALTER TABLE kor_auditevent DISABLE TRIGGER ALL")
    assert "owner" in refused(as_runtime_role, "DROP TABLE kor_auditevent")


def test_the_runtime_role_works_on_the_other_tables(as_runtime_role):
    may = as_runtime_role.execute(
        "SELECT has_table_privilege(current_user, 'clients_client', 'INSERT'),"
        " has_table_privilege(current_user, 'therapy_sessions_formresponse', 'UPDATE'),"
        " has_table_privilege(current_user, 'django_session', 'DELETE')"
    ).fetchone()
    assert may == (True, True, True)
    as_runtime_role.execute("UPDATE clients_client SET case_code = case_code WHERE false")
    as_runtime_role.execute("DELETE FROM django_session WHERE false")
