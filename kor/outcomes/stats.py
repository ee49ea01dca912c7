"""`summarize`: the outcome statistics of a team or service over closed episodes.

A rater counts when they have at least two ratings and an intake of 32 or less (KOR-REFERENCE.md);
young children are never counted (no validated model). The work is vectorised with NumPy: the
only Python loop reads first and last scores out of the records.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, NamedTuple

import numpy as np

from .config import DEFAULT_SETTINGS, OutcomeSettings
from .instruments import ADOLESCENT, ADULT, AGE_GROUPS, CHILD, YOUNG_CHILD, ScoreError
from .model import COEFFICIENT_NAMES, PUBLISHED_MODEL, EtrModel

END_REASONS = ("mutual", "goal_reached", "dropout", "referred")

# Why a rater was left out, checked in this order; the labels are for reports.
ONE_RATING = "one_rating"
HIGH_INTAKE = "high_intake"
YOUNG_CHILD_EXCLUDED = "young_child"
EXCLUSION_LABELS = {
    YOUNG_CHILD_EXCLUDED: ("barn 5 år og yngre", "young child"),
    ONE_RATING: ("bare én måling", "one rating"),
    HIGH_INTAKE: ("første skår over 32", "high intake"),
}


@dataclass(frozen=True, slots=True)
class RaterSeries:
    """One rater's outcome totals in one episode, oldest first, with what the statistics need."""

    ors: Sequence[float]
    age_group: str = ADULT
    started: date | None = None
    ended: date | None = None
    end_reason: str | None = None  # one of END_REASONS; "dropout" = ended by the client
    meetings: int | None = None  # meetings held, if it differs from the number of ratings
    srs: Sequence[float] = ()  # the same rater's alliance totals, oldest first ("My practice")


@dataclass(frozen=True, slots=True)
class Summary:
    total: int
    included: int
    excluded: dict[str, int]  # keyed by ONE_RATING, HIGH_INTAKE, YOUNG_CHILD_EXCLUDED
    mean_intake: float | None
    mean_last: float | None
    mean_meetings: float | None
    mean_days: float | None  # over included raters with both dates
    effect_size: float | None  # pre-post: mean(last - first) / SD(first)
    saes: float | None  # severity-adjusted: mean((last - Target) / SD of the model); 0 = expected
    reliable_improvement: int
    clinically_significant: int
    reliable_deterioration: int
    reached_target: int
    dropouts: int  # ended by the client without reaching Target
    with_end_reason: int  # the dropout denominator: included raters whose end is known
    pct_reliable_improvement: float | None
    pct_clinically_significant: float | None
    pct_reliable_deterioration: float | None
    pct_reached_target: float | None
    dropout_pct: float | None
    settings: OutcomeSettings = field(repr=False)
    model_name: str = ""
    # Last minus first score of every included rater, to one decimal, smallest first: the
    # distribution of change that the statistics page and the team report draw.
    changes: tuple[float, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["settings"] = self.settings.to_dict()
        return data


_GROUP_CODE = {ADULT: 0, ADOLESCENT: 1, CHILD: 2, YOUNG_CHILD: 3}


def _records(raters: Iterable[RaterSeries | tuple[Sequence[float], str]]) -> list[RaterSeries]:
    out = []
    for r in raters:
        out.append(r if isinstance(r, RaterSeries) else RaterSeries(r[0], r[1]))
    return out


def _pct(count: int, base: int) -> float | None:
    return 100.0 * count / base if base else None


def _mean(values: np.ndarray) -> float | None:
    return float(values.mean()) if values.size else None


def summarize(
    raters: Iterable[RaterSeries | tuple[Sequence[float], str]],
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
) -> Summary:
    """Statistics over raters (RaterSeries, or (ors, age_group) pairs); undefined ones are None."""
    s = settings or DEFAULT_SETTINGS
    m = model or PUBLISHED_MODEL
    records = _records(raters)
    total = len(records)
    columns = _columns(records)
    n, first, last, group, meetings, days, dropout, known_end = columns
    inc, excluded = _inclusion(columns, s)
    first_t = np.rint(first * 10).astype(np.int64)
    last_t = np.rint(last * 10).astype(np.int64)

    f, la, ft, lt, g, nn = first[inc], last[inc], first_t[inc], last_t[inc], group[inc], n[inc]
    included = int(f.size)
    rci_t = round(s.rci * 10)
    cutoff_t = np.where(
        g == 0,
        round(s.cutoff_adult * 10),
        np.where(g == 1, round(s.cutoff_adolescent * 10), round(s.cutoff_child * 10)),
    )
    reliable = lt - ft >= rci_t
    significant = reliable & (ft <= cutoff_t) & (lt > cutoff_t)
    worse = ft - lt >= rci_t

    goal, sd = target_and_sd(f, g > 0, nn, m, s)
    reached = la >= goal
    drop = dropout[inc] & ~reached
    known = int(known_end[inc].sum())

    sd_first = float(f.std(ddof=1)) if included >= 2 else 0.0
    effect = float((la - f).mean()) / sd_first if sd_first > 0 else None
    inc_days = days[inc]
    inc_days = inc_days[~np.isnan(inc_days)]
    counts = [int(x.sum()) for x in (reliable, significant, worse, reached, drop)]
    return Summary(
        total=total,
        included=included,
        excluded=excluded,
        mean_intake=_mean(f),
        mean_last=_mean(la),
        mean_meetings=_mean(meetings[inc]),
        mean_days=_mean(inc_days),
        effect_size=effect,
        saes=_mean((la - goal) / sd),
        reliable_improvement=counts[0],
        clinically_significant=counts[1],
        reliable_deterioration=counts[2],
        reached_target=counts[3],
        dropouts=counts[4],
        with_end_reason=known,
        pct_reliable_improvement=_pct(counts[0], included),
        pct_clinically_significant=_pct(counts[1], included),
        pct_reliable_deterioration=_pct(counts[2], included),
        pct_reached_target=_pct(counts[3], included),
        dropout_pct=_pct(counts[4], known),
        settings=s,
        model_name=m.name,
        changes=tuple(sorted(round(float(c), 1) for c in (lt - ft) / 10)),
    )


def included(
    raters: Iterable[RaterSeries | tuple[Sequence[float], str]],
    settings: OutcomeSettings | None = None,
) -> np.ndarray:
    """Which raters `summarize` counts (a boolean per rater): its inclusion rule, said once."""
    inc, _ = _inclusion(_columns(_records(raters)), settings or DEFAULT_SETTINGS)
    return inc


def _inclusion(c: _Columns, s: OutcomeSettings) -> tuple[np.ndarray, dict[str, int]]:
    """(included, {reason: how many left out}): not a young child, two ratings or more, and a
    first score no higher than the high-intake limit. Raises ScoreError for a total off 0-40."""
    young = c.group == 3
    _check_totals(c.first, c.last, ~young)
    first_t = np.rint(c.first * 10).astype(np.int64)
    one = ~young & (c.n < 2)
    high = ~young & ~one & (first_t > round(s.high_intake_above * 10))
    excluded = {
        YOUNG_CHILD_EXCLUDED: int(young.sum()),
        ONE_RATING: int(one.sum()),
        HIGH_INTAKE: int(high.sum()),
    }
    return ~(young | one | high), excluded


def target_and_sd(
    intake: np.ndarray,
    youth: np.ndarray,
    ratings: np.ndarray,
    model: EtrModel,
    settings: OutcomeSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """Target and model SD per rater, each from the set that applies at the rater's last rating."""
    sets = (model.adult_short, model.adult_long, model.youth_short, model.youth_long)
    index = youth.astype(np.int64) * 2 + (ratings > settings.short_model_max_ratings)
    table = np.array([[getattr(c, name) for name in COEFFICIENT_NAMES] for c in sets])
    coef = table[index]
    i = np.array([c.target_flatten for c in sets], dtype=float)[index]
    d = intake - 20.0
    a0 = coef[:, 0] + coef[:, 4] * d
    a1 = coef[:, 1] + coef[:, 5] * d
    a2 = coef[:, 2] + coef[:, 6] * d
    a3 = coef[:, 3] + coef[:, 7] * d
    goal = a0 + i * (a1 + i * (a2 + i * a3))
    return goal, np.array([c.sd for c in sets])[index]


def _check_totals(first: np.ndarray, last: np.ndarray, mask: np.ndarray) -> None:
    for name, values in (("first", first), ("last", last)):
        bad = mask & ~(np.isfinite(values) & (values >= 0.0) & (values <= 40.0))
        if bad.any():
            k = int(np.argmax(bad))
            x = float(values[k])
            shown = f"{x:g}" if math.isfinite(x) else str(x)
            raise ScoreError(
                f"rater {k}",
                "out_of_range" if math.isfinite(x) else "not_finite",
                f"måler {k}: {name} skår {shown} er utenfor 0,0–40,0.",
                f"rater {k}: {name} score {shown} is outside 0.0-40.0.",
            )


@dataclass(frozen=True, slots=True)
class ChangeBin:
    """One bar of the distribution of change: changes from `start` (included) to `end`."""

    start: float
    end: float
    count: int
    kind: str  # "improved" (a reliable improvement), "deteriorated", or "neither"


def change_histogram(changes: Sequence[float], rci: float, width: float = 2.0) -> list[ChangeBin]:
    """The changes in bins of `width` points (the bars the statistics page and the team report
    draw). A bin is "improved" when every change in it is a reliable improvement (it starts at
    +RCI or above), "deteriorated" when every change in it is a reliable deterioration."""
    counts: dict[float, int] = {}
    for change in changes:
        start = math.floor(change / width) * width
        counts[start] = counts.get(start, 0) + 1
    bins = []
    for start in sorted(counts):
        end = start + width
        kind = "improved" if start >= rci else "deteriorated" if end <= -rci else "neither"
        bins.append(ChangeBin(start, end, counts[start], kind))
    return bins


class _Columns(NamedTuple):
    """The raters as NumPy columns, one entry per rater, for the vectorised figures."""

    n: np.ndarray
    first: np.ndarray
    last: np.ndarray
    group: np.ndarray
    meetings: np.ndarray
    days: np.ndarray
    dropout: np.ndarray
    known_end: np.ndarray


def _columns(records: list[RaterSeries]) -> _Columns:
    total = len(records)
    c = _Columns(
        n=np.empty(total, dtype=np.int64),
        first=np.empty(total),
        last=np.empty(total),
        group=np.empty(total, dtype=np.int8),
        meetings=np.empty(total),
        days=np.full(total, np.nan),
        dropout=np.zeros(total, dtype=bool),
        known_end=np.zeros(total, dtype=bool),
    )
    for k, r in enumerate(records):
        ors = r.ors
        count = len(ors)
        c.n[k] = count
        c.first[k] = ors[0] if count else 0.0
        c.last[k] = ors[-1] if count else 0.0
        try:
            c.group[k] = _GROUP_CODE[r.age_group]
        except KeyError:
            raise ValueError(
                f"rater {k}: unknown age group {r.age_group!r}; known: {', '.join(AGE_GROUPS)}"
            ) from None
        c.meetings[k] = r.meetings if r.meetings is not None else count
        if r.started is not None and r.ended is not None:
            c.days[k] = (r.ended - r.started).days
        if r.end_reason is not None:
            if r.end_reason not in END_REASONS:
                raise ValueError(f"rater {k}: unknown end reason {r.end_reason!r}")
            c.known_end[k] = True
            c.dropout[k] = r.end_reason == "dropout"
    return c
