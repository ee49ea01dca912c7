"""Synthetic raters drawn from an ETR model: for the benchmark and for checking `fit_norms`.

Not clinical data. Every score is the model's expected total plus normal noise, clipped to 0-40 and
rounded to one decimal like a real form (both can be switched off to get exact model values).
"""

from __future__ import annotations

import numpy as np

from .config import DEFAULT_SETTINGS, OutcomeSettings
from .instruments import ADOLESCENT, ADULT, CHILD
from .model import PUBLISHED_MODEL, EtrModel
from .stats import RaterSeries


def synthetic_raters(
    count: int,
    model: EtrModel = PUBLISHED_MODEL,
    *,
    seed: int = 0,
    noise: float = 3.0,
    long_share: float = 0.3,
    round_scores: bool = True,
    settings: OutcomeSettings = DEFAULT_SETTINGS,
) -> list[RaterSeries]:
    rng = np.random.default_rng(seed)
    short_max = settings.short_model_max_ratings
    groups = rng.choice([ADULT, ADOLESCENT, CHILD], size=count, p=[0.6, 0.2, 0.2])
    youth = groups != ADULT
    long = rng.random(count) < long_share
    n = np.where(
        long, rng.integers(short_max + 1, 31, count), rng.integers(2, short_max + 1, count)
    )
    intake = np.round(rng.uniform(2.0, 32.0, count), 1)

    sets = (model.adult_short, model.adult_long, model.youth_short, model.youth_long)
    index = youth.astype(np.int64) * 2 + long
    table = np.array([c.vector() for c in sets])
    flatten = np.array([c.flatten for c in sets])
    rater = np.repeat(np.arange(count), n)
    offsets = np.concatenate(([0], np.cumsum(n)))
    meeting = np.arange(offsets[-1]) - offsets[rater] + 1
    coef = table[index[rater]]
    i = np.minimum(meeting - 1, flatten[index[rater]]).astype(float)
    d = intake[rater] - 20.0
    etr = (
        coef[:, 0]
        + coef[:, 4] * d
        + (coef[:, 1] + coef[:, 5] * d) * i
        + (coef[:, 2] + coef[:, 6] * d) * i**2
        + (coef[:, 3] + coef[:, 7] * d) * i**3
    )
    scores = np.where(meeting == 1, intake[rater], etr + rng.normal(0.0, noise, etr.size))
    if round_scores:
        scores = np.round(np.clip(scores, 0.0, 40.0), 1)
    flat = scores.tolist()
    bounds = offsets.tolist()
    return [
        RaterSeries(flat[bounds[k] : bounds[k + 1]], str(groups[k]), meetings=int(n[k]))
        for k in range(count)
    ]
