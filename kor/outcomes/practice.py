"""The figures of "My practice": a helper's outcomes over a period, each with its n and a 95 %
confidence interval (intervals.py).

Who counts is `summarize`'s rule (stats.included): the same clients as the statistics page. On top
of `summarize`'s figures come three that need each client's whole series, read with `assess`
itself (a fast reading of its tests at each rating, held to `assess` by property tests):

- mean alliance: each counted client's mean alliance total (SRS/CSRS), averaged over the counted
  clients who gave at least one; each client weighs once, however many meetings they had;
- alliance alerts: the share of those clients who had an alliance alert at any meeting (the
  latest alliance total below the cut-off, or a drop from the one before; `assess`'s flag at each
  meeting in turn);
- off-track clients recovered: of the counted clients who were off track or deteriorated at some
  rating (`assess` on the series up to each rating), the share whose whole series ends on track
  or at the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .assess import OFF_TRACK_FROM, ON_TRACK, assess
from .config import DEFAULT_SETTINGS, OutcomeSettings
from .instruments import YOUNG_CHILD
from .intervals import bootstrap_effect_size, mean_interval, wilson
from .model import PUBLISHED_MODEL, EtrModel
from .stats import RaterSeries, included, summarize, target_and_sd
from .track import is_off_track


@dataclass(frozen=True, slots=True)
class ClientFacts:
    """What one client's whole series says, beyond first and last score."""

    off_track_ever: bool
    recovered: bool  # off track at some rating, and on track or at the target at the last
    alliance_mean: float | None  # None without an alliance total
    alliance_alert_ever: bool


@dataclass(frozen=True, slots=True)
class Estimate:
    """A mean-like figure with its n and interval (None where it cannot be computed)."""

    value: float | None
    n: int
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class Share:
    """count of n, as a percentage, with its Wilson interval in percent."""

    count: int
    n: int
    pct: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class PracticeFigures:
    included: int
    effect_size: Estimate
    saes: Estimate
    reliable_improvement: Share
    reliable_deterioration: Share
    reached_target: Share
    dropout: Share
    mean_alliance: Estimate
    alliance_alerts: Share
    off_track_recovered: Share

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def client_facts(
    record: RaterSeries,
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
) -> ClientFacts:
    """Read one client's series rating by rating, as `assess` reads it at each rating."""
    s = settings or DEFAULT_SETTINGS
    m = model or PUBLISHED_MODEL
    ors, group = list(record.ors), record.age_group
    if not ors or group == YOUNG_CHILD:  # no status or flag is ever judged for a young child
        return ClientFacts(False, False, None, False)
    ever = any(off_track_by_rating(ors, group, s, m))
    recovered = False
    if ever:
        final = assess(ors, age_group=group, settings=s, model=m)
        recovered = final.status == ON_TRACK or final.target_reached
    srs = list(record.srs)
    alert = any(alliance_alert_by_rating(srs, s))
    return ClientFacts(ever, recovered, float(np.mean(srs)) if srs else None, alert)


def off_track_by_rating(
    ors: Sequence[float], age_group: str, settings: OutcomeSettings, model: EtrModel
) -> list[bool]:
    """For each rating from the second on: would `assess` of the series up to it say off track or
    deteriorated? The tests of `assess`'s status rule in its own arithmetic (tenths; the percent
    test is track.is_off_track), without the reasons it writes, which cost fifty times more; a
    property test holds the two together."""
    s1t = _tenth(ors[0])
    rci, high = round(settings.rci * 10), round(settings.high_intake_above * 10)
    out = []
    for n in range(2, len(ors) + 1):
        snt = _tenth(ors[n - 1])
        if s1t - snt >= rci:
            out.append(True)  # deteriorated comes first in the rule
        elif s1t > high or n < OFF_TRACK_FROM:
            out.append(False)  # a high intake is never off track; nor the second rating
        else:
            expected = model.coefficients(age_group, n, settings).etr(s1t / 10, n)
            out.append(is_off_track(s1t / 10, snt / 10, expected, settings))
    return out


def alliance_alert_by_rating(srs: Sequence[float], settings: OutcomeSettings) -> list[bool]:
    """For each alliance total: would `assess` flag an alliance alert with the series up to it?
    (The latest below the cut-off, or a drop of at least `srs_drop` from the one before; in
    tenths, as `assess`; held to it by a property test.)"""
    cutoff, drop = round(settings.srs_cutoff * 10), round(settings.srs_drop * 10)
    tenths = [_tenth(x) for x in srs]
    return [t < cutoff or (k > 0 and tenths[k - 1] - t >= drop) for k, t in enumerate(tenths)]


def _tenth(x: float) -> int:
    return int(x * 10.0 + 0.5)  # as assess reads a total


def _share(count: int, n: int) -> Share:
    interval = wilson(count, n)
    if interval is None:
        return Share(count, n, None, None, None)
    return Share(count, n, 100.0 * count / n, 100.0 * interval[0], 100.0 * interval[1])


def _clip(interval: tuple[float, float] | None, low: float, high: float):
    if interval is None:
        return None
    return max(low, interval[0]), min(high, interval[1])


def _estimate(value: float | None, n: int, interval: tuple[float, float] | None) -> Estimate:
    low, high = interval if interval is not None else (None, None)
    return Estimate(value, n, low, high)


def practice_figures(
    raters: Sequence[RaterSeries],
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
    facts: Sequence[ClientFacts] | None = None,
    *,
    seed: int = 0,
) -> PracticeFigures:
    """The figures over `raters` (closed episodes, one rater each). `facts`, aligned with
    `raters`, may be computed once with `client_facts` when a client is counted in several
    periods; those of clients the rule leaves out are never read."""
    s = settings or DEFAULT_SETTINGS
    m = model or PUBLISHED_MODEL
    records = list(raters)
    summary = summarize(records, settings=s, model=m)
    mask = included(records, s)
    counted = [r for r, keep in zip(records, mask, strict=True) if keep]
    if facts is None:
        counted_facts = [client_facts(r, s, m) for r in counted]
    else:
        counted_facts = [f for f, keep in zip(facts, mask, strict=True) if keep]
    n = len(counted)
    first = np.array([r.ors[0] for r in counted], dtype=float)
    last = np.array([r.ors[-1] for r in counted], dtype=float)
    youth = np.array([r.age_group != "adult" for r in counted], dtype=bool)
    ratings = np.array([len(r.ors) for r in counted], dtype=np.int64)
    goal, sd = target_and_sd(first, youth, ratings, m, s)
    alliance = [f.alliance_mean for f in counted_facts if f.alliance_mean is not None]
    off = [f for f in counted_facts if f.off_track_ever]
    return PracticeFigures(
        included=n,
        effect_size=_estimate(
            summary.effect_size, n, bootstrap_effect_size(first, last, seed=seed)
        ),
        saes=_estimate(summary.saes, n, mean_interval((last - goal) / sd)),
        reliable_improvement=_share(summary.reliable_improvement, n),
        reliable_deterioration=_share(summary.reliable_deterioration, n),
        reached_target=_share(summary.reached_target, n),
        dropout=_share(summary.dropouts, summary.with_end_reason),
        mean_alliance=_estimate(
            float(np.mean(alliance)) if alliance else None,
            len(alliance),
            _clip(mean_interval(alliance), 0.0, 40.0),  # the scale's own bounds
        ),
        alliance_alerts=_share(
            sum(f.alliance_alert_ever for f in counted_facts if f.alliance_mean is not None),
            len(alliance),
        ),
        off_track_recovered=_share(sum(f.recovered for f in off), len(off)),
    )
