"""The rows of an anonymised research export (issue 15): one row per form, nothing that names.

What a row holds: random ids (new for every export, the same within it: one client has one id in
all its rows), the team as a random id too, the age group of the episode, the year the episode
started, the instrument, the number of meetings in the episode, the rater's relation to the
client, the meeting number, days since the episode started, the four items and the total (cm),
the form's status and the reason code of a declined form (never the helper's own words), the
source, and the episode's end (closed or not, days from start to end, end reason).
No case code, name, birth year, date or free text leaves.

Then `kor.outcomes.anonymity.k_anonymise` over team, age group, year, instrument and number of
meetings, counted in clients: rare combinations are coarsened, the ones still rare suppressed.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from clients.models import Episode
from kor.outcomes.anonymity import DEFAULT_K, AnonymityResult, k_anonymise
from sessions.models import FormResponse

QUASI_IDENTIFIERS = ("team", "age_group", "year", "instrument", "meetings")

# The columns of the export, in order (the data dictionary describes each: files.py).
COLUMNS = (
    "client_id",
    "episode_id",
    "rater_id",
    "team",
    "age_group",
    "year",
    "meetings",
    "instrument",
    "rater_relation",
    "meeting_number",
    "days_since_start",
    "item1",
    "item2",
    "item3",
    "item4",
    "total",
    "status",
    "declined_reason_code",
    "source",
    "episode_closed",
    "episode_days",
    "end_reason",
    "coarsened",
)

_FIELDS = (
    "meeting__episode__client_id",
    "meeting__episode_id",
    "rater_id",
    "meeting__episode__client__team_id",
    "meeting__episode__age_group",
    "meeting__episode__started_on",
    "meeting__episode__meeting_count",
    "instrument",
    "rater__relation",
    "meeting__number",
    "meeting__date",
    "item1",
    "item2",
    "item3",
    "item4",
    "total",
    "status",
    "declined_reason_code",
    "source",
    "meeting__episode__ended_on",
    "meeting__episode__end_reason",
)


class RandomIds:
    """Random ids for one export: new ones every time, the same one for the same thing within
    it. The random draw (not a hash of the database id) means two exports cannot be linked."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._ids: dict[Any, str] = {}
        self._used: set[str] = set()

    def __call__(self, key: Any) -> str:
        if key not in self._ids:
            while (new := f"{self.prefix}{secrets.token_hex(4)}") in self._used:
                pass  # pragma: no cover - a collision in 2**32
            self._used.add(new)
            self._ids[key] = new
        return self._ids[key]

    def __len__(self) -> int:
        return len(self._ids)


@dataclass
class ResearchExport:
    """The anonymised rows, what k-anonymity did to them, and whose data was read."""

    records: list[dict[str, Any]]
    anonymity: AnonymityResult
    client_ids: set[int] = field(default_factory=set)  # database ids, for the audit trail only
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    read_records: int = 0

    @property
    def clients_in_file(self) -> int:
        return len({r["client_id"] for r in self.records})


def _cm(tenths: int | None) -> float | None:
    return None if tenths is None else tenths / 10


def _record(values: tuple, ids: dict[str, RandomIds]) -> dict[str, Any]:
    (
        client,
        episode,
        rater,
        team,
        age_group,
        started,
        meetings,
        instrument,
        relation,
        number,
        day,
        i1,
        i2,
        i3,
        i4,
        total,
        status,
        reason,
        source,
        ended,
        end_reason,
    ) = values
    return {
        "client_id": ids["client"](client),
        "episode_id": ids["episode"](episode),
        "rater_id": ids["rater"](rater),
        "team": ids["team"](team),
        "age_group": age_group,
        "year": started.year,
        "meetings": meetings,
        "instrument": instrument,
        "rater_relation": relation,
        "meeting_number": number,
        "days_since_start": (day - started).days,
        "item1": _cm(i1),
        "item2": _cm(i2),
        "item3": _cm(i3),
        "item4": _cm(i4),
        "total": _cm(total),
        "status": status,
        "declined_reason_code": reason or "",
        "source": source,
        "episode_closed": ended is not None,
        "episode_days": None if ended is None else (ended - started).days,
        "end_reason": end_reason or "",
    }


def research_export(
    episodes: QuerySet[Episode],
    period_start: datetime.date,
    period_end: datetime.date,
    *,
    k: int = DEFAULT_K,
) -> ResearchExport:
    """Every form of the meetings held in the period, of the episodes in `episodes` (already
    limited by the access helper to the teams the reader leads), anonymised and k-checked."""
    rows = (
        FormResponse.objects.filter(
            meeting__episode__in=episodes.values("pk"),
            meeting__date__gte=period_start,
            meeting__date__lte=period_end,
        )
        .order_by("meeting__episode__client_id", "meeting__episode_id", "meeting__number", "pk")
        .values_list(*_FIELDS)
    )
    ids = {name: RandomIds(f"{name[0]}-") for name in ("client", "episode", "rater", "team")}
    records, client_ids = [], set()
    for values in rows.iterator(chunk_size=2000):
        client_ids.add(values[0])
        records.append(_record(values, ids))
    result = k_anonymise(records, QUASI_IDENTIFIERS, subject="client_id", k=k)
    kept = []
    for record in result.records:
        coarsened = isinstance(record["year"], str) or isinstance(record["meetings"], str)
        kept.append(
            record
            | {"year": str(record["year"]), "meetings": str(record["meetings"])}
            | {"coarsened": coarsened}
        )
    return ResearchExport(
        records=kept,
        anonymity=result,
        client_ids=client_ids,
        period_start=period_start,
        period_end=period_end,
        read_records=len(records),
    )
