"""A service's own norms: the ETR model family refitted on its own closed episodes.

Least squares on session-level data, per coefficient set (adult/youth x short/long), with the
design [1, i, i^2, i^3, d, d i, d i^2, d i^3] for every rating after the intake (i = min(m - 1,
flatten), d = intake - 20). A rater's points go to the set that applies at their last rating:
episodes of at most 12 ratings fit the short set, longer ones the long set, which is how
`summarize` reads closed episodes. Intakes above 32, single ratings and young children are left
out, as in the statistics. A set without enough data keeps the base model's coefficients, and the
report says so. The calibration check: about 25 % of ratings should fall below ETR - 0.674 SD.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from .config import DEFAULT_SETTINGS, OutcomeSettings
from .instruments import ADULT, AGE_GROUPS, YOUNG_CHILD, ScoreError
from .model import COEFFICIENT_NAMES, PUBLISHED_MODEL, SET_KEYS, Coefficients, EtrModel
from .stats import RaterSeries, _records

Z25 = 0.674  # the 25th percentile of the normal distribution, in SDs


class NormsError(ValueError):
    """Too little data (or none usable) to fit norms."""

    def __init__(self, message_en: str, message_nb: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_nb = message_nb

    def message(self, lang: str = "en") -> str:
        return self.message_nb if lang.startswith(("nb", "no", "nn")) else self.message_en


@dataclass(frozen=True, slots=True)
class SetFit:
    key: str  # adult_short, adult_long, youth_short, youth_long
    fitted: bool  # False: the base model's set was kept
    raters: int
    points: int
    residual_sd: float | None
    note: str


@dataclass(frozen=True, slots=True)
class MeetingCalibration:
    meeting: int
    n: int
    share_below: float  # share of ratings below ETR - 0.674 SD; about 0.25 when calibrated
    residual_sd: float  # root mean square of score - ETR
    mean_residual: float  # bias: above 0 means raters do better than the model expects
    mean_observed: float = 0.0  # the mean score at this meeting
    mean_expected: float = 0.0  # the mean ETR the model predicted for those ratings


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    model_name: str
    base_name: str
    raters: int
    points: int
    excluded: dict[str, int]
    sets: list[SetFit]
    meetings: list[MeetingCalibration]
    share_below: float

    def notes(self) -> list[str]:
        return [f.note for f in self.sets]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def fit_norms(
    series: Iterable[RaterSeries | tuple[Sequence[float], str]],
    base: EtrModel = PUBLISHED_MODEL,
    min_raters: int = 200,
    *,
    min_set_raters: int = 50,
    name: str = "Own norms",
    settings: OutcomeSettings | None = None,
) -> tuple[EtrModel, CalibrationReport]:
    """Fit the model on closed episodes; returns the model and its calibration report.

    Raises NormsError below `min_raters` usable raters (at least two ratings, intake <= 32).
    """
    model, report, _ = fit_and_compare(
        series, base, min_raters, min_set_raters=min_set_raters, name=name, settings=settings
    )
    return model, report


def fit_and_compare(
    series: Iterable[RaterSeries | tuple[Sequence[float], str]],
    base: EtrModel = PUBLISHED_MODEL,
    min_raters: int = 200,
    *,
    min_set_raters: int = 50,
    name: str = "Own norms",
    settings: OutcomeSettings | None = None,
) -> tuple[EtrModel, CalibrationReport, CalibrationReport]:
    """`fit_norms`, and the base model's calibration on the same ratings (to show side by side)."""
    s = settings or DEFAULT_SETTINGS
    data = _points(_records(series), s)
    usable = data["raters"]
    if usable < min_raters:
        raise NormsError(
            f"Own norms need at least {min_raters} raters with two or more ratings and an intake "
            f"of {s.high_intake_above:g} or less; there are {usable}. Keep the published model.",
            f"Egne normer krever minst {min_raters} målere med to eller flere målinger og første "
            f"skår på {s.high_intake_above:g} eller lavere; det er {usable}. Bruk den publiserte "
            "modellen.",
        )

    base_sets = base.sets()
    fitted: dict[str, Coefficients] = {}
    fits: list[SetFit] = []
    for index, key in enumerate(SET_KEYS):
        c, fit = _fit_set(key, base_sets[key], data, index, min_set_raters)
        fitted[key] = c
        fits.append(fit)
    model = EtrModel(name=name, **fitted)
    return model, _calibrate(model, base, data, fits), _calibrate(base, base, data, fits)


def _points(records: list[RaterSeries], s: OutcomeSettings) -> dict[str, Any]:
    """Session-level arrays for the usable raters, and counts of the others."""
    scores: list[float] = []
    lengths: list[int] = []
    youth: list[bool] = []
    excluded = {"young_child": 0, "one_rating": 0, "high_intake": 0}
    for k, r in enumerate(records):
        if r.age_group not in AGE_GROUPS:
            raise ValueError(f"rater {k}: unknown age group {r.age_group!r}")
        if r.age_group == YOUNG_CHILD:
            excluded["young_child"] += 1
            continue
        if len(r.ors) < 2:
            excluded["one_rating"] += 1
            continue
        scores.extend(r.ors)
        lengths.append(len(r.ors))
        youth.append(r.age_group != ADULT)
    y = np.asarray(scores, dtype=float)
    bad = ~(np.isfinite(y) & (y >= 0.0) & (y <= 40.0))
    if bad.any():
        x = float(y[int(np.argmax(bad))])
        raise ScoreError(
            "ors",
            "out_of_range",
            f"skår {x:g} er utenfor 0,0–40,0.",
            f"score {x:g} is outside 0.0-40.0.",
        )
    n = np.asarray(lengths, dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(n)))[:-1]
    intake = y[offsets] if n.size else np.empty(0)
    keep = np.rint(intake * 10) <= round(s.high_intake_above * 10)
    excluded["high_intake"] = int((~keep).sum())
    rater = np.repeat(np.arange(n.size), n)
    meeting = np.arange(y.size) - np.repeat(offsets, n) + 1
    point = keep[rater] & (meeting >= 2)  # the intake is the model's input, not an outcome
    set_index = np.asarray(youth, dtype=np.int64) * 2 + (n > s.short_model_max_ratings)
    return {
        "raters": int(keep.sum()),
        "excluded": excluded,
        "rater": rater[point],
        "y": y[point],
        "meeting": meeting[point],
        "d": (intake - 20.0)[rater[point]],
        "set": set_index[rater[point]],
    }


def _design(d: np.ndarray, i: np.ndarray) -> np.ndarray:
    powers = np.stack([np.ones_like(i), i, i * i, i * i * i], axis=1)
    return np.concatenate([powers, powers * d[:, None]], axis=1)


def _fit_set(
    key: str, base: Coefficients, data: dict[str, Any], index: int, min_set_raters: int
) -> tuple[Coefficients, SetFit]:
    mask = data["set"] == index
    raters = int(np.unique(data["rater"][mask]).size)
    points = int(mask.sum())
    if raters < min_set_raters:
        note = f"{key}: {raters} raters (< {min_set_raters}); kept the base coefficients"
        return base, SetFit(key, False, raters, points, None, note)
    i = np.minimum(data["meeting"][mask] - 1, base.flatten).astype(float)
    x = _design(data["d"][mask], i)
    y = data["y"][mask]
    beta, _, rank, _ = np.linalg.lstsq(x, y, rcond=None)
    if rank < x.shape[1] or points <= x.shape[1]:
        note = f"{key}: too few distinct meetings or intakes to fit; kept the base coefficients"
        return base, SetFit(key, False, raters, points, None, note)
    residual = y - x @ beta
    sd = float(np.sqrt(residual @ residual / (points - x.shape[1])))
    c = replace(base, **dict(zip(COEFFICIENT_NAMES, map(float, beta), strict=True)), sd=sd)
    note = f"{key}: fitted on {raters} raters, {points} ratings; residual SD {sd:.2f}"
    return c, SetFit(key, True, raters, points, sd, note)


def _calibrate(
    model: EtrModel, base: EtrModel, data: dict[str, Any], fits: list[SetFit]
) -> CalibrationReport:
    sets = [model.sets()[key] for key in SET_KEYS]
    table = np.array([c.vector() for c in sets])
    flatten = np.array([c.flatten for c in sets])
    sd = np.array([c.sd for c in sets])[data["set"]]
    i = np.minimum(data["meeting"] - 1, flatten[data["set"]]).astype(float)
    coef = table[data["set"]]
    etr = (_design(data["d"], i) * coef).sum(axis=1)
    residual = data["y"] - etr
    below = residual < -Z25 * sd
    meetings = []
    order = np.argsort(data["meeting"], kind="stable")
    m_sorted = data["meeting"][order]
    values, starts = np.unique(m_sorted, return_index=True)
    ends = np.append(starts[1:], m_sorted.size)
    for m, a, b in zip(values.tolist(), starts.tolist(), ends.tolist(), strict=True):
        idx = order[a:b]
        r = residual[idx]
        meetings.append(
            MeetingCalibration(
                int(m),
                int(idx.size),
                float(below[idx].mean()),
                float(np.sqrt((r * r).mean())),
                float(r.mean()),
                float(data["y"][idx].mean()),
                float(etr[idx].mean()),
            )
        )
    return CalibrationReport(
        model_name=model.name,
        base_name=base.name,
        raters=data["raters"],
        points=int(residual.size),
        excluded=data["excluded"],
        sets=fits,
        meetings=meetings,
        share_below=float(below.mean()) if below.size else 0.0,
    )
