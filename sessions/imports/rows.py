"""One row of an import: one form (filled or declined) by one rater in one meeting.

Every way data comes in (a CSV or Excel sheet, a FHIR bundle) is turned into these rows first,
and one service (`sessions.imports.service`) checks and stores them, so that the rules on dates,
duplicates and conflicts hold the same for every source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int  # where the row stands in its source (a sheet's row number), for the problem list
    case_code: str
    meeting_date: dt.date
    instrument: str  # an Instrument value: ORS, SRS, CORS, CSRS, YCORS, YCSRS, GSRS
    relation: str = "client"  # a Rater.Relation value
    rater_label: str = ""  # e.g. "stepfather", when the relation is "other"
    items: tuple[float | None, ...] = ()  # 0–10 each, as on the paper form; empty: total only
    total: float | None = None  # 0–40; used when the items are not given
    status: str = "completed"  # or "declined" / "not_offered" (a FormResponse.Status value)
    declined_reason: str = ""
    helper: str = ""  # username or e-mail of the responsible helper
    team: str = ""  # team name
    age_group: str = ""  # an AgeGroup value
    episode_start: dt.date | None = None
    episode_end: dt.date | None = None
    end_reason: str = ""  # an Episode.EndReason value
