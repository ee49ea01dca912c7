"""The search parameters the API understands: `patient`, `_lastUpdated`, `_count`, `page`."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

PREFIXES = ("gt", "ge", "lt", "le", "eq")
DEFAULT_COUNT = 50
MAX_COUNT = 200


class SearchError(ValueError):
    pass


def patient_id(value: str) -> int:
    """`123` or `Patient/123`."""
    raw = value.removeprefix("Patient/")
    if not raw.isdigit() or len(raw) > 18:
        raise SearchError(f"patient: {value!r} is not a Patient id")
    return int(raw)


def count(value: str | None) -> int:
    if not value:
        return DEFAULT_COUNT
    if not value.isdigit() or not 1 <= int(value) <= MAX_COUNT:
        raise SearchError(f"_count: a whole number from 1 to {MAX_COUNT}")
    return int(value)


def _instant(text: str) -> tuple[datetime.datetime, datetime.datetime]:
    """The span a FHIR date or dateTime covers: a day for a date, an instant for a time."""
    try:
        # A date alone first: Python's ISO parser would read "2026-02-01" as midnight.
        day = parse_date(text) if len(text) == 10 else None
        moment = None if day else parse_datetime(text)
    except ValueError:
        moment = day = None
    if moment is not None:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment, moment
    if day is not None:
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        return start, start + datetime.timedelta(days=1)
    raise SearchError(f"_lastUpdated: {text!r} is not a FHIR date or dateTime")


def last_updated(values: list[str], field: str = "updated_at") -> Q:
    """`_lastUpdated=gt2026-01-01T00:00:00Z` (repeatable: `ge...&_lastUpdated=lt...`)."""
    condition = Q()
    for value in values:
        prefix, text = (value[:2], value[2:]) if value[:2] in PREFIXES else ("eq", value)
        start, end = _instant(text)
        point = start == end
        condition &= {
            "gt": Q(**{f"{field}__gt" if point else f"{field}__gte": end}),
            "ge": Q(**{f"{field}__gte": start}),
            "lt": Q(**{f"{field}__lt": start}),
            "le": Q(**{f"{field}__lte" if point else f"{field}__lt": end}),
            "eq": Q(**{field: start})
            if point
            else Q(**{f"{field}__gte": start, f"{field}__lt": end}),
        }[prefix]
    return condition
