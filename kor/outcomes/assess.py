"""`assess`: the status, flags and milestones of one rater's series, with reasons.

The project's own rule (KOR-REFERENCE.md, "Status and flags"): the first rule that holds decides the
status; flags are independent of it. Scores are compared in integer tenths, so a change of exactly
6.0 is a reliable change however the floats were written.

Young children (5 and under, YCORS/YCSRS coded 1-4) never get trajectories: their series is
validated and recorded, the status stays "intake" (not evaluated), and there are no flags or
milestones. That is the project's decision: a green or red light there would claim what no
validated model supports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise, repeat
from operator import truediv
from typing import Any, NamedTuple

from . import texts
from .config import DEFAULT_SETTINGS, OutcomeSettings
from .instruments import (
    AGE_GROUPS,
    YOUNG_CHILD,
    ScoreError,
    alliance_instrument,
    check_age_group,
    outcome_instrument,
    parse_score,
)
from .model import PUBLISHED_MODEL, EtrModel
from .texts import Reason

INTAKE = "intake"
HIGH_INTAKE = "high_intake"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
DETERIORATED = "deteriorated"
STATUSES = (INTAKE, HIGH_INTAKE, ON_TRACK, AT_RISK, OFF_TRACK, DETERIORATED)

ALLIANCE_ALERT = "alliance_alert"
ERRATIC = "erratic"
FLAGS = (ALLIANCE_ALERT, ERRATIC)
OFF_TRACK_FROM = 3  # ratings: "off track" is judged from the third rating on


@dataclass(frozen=True, slots=True)
class Assessment:
    status: str
    flags: frozenset[str]
    meetings: int  # number of ratings in the series (n)
    intake: float
    latest: float
    expected: float | None  # ETR at the latest meeting; None where no model applies
    target: float | None
    percent_of_expected: float | None  # 0-100
    reliable_change: bool
    clinically_significant: bool
    deteriorated: bool
    target_reached: bool
    reasons: list[Reason]
    age_group: str
    settings: OutcomeSettings = field(repr=False)
    model_name: str | None

    def reasons_in(self, lang: str = "en") -> list[str]:
        return [reason.text(lang) for reason in self.reasons]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, so the web app can cache it on the episode with what produced it."""
        return {
            "status": self.status,
            "flags": sorted(self.flags),
            "meetings": self.meetings,
            "intake": self.intake,
            "latest": self.latest,
            "expected": self.expected,
            "target": self.target,
            "percent_of_expected": self.percent_of_expected,
            "milestones": {
                "reliable_change": self.reliable_change,
                "clinically_significant": self.clinically_significant,
                "deteriorated": self.deteriorated,
                "target_reached": self.target_reached,
            },
            "reasons": [reason.to_dict() for reason in self.reasons],
            "age_group": self.age_group,
            "settings": self.settings.to_dict(),
            "model": self.model_name,
        }


def _series(
    values: Sequence[object], name: str, low: float, high: float, decimals: int
) -> list[int]:
    """A series of totals as tenths.

    The fast path handles plain numbers in one sweep; anything it does not accept goes through
    `parse_score` one by one, which raises a ScoreError that says what is wrong.
    """
    if isinstance(values, (str, bytes)):
        raise ScoreError(
            name,
            "not_a_number",
            f"{name}: ventet en liste med tall.",
            f"{name}: expected a list of numbers.",
        )
    values = list(values)
    if not _FAST_TYPES.issuperset(map(type, values)):
        return _slow_series(values, name, low, high, decimals)
    try:
        # int(t + 0.5) equals round(t) for every score that passes the checks below, and is cheaper
        out = [int(x * 10.0 + 0.5) for x in values]  # type: ignore[operator]
    except (ValueError, OverflowError):  # NaN, infinity
        return _slow_series(values, name, low, high, decimals)
    # t / 10 is exactly the float a one-decimal score is stored as, so one list comparison checks
    # every decimal; near misses (float noise) take the slow path, which tolerates them.
    if out and (
        min(out) < low * 10
        or max(out) > high * 10
        or list(map(truediv, out, _TENS)) != values
        or (decimals == 0 and any(t % 10 for t in out))
    ):
        return _slow_series(values, name, low, high, decimals)
    return out


_FAST_TYPES = frozenset((float, int))
_TENS = repeat(10)


def _slow_series(
    values: list[object], name: str, low: float, high: float, decimals: int
) -> list[int]:
    return [parse_score(x, f"{name} {k}", low, high, decimals) for k, x in enumerate(values, 1)]


def assess(
    ors: Sequence[float],
    srs: Sequence[float] = (),
    age_group: str = "adult",
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
    *,
    meetings: Sequence[int] | None = None,
) -> Assessment:
    """Assess one rater's outcome totals (ORS/CORS, oldest first) and alliance totals (SRS/CSRS).

    `meetings` are the meeting numbers the user sees for the outcome totals (one each, in the
    same order). The model counts ratings, but a declined form or a meeting without this rater
    leaves a gap, so the reasons name the meeting where the rating was given; without them the
    k-th rating is taken to be meeting k.

    Raises ScoreError for a missing, non-numeric or out-of-range total, or an empty series.
    """
    s = settings or DEFAULT_SETTINGS
    m = model or PUBLISHED_MODEL
    if age_group not in _FORMS:
        check_age_group(age_group)  # raises, naming the known groups
    form, alliance_form = _FORMS[age_group]
    young = age_group == YOUNG_CHILD
    high, decimals = (4.0, 0) if young else (40.0, 1)
    low = 1.0 if young else 0.0
    scores = _series(ors, form, low, high, decimals)
    alliance = _series(srs, alliance_form, low, high, decimals)
    n = len(scores)
    if n == 0:
        raise ScoreError(
            form,
            "missing",
            f"{form}: ingen skår å vurdere.",
            f"{form}: there are no scores to assess.",
        )
    if meetings is not None and len(meetings) != n:
        raise ValueError(f"{len(meetings)} meeting numbers for {n} {form} totals")
    latest_meeting = meetings[-1] if meetings is not None else n
    s1t, snt = scores[0], scores[-1]
    s1, sn = s1t / 10, snt / 10
    if young:
        return Assessment(
            INTAKE, frozenset(), n, s1, sn, None, None, None, False, False, False, False,
            [texts.young_child()], age_group, s, None,
        )  # fmt: skip

    t = _tenths(s)
    reliable = n >= 2 and snt - s1t >= t.rci
    worse = n >= 2 and s1t - snt >= t.rci
    cutoff_t = t.cutoffs[age_group]  # young children, who have none, returned above
    significant = reliable and s1t <= cutoff_t < snt
    expected: float | None = None
    goal: float | None = None
    pct: float | None = None
    if s1t <= t.high_intake_above:
        c = m.coefficients(age_group, n, s)
        expected = c.etr(s1, n)
        goal = c.target(s1)
        if n >= 2 and expected - s1 > 0:
            pct = min(100.0, max(0.0, (sn - s1) / (expected - s1) * 100.0))
    reached = n >= 2 and goal is not None and sn >= goal

    status, reasons = _status(form, s1, sn, n, latest_meeting, expected, pct, reliable, worse, s)
    flags = _flags(form, alliance_form, scores, alliance, t, s, reasons)
    if reliable:
        reasons.append(texts.reliable_change(form, s1, sn, s.rci))
    if significant:
        reasons.append(texts.clinically_significant(form, s1, sn, cutoff_t / 10))
    if reached and goal is not None:
        reasons.append(texts.target_reached(form, sn, goal))
    if pct is not None and expected is not None and status != OFF_TRACK:
        reasons.append(texts.percent_of_expected(pct, s1, expected, latest_meeting))
    return Assessment(
        status, flags, n, s1, sn, expected, goal, pct, reliable, significant, worse, reached,
        reasons, age_group, s, m.name,
    )  # fmt: skip


def _status(
    form: str,
    s1: float,
    sn: float,
    n: int,
    meeting: int,
    expected: float | None,
    pct: float | None,
    reliable: bool,
    worse: bool,
    s: OutcomeSettings,
) -> tuple[str, list[Reason]]:
    """The status rule of KOR-REFERENCE, in its order: intake, deterioration, high intake, then
    the comparison with the expected change. `expected` is None for an intake above 32."""
    if n == 1:
        reasons = [texts.intake(form, s1)]
        if expected is None:
            reasons.append(texts.high_intake(form, s1, s.high_intake_above))
        return INTAKE, reasons
    if worse:
        return DETERIORATED, [texts.deteriorated(form, s1, sn, s.rci)]
    if expected is None:
        return HIGH_INTAKE, [texts.high_intake(form, s1, s.high_intake_above)]
    status, reason = _against_expected(form, s1, sn, n, meeting, expected, pct, reliable, s)
    return status, [reason]


def _flags(
    form: str,
    alliance_form: str,
    scores: list[int],
    alliance: list[int],
    t: _Tenths,
    s: OutcomeSettings,
    reasons: list[Reason],
) -> frozenset[str]:
    """The alliance alert (low or dropped SRS) and erratic scores; each adds its reason."""
    flags: set[str] = set()
    if alliance:
        latest = alliance[-1]
        if latest < t.srs_cutoff:
            flags.add(ALLIANCE_ALERT)
            reasons.append(texts.alliance_low(alliance_form, latest / 10, s.srs_cutoff))
        if len(alliance) >= 2 and alliance[-2] - latest >= t.srs_drop:
            flags.add(ALLIANCE_ALERT)
            reasons.append(texts.alliance_drop(alliance_form, alliance[-2] / 10, latest / 10))
    swings = erratic_count(scores, t.erratic_jump)
    if swings >= s.erratic_count:
        flags.add(ERRATIC)
        reasons.append(texts.erratic(form, swings, n=len(scores), jump=s.erratic_jump))
    return frozenset(flags)


class _Tenths(NamedTuple):
    """The settings' thresholds in tenths, so comparisons with scores are exact."""

    rci: int
    high_intake_above: int
    srs_cutoff: int
    srs_drop: int
    erratic_jump: int
    cutoffs: dict[str, int]


_TENTHS_CACHE: dict[int, tuple[OutcomeSettings, _Tenths]] = {}
_FORMS = {g: (outcome_instrument(g), alliance_instrument(g)) for g in AGE_GROUPS}


def _tenths(s: OutcomeSettings) -> _Tenths:
    # Settings are frozen, so their thresholds are worked out once per settings object; the entry
    # keeps the object alive, so its id cannot be reused by another one.
    hit = _TENTHS_CACHE.get(id(s))
    if hit is not None and hit[0] is s:
        return hit[1]
    if len(_TENTHS_CACHE) > 256:
        _TENTHS_CACHE.clear()
    cutoffs = {g: round(c * 10) for g in AGE_GROUPS if (c := s.cutoff(g)) is not None}
    t = _Tenths(
        round(s.rci * 10),
        round(s.high_intake_above * 10),
        round(s.srs_cutoff * 10),
        round(s.srs_drop * 10),
        round(s.erratic_jump * 10),
        cutoffs,
    )
    _TENTHS_CACHE[id(s)] = (s, t)
    return t


def _against_expected(
    form: str,
    s1: float,
    sn: float,
    n: int,
    meeting: int,
    expected: float,
    pct: float | None,
    reliable: bool,
    s: OutcomeSettings,
) -> tuple[str, Reason]:
    """The status where the model applies: off track, at risk or on track. `n` counts the
    ratings (the rule's n); `meeting` is where the latest was given (what the texts name)."""
    # pct is None where no gain is expected (ETR(n) <= s1): off track does not apply there
    if n >= OFF_TRACK_FROM and pct is not None and pct < s.off_track_percent:
        return OFF_TRACK, texts.off_track(form, s1, sn, expected, meeting, pct, s.off_track_percent)
    if sn < expected:
        return AT_RISK, texts.below_expected(form, sn, expected, meeting)
    if n >= s.at_risk_no_change_after and not reliable:
        return AT_RISK, texts.no_reliable_change(form, s1, sn, n, s.rci)
    return ON_TRACK, texts.on_track(form, sn, expected, meeting)


def erratic_count(scores: Sequence[int | float], jump: float) -> int:
    """BON "sawtooth": count moves of at least `jump` whose direction differs from the last
    counted move (the first such move counts)."""
    count = 0
    last = 0
    for a, b in pairwise(scores):
        move = b - a
        if move >= jump or -move >= jump:
            direction = 1 if move > 0 else -1
            if direction != last:
                count += 1
                last = direction
    return count
