"""Multi-row INSERT and batched UPDATE for the large writes of an import (and the status cache
of many episodes), where bulk_create and bulk_update cost most of the time.

`bulk_update` writes one CASE WHEN per field over the whole batch, which the database evaluates
for every row (quadratic in the batch: measured 20 s for 2,000 episodes on SQLite); one
prepared UPDATE run for many parameter rows (executemany) is linear. `insert_rows` skips
building a model instance per row, as kor.demo's seeder does. Values go through each field's
own conversion (`get_db_prep_save`), so JSON, decimals and dates are stored as the ORM would.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

BATCH = 500
# Values of these fields need the backend's conversion; ints and text go to the driver as they
# are (converting them too through the connection proxy took a third of the import's time).
CONVERTED = (models.DateField, models.JSONField, models.DecimalField, models.UUIDField)


def _identity(value):
    return value


def _converter(field, connection):
    """The field's conversion, remembered for dates and times (one `now` for every row, a few
    hundred meeting dates): converting each value anew cost more than the insert."""
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    seen: dict = {}

    def convert(value):
        if value not in seen:
            seen[value] = field.get_db_prep_save(value, connection)
        return seen[value]

    return convert


def _prep(model: type[models.Model], columns: Sequence[str]):
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [model._meta.get_field(name) for name in columns]
    converters = [
        _converter(f, connection) if isinstance(f, CONVERTED) else _identity for f in fields
    ]
    return connection, converters, [f.column for f in fields]


def _rest(model: type[models.Model], columns: Sequence[str]):
    """The model's other columns and how each gets its value, as the ORM would give it:
    auto_now(_add) the time of the insert, a default (called per row when it is a callable),
    else NULL. So a field added to the model later needs no change here."""
    now = timezone.now()
    rest = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in columns or field.attname in columns:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            rest.append((field, lambda now=now: now))
        elif field.has_default() and callable(field.default):
            rest.append((field, field.get_default))
        else:
            value = field.get_default()
            rest.append((field, lambda value=value: value))
    return rest


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT the rows (values in the order of `columns`, field names) in multi-row batches;
    the model's other fields get their defaults."""
    rest = _rest(model, columns)
    connection, converters, names = _prep(model, [*columns, *(f.name for f, _ in rest)])
    makers = [make for _, make in rest]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    placeholder = f"({', '.join(['%s'] * len(names))})"
    head = f"INSERT INTO {table} ({', '.join(quote(n) for n in names)}) VALUES "  # noqa: S608
    rows = list(rows)

    def values(row):
        full = (*row, *(make() for make in makers))
        return [convert(value) for convert, value in zip(converters, full, strict=True)]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: psycopg parses a long multi-row INSERT anew each time (10 s for 100,000
            # rows) and executemany still pays a round of the protocol per row.
            columns_sql = ", ".join(quote(n) for n in names)
            with cursor.cursor.copy(f"COPY {table} ({columns_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
            return len(rows)
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            params = [value for row in chunk for value in values(row)]
            cursor.execute(head + ", ".join([placeholder] * len(chunk)), params)
    return len(rows)


def update_objects(objects: Sequence[models.Model], columns: Sequence[str]) -> int:
    """UPDATE each object's `columns` (field names) by primary key, one prepared statement."""
    if not objects:
        return 0
    model = type(objects[0])
    connection, converters, names = _prep(model, columns)
    attnames = [model._meta.get_field(name).attname for name in columns]
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(n)} = %s" for n in names)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
    )
    params = [
        [convert(getattr(obj, a)) for convert, a in zip(converters, attnames, strict=True)]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            cursor.executemany(sql, params[start : start + BATCH])
    return len(params)
