"""The read model's part on "off track": where it begins along a rater's expected line, and what
the next rating needs while a rater is off track (both worked out by kor.outcomes.track).

Plain values in and out (meeting numbers, totals), so sessions/outcome.py can use it without the
two modules importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kor.outcomes import EtrModel, NextRating, OutcomeSettings, next_rating, off_track_threshold
from kor.outcomes.assess import OFF_TRACK, OFF_TRACK_FROM


def threshold_values(
    intake: float,
    ratings: int,
    line_meetings: Sequence[int],
    age_group: str,
    settings: OutcomeSettings,
    model: EtrModel,
) -> list[tuple[int, float]]:
    """(meeting, threshold) at each point of the expected line from the third rating on (where
    the off-track rule applies): intake + 50 % of the expected change. From the model's own
    values (not the line's rounded ones), with the set the line uses (that of `ratings`)."""
    coefficients = model.coefficients(age_group, ratings, settings)
    return [
        (meeting, round(off_track_threshold(intake, coefficients.etr(intake, k), settings), 2))
        for k, meeting in enumerate(line_meetings, 1)
        if k >= OFF_TRACK_FROM
    ]


def next_meeting(outcome_meetings: Sequence[int], last_meeting: int) -> int:
    """Where the rater's next outcome rating would be given: the latest meeting if the rater
    has no outcome form in it yet (the page that is open now), else the one after."""
    done = last_meeting in outcome_meetings
    return last_meeting + 1 if done or last_meeting == 0 else last_meeting


def advice(
    status: str,
    ors: Sequence[float],
    outcome_meetings: Sequence[int],
    last_meeting: int,
    age_group: str,
    settings: OutcomeSettings,
    model: EtrModel,
) -> NextRating | None:
    """What the next rating needs, for a rater off track now (None otherwise)."""
    if status != OFF_TRACK:
        return None
    where = next_meeting(outcome_meetings, last_meeting)
    return next_rating(ors, age_group, settings, model, meeting=where)


def add_off_track(
    result: Any,
    point: Callable[[int, float], Any],
    age_group: str,
    last_meeting: int,
    settings: OutcomeSettings,
    model: EtrModel,
    *,
    is_open: bool,
) -> None:
    """Give an assessed `RaterOutcome` its threshold line (made with `point`), and while it is
    off track in an open episode, the next rating's figures, said in words after its reasons
    (on screen and in the PDF; not cached: advice for the next meeting, not the assessment)."""
    ors = [p.value for p in result.ors]
    if result.expected:
        line = [p.meeting for p in result.expected]
        values = threshold_values(ors[0], len(ors), line, age_group, settings, model)
        result.threshold = [point(meeting, value) for meeting, value in values]
    if is_open and result.assessment is not None:
        where = [r.meeting for r in result.outcome]
        result.next_step = advice(
            result.status, ors, where, last_meeting, age_group, settings, model
        )
        if result.next_step:
            result.reasons.append(result.next_step.reason)
