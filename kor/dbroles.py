"""The app's runtime database role does not own the audit table (PostgreSQL).

Migrations run as the owner role; the app runs as a runtime role (DB_RUNTIME_ROLE) with ordinary
rights on the app's tables and only SELECT and INSERT on `kor_auditevent`. The append-only triggers
(kor/migrations/0002) refuse UPDATE, DELETE and TRUNCATE for everyone, but the table's owner could
`ALTER TABLE kor_auditevent DISABLE TRIGGER ALL` and then delete rows: only the owner may alter a
table, so a runtime role that is not the owner cannot, whatever bug or intruder drives it.

The grants are given after every `migrate` (post_migrate), so tables added by later migrations
are covered without a separate step.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections

AUDIT_TABLE = "kor_auditevent"


def runtime_role() -> str:
    return getattr(settings, "DB_RUNTIME_ROLE", "") or ""


def grant_runtime_role(using: str = "default", role: str | None = None) -> bool:
    """Give the runtime role what the app needs, and no more on the audit table.

    Returns False (and does nothing) off PostgreSQL, without a runtime role, or when the role is
    the one migrating (it owns everything then; nothing to separate).
    """
    role = role if role is not None else runtime_role()
    connection = connections[using]
    if not role or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database()")
        owner, database = cursor.fetchone()
        if owner == role:
            return False
        quote = connection.ops.quote_name
        for statement in (
            f"GRANT CONNECT ON DATABASE {quote(database)} TO {quote(role)}",
            f"GRANT USAGE ON SCHEMA public TO {quote(role)}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quote(role)}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quote(role)}",
            # The audit table: read and append only. TRUNCATE, REFERENCES and TRIGGER were never
            # granted; revoking them too makes the intent explicit if someone granted ALL.
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(AUDIT_TABLE)} "
            f"FROM {quote(role)}",
        ):
            cursor.execute(statement)
    return True


def grant_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver (connected once, for the kor app, in KorConfig.ready)."""
    grant_runtime_role(using)
