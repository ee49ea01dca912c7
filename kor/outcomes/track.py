"""Where "off track" begins, and what the next rating would need to be to get back on track.

The status rule (assess.py) calls a rater off track from the third rating on when the change
reached is below `off_track_percent` (50 %) of the expected change: (sn - s1) / (ETR(n) - s1).
Turned around, the lowest total that is not off track at rating n is the threshold

    s1 + off_track_percent / 100 * (ETR(n) - s1)

which the chart draws as the lower edge of a band under the expected line, so a helper can
point to it with the client. Where no change is expected (ETR(n) <= s1) the rule does not apply
and the band closes: the threshold is the expected value itself.

`next_rating` says, for a rater off track now, what the next rating has to reach: at least the
threshold to leave "off track", at least the expected value (and a reliable change from the
fourth rating on) to be on track. Both are whole tenths, checked against the rule itself, so
the figure shown is exactly the one that changes the status.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .assess import OFF_TRACK_FROM
from .config import DEFAULT_SETTINGS, OutcomeSettings
from .instruments import YOUNG_CHILD, outcome_instrument
from .model import PUBLISHED_MODEL, EtrModel, is_high_intake
from .texts import Reason, back_on_track


def off_track_threshold(
    intake: float, expected: float, settings: OutcomeSettings | None = None
) -> float:
    """The lowest total at which a rating with this expected value is not off track."""
    s = settings or DEFAULT_SETTINGS
    if expected <= intake:
        return expected
    return intake + s.off_track_percent / 100.0 * (expected - intake)


def is_off_track(
    intake: float, total: float, expected: float, settings: OutcomeSettings | None = None
) -> bool:
    """The percent-of-expected-change test of the status rule, in assess's own arithmetic
    (from the third rating on; it says nothing about earlier ratings)."""
    s = settings or DEFAULT_SETTINGS
    if expected - intake <= 0:
        return False
    pct = min(100.0, max(0.0, (total - intake) / (expected - intake) * 100.0))
    return pct < s.off_track_percent


@dataclass(frozen=True, slots=True)
class NextRating:
    rating: int  # the rater's next rating (n + 1)
    meeting: int  # the meeting where it would be given (what the page calls it)
    expected: float  # ETR at that rating
    leaves_off_track: float  # lowest total (one decimal) that is not off track
    on_track: float  # lowest total (one decimal) that is on track
    reason: Reason


def next_rating(
    ors: Sequence[float],
    age_group: str = "adult",
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
    *,
    meeting: int | None = None,
) -> NextRating | None:
    """What the next outcome rating needs for the status to change, or None where the model
    does not apply (young children, intake above the high-intake line, no change expected).

    `ors` are the rater's totals so far (oldest first); `meeting` the number of the meeting
    where the next rating would be given (default: the count of ratings plus one).
    """
    s = settings or DEFAULT_SETTINGS
    m = model or PUBLISHED_MODEL
    if not ors or age_group == YOUNG_CHILD or is_high_intake(ors[0], s):
        return None
    rating = len(ors) + 1
    intake = float(ors[0])
    expected = m.coefficients(age_group, rating, s).etr(intake, rating)
    if expected <= intake or rating < OFF_TRACK_FROM:
        return None
    low = _lowest_tenth(lambda t: not is_off_track(intake, t / 10, expected, s), intake)
    on_from = _lowest_tenth(lambda t: t / 10 >= expected, intake)
    if rating >= s.at_risk_no_change_after:
        on_from = max(on_from, round(intake * 10) + round(s.rci * 10))
    on_from = max(on_from, low)
    form = outcome_instrument(age_group)
    where = meeting if meeting is not None else rating
    reason = back_on_track(
        form, where, low / 10, intake, expected, on_from / 10, s.off_track_percent
    )
    return NextRating(rating, where, expected, low / 10, on_from / 10, reason)


def _lowest_tenth(holds: Callable[[int], bool], intake: float) -> int:
    """The lowest whole tenth from the intake up for which `holds` is true (it is monotone in
    the total). Stepping through the tenths with the rule itself, rather than rounding the
    arithmetic threshold, keeps float noise from making the figure a tenth off; it is at most
    400 steps, once per rater on a page."""
    t = round(intake * 10)
    while t < 400 and not holds(t):
        t += 1
    return t
