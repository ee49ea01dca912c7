"""The checks of one row that need no database: the words it uses, its scores, its dates.

A row that passes comes out as the values of its FormResponse (items and total in tenths, as the
app stores them), the same whatever the source.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from clients.models import AgeGroup, Episode, Rater
from kor.outcomes.instruments import instrument as instrument_info
from sessions.imports.problems import Problem
from sessions.imports.rows import ImportRow
from sessions.models import FormResponse, Instrument

INSTRUMENTS = set(Instrument.values)
RELATIONS = set(Rater.Relation.values)
STATUSES = set(FormResponse.Status.values)
AGE_GROUPS = set(AgeGroup.values)
END_REASONS = set(Episode.EndReason.values)

# When a new client's age group is not given, the form used says it.
AGE_GROUP_OF_FORM = {
    "CORS": AgeGroup.CHILD,
    "CSRS": AgeGroup.CHILD,
    "YCORS": AgeGroup.YOUNG_CHILD,
    "YCSRS": AgeGroup.YOUNG_CHILD,
}


def _fmt(value: float) -> str:
    return f"{value:g}"


def _vocabulary(row: ImportRow, line: int) -> list[Problem]:
    problems = []
    for value, known, code in (
        (row.instrument, INSTRUMENTS, "unknown_instrument"),
        (row.relation, RELATIONS, "unknown_relation"),
        (row.status, STATUSES, "unknown_status"),
    ):
        if value not in known:
            problems.append(Problem(line, code, {"value": value}))
    if row.age_group and row.age_group not in AGE_GROUPS:
        problems.append(Problem(line, "unknown_age_group", {"value": row.age_group}))
    if row.end_reason and row.end_reason not in END_REASONS:
        problems.append(Problem(line, "unknown_end_reason", {"value": row.end_reason}))
    return problems


def _dates(row: ImportRow, line: int, today: dt.date) -> list[Problem]:
    problems = []
    date, start, end = row.meeting_date, row.episode_start, row.episode_end
    if date > today:
        problems.append(Problem(line, "future_date", {"date": date.isoformat()}))
    if start and date < start:
        problems.append(
            Problem(line, "before_episode_start", {"date": date.isoformat(), "start": start})
        )
    if start and end and end < start:
        problems.append(
            Problem(line, "end_before_start", {"end": end.isoformat(), "start": start.isoformat()})
        )
    elif end and date > end:
        problems.append(
            Problem(line, "after_episode_end", {"date": date.isoformat(), "end": end.isoformat()})
        )
    return [_iso(p) for p in problems]


def _iso(problem: Problem) -> Problem:
    params = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in problem.params.items()}
    return Problem(problem.line, problem.code, params)


def _scores(row: ImportRow, line: int) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The stored values of a completed form: items and total in tenths."""
    info = instrument_info(row.instrument)
    low, high = info.min, info.max
    expected = len(info.items)
    items = [v for v in row.items]
    given = [v for v in items if v is not None]
    if not given and row.total is None:
        return None, [Problem(line, "no_scores")]
    problems = []
    if given and (len(given) != expected or len(items) != expected):
        problems.append(
            Problem(
                line,
                "item_count",
                {"instrument": row.instrument, "expected": expected, "given": len(given)},
            )
        )
    for k, value in enumerate(given, 1):
        if not low <= value <= high:
            params = {"item": k, "value": _fmt(value), "low": _fmt(low), "high": _fmt(high)}
            problems.append(Problem(line, "item_out_of_range", params))
    total_high = high * expected
    total_low = low * expected
    if row.total is not None and not total_low <= row.total <= total_high:
        params = {"value": _fmt(row.total), "low": _fmt(total_low), "high": _fmt(total_high)}
        problems.append(Problem(line, "total_out_of_range", params))
    if problems:
        return None, problems
    tenths = [round(v * 10) for v in given]
    if tenths and row.total is not None and round(row.total * 10) != sum(tenths):
        params = {"total": _fmt(row.total), "sum": _fmt(sum(tenths) / 10)}
        return None, [Problem(line, "total_not_sum", params)]
    values: dict[str, Any] = {f"item{k}": None for k in range(1, 5)}
    for k, value in enumerate(tenths, 1):
        values[f"item{k}"] = value
    values["total"] = sum(tenths) if tenths else round(row.total * 10)
    return values, []


def check_row(row: ImportRow, today: dt.date) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The FormResponse values of the row (status, items, total, reason), or its problems."""
    line = row.line
    problems = _vocabulary(row, line) + _dates(row, line, today)
    if row.instrument not in INSTRUMENTS or row.status not in STATUSES:
        return None, problems
    if row.status != FormResponse.Status.COMPLETED:
        values: dict[str, Any] = {f"item{k}": None for k in range(1, 5)}
        values |= {"total": None, "declined_reason": row.declined_reason[:300]}
    else:
        values, score_problems = _scores(row, line)
        problems += score_problems
        if values is not None:
            values["declined_reason"] = ""
    if problems or values is None:
        return None, problems
    values["status"] = row.status
    return values, []


def age_group_of(row: ImportRow) -> str:
    return row.age_group or AGE_GROUP_OF_FORM.get(row.instrument, AgeGroup.ADULT)


def form_key(row: ImportRow) -> tuple:
    """What makes two rows the same form: client, meeting day, rater, form."""
    return (
        row.case_code,
        row.meeting_date,
        row.relation,
        row.rater_label.strip().lower(),
        row.instrument,
    )
