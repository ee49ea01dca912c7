"""Write the audit trail: every read and write of client data leaves one row."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connections, models, router, transaction
from django.http import HttpRequest

from kor.models import AuditEvent


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, for the audit log and the login lockout.

    X-Forwarded-For is written by whoever sends the request, so only the entries our own proxies
    appended count: with PROXY_HOPS = n, the n-th from the right (what the outermost trusted proxy
    saw). Without proxies (the default) REMOTE_ADDR alone.
    """
    hops = getattr(settings, "PROXY_HOPS", 0)
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    user: Any = None,
    request: HttpRequest | None = None,
    client_id: int | None = None,
    organisation_id: int | None = None,
    path: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Record that `user` did `action` to `obj` (and so to client `client_id`): the one place
    an audit row is written.

    With a request, the row also says where it came from (address, path); without one (a
    management command, a background job) it has neither, or the `path` given. The
    organisation is the user's unless given (a failed login, a command run by nobody).
    """
    return AuditEvent.objects.create(
        **_row(action, user, request, organisation_id, path, detail),
        **_target(obj, client_id),
    )


def record_many(
    action: str,
    objects: Iterable[models.Model],
    *,
    user: Any = None,
    request: HttpRequest | None = None,
    organisation_id: int | None = None,
    path: str | None = None,
    **detail: Any,
) -> int:
    """One row per object shown at once (a caseload, a dashboard, a report), in one insert."""
    row = _row(action, user, request, organisation_id, path, detail)
    targets = [_target(obj, None) for obj in objects]
    if targets:
        _insert_many(row, targets)
    return len(targets)


MANY = 500  # rows per multi-row INSERT where there is no COPY (SQLite)


def _insert_many(row: dict[str, Any], targets: list[dict[str, Any]]) -> None:
    """The rows of one act (a dashboard page's 50 episodes, a fit of norms' 50,000): they share
    every column but the target, so Django prepares those values once, from one unsaved row,
    and the rows go in by COPY, or multi-row INSERTs (bulk_create would prepare every value of
    every row: ~3x slower for a page of 50 rows, ~10x for thousands)."""
    shared = AuditEvent(**row)
    db = router.db_for_write(AuditEvent)
    connection = connections[db]
    own = ("object_type", "object_id", "client_id")
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    values = {
        f.attname: f.get_db_prep_save(f.pre_save(shared, True), connection)
        for f in fields
        if f.attname not in own
    }
    columns = [*values, *own]
    quote = connection.ops.quote_name
    one = f"({', '.join(['%s'] * len(columns))})"
    head = f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({', '.join(map(quote, columns))})"
    common = list(values.values())
    with transaction.atomic(using=db, savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: no statement of 5,000 parameters to parse
            table = quote(AuditEvent._meta.db_table)
            with cursor.copy(f"COPY {table} ({', '.join(map(quote, columns))}) FROM STDIN") as copy:
                for t in targets:
                    copy.write_row((*common, *(t[c] for c in own)))
            return
        for start in range(0, len(targets), MANY):
            chunk = targets[start : start + MANY]
            params = [v for t in chunk for v in (*common, *(t[c] for c in own))]
            cursor.execute(f"{head} VALUES {', '.join([one] * len(chunk))}", params)


def _row(action, user, request, organisation_id, path, detail) -> dict[str, Any]:
    """What every row of one act shares: who, which organisation, where from, the detail."""
    if user is not None and not user.is_authenticated:
        user = None  # an anonymous visitor is no one in the trail
    if organisation_id is None:
        organisation_id = getattr(user, "organisation_id", None)
    if path is None:
        path = request.get_full_path() if request is not None else ""
    return {
        "user": user,
        "organisation_id": organisation_id,
        "action": action,
        "ip": client_address(request) if request is not None else None,
        "path": path[:300],
        "detail": detail,
    }


def _target(obj: models.Model | None, client_id: int | None) -> dict[str, Any]:
    if client_id is None and obj is not None:
        client_id = _client_id_of(obj)
    return {
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "client_id": client_id,
    }


def audit(
    request: HttpRequest,
    action: str,
    obj: models.Model | None = None,
    *,
    client_id: int | None = None,
    organisation_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Record that the request's user did `action` to `obj` (`record` for a view).

    The row belongs to the user's organisation, or to `organisation_id` when the actor has none
    (a superuser changing an organisation's people in the Django admin: its leaders must see it).
    """
    own = getattr(request.user, "organisation_id", None)
    return record(
        action,
        obj,
        user=request.user,
        request=request,
        client_id=client_id,
        organisation_id=own or organisation_id,
        **detail,
    )


def _client_id_of(obj: models.Model) -> int | None:
    # Said by label, not by import: the core knows no app (tests/architecture).
    if obj._meta.label_lower == "clients.client":
        return obj.pk
    for path in ("client_id", "episode.client_id", "meeting.episode.client_id"):
        value: Any = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


def audit_many(
    request: HttpRequest,
    action: str,
    objects: Iterable[models.Model],
    **detail: Any,
) -> int:
    """One row per object shown at once, for a view (`record_many`)."""
    return record_many(action, objects, user=request.user, request=request, **detail)
