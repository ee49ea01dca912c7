"""Confidence intervals for the figures of "My practice": how sure a share or a mean is.

- A share (k of n): the Wilson score interval, which stays inside 0-1 and behaves at 0 and n.
- A mean (SAES, mean alliance): the t interval, mean ± t(df = n - 1) · SD / √n, with the exact
  Student t distribution for whole degrees of freedom (closed forms, Abramowitz & Stegun 26.7.3
  and 26.7.4) and its Cornish-Fisher expansion above 200 degrees of freedom.
- The pre-post effect size, mean(last - first) / SD(first), is a ratio of two estimates: a
  percentile bootstrap over clients with a fixed seed, so the same caseload always gives the same
  interval.

Pure Python and NumPy: no SciPy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

import numpy as np

CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 2000
_EXACT_DF_MAX = 200
_BOOTSTRAP_CELLS = 250_000  # draws x clients held at once


def normal_quantile(confidence: float = CONFIDENCE) -> float:
    """z such that a standard normal lies within ±z with the given probability."""
    _check_confidence(confidence)
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson(k: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The Wilson score interval of the share k / n, as fractions (0-1); None when n is 0."""
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, not k={k}, n={n}")
    if n == 0:
        return None
    z = normal_quantile(confidence)
    p = k / n
    z2n = z * z / n
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / n + z2n / (4 * n))
    # At k = 0 and k = n the bound is exactly 0 or 1; float noise must not move it past.
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


def t_within(t: float, df: int) -> float:
    """P(|T| < t) for Student's t with `df` (whole, >= 1) degrees of freedom, exactly."""
    if df < 1 or df != int(df):
        raise ValueError(f"degrees of freedom must be a whole number >= 1, not {df}")
    if t <= 0:
        return 0.0
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    s = math.sin(theta)
    if df % 2 == 1:
        term, total = math.cos(theta), 0.0
        if df > 1:
            total = term
            for k in range(2, df - 1, 2):  # cos^(k+1): factors 2·4…k / 3·5…(k+1)
                term *= c2 * k / (k + 1)
                total += term
        return min(1.0, 2 / math.pi * (theta + s * total))
    term = total = 1.0
    for k in range(2, df - 1, 2):  # cos^k: factors 1·3…(k-1) / 2·4…k
        term *= c2 * (k - 1) / k
        total += term
    return min(1.0, s * total)


def t_quantile(df: int, confidence: float = CONFIDENCE) -> float:
    """t such that Student's t with `df` degrees of freedom lies within ±t with the given
    probability (2.776 for df 4 at 95 %)."""
    z = normal_quantile(confidence)
    if df < 1 or df != int(df):
        raise ValueError(f"degrees of freedom must be a whole number >= 1, not {df}")
    if df > _EXACT_DF_MAX:
        return _cornish_fisher(z, df)
    low, high = 0.0, max(2 * z, 1.0)
    while t_within(high, df) < confidence:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        if t_within(mid, df) < confidence:
            low = mid
        else:
            high = mid
        if high - low < 1e-12 * high:
            break
    return (low + high) / 2


def _cornish_fisher(z: float, df: int) -> float:
    """The t quantile from the normal one (Abramowitz & Stegun 26.7.5); error < 1e-9 here."""
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def mean_interval(
    values: Sequence[float], confidence: float = CONFIDENCE
) -> tuple[float, float] | None:
    """mean ± t · SD / √n; None for fewer than two values."""
    x = np.asarray(values, dtype=float)
    n = x.size
    if n < 2:
        return None
    mean = float(x.mean())
    half = t_quantile(n - 1, confidence) * float(x.std(ddof=1)) / math.sqrt(n)
    return mean - half, mean + half


def bootstrap_effect_size(
    first: Sequence[float],
    last: Sequence[float],
    confidence: float = CONFIDENCE,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
) -> tuple[float, float] | None:
    """The percentile bootstrap interval of mean(last - first) / SD(first): clients drawn with
    replacement `resamples` times; a draw whose first scores are all equal has no effect size and
    is left out. None for fewer than two clients or when no draw has one."""
    f = np.asarray(first, dtype=float)
    la = np.asarray(last, dtype=float)
    n = f.size
    if n != la.size:
        raise ValueError("first and last differ in length")
    if n < 2:
        return None
    rng = np.random.default_rng(seed)
    change = la - f
    # In chunks of draws, so a large caseload never needs more than a few megabytes at once.
    chunk = max(1, min(resamples, _BOOTSTRAP_CELLS // n))
    found = []
    for done in range(0, resamples, chunk):
        picks = rng.integers(0, n, size=(min(chunk, resamples - done), n))
        sd = f[picks].std(axis=1, ddof=1)
        ok = sd > 1e-12
        found.append(change[picks[ok]].mean(axis=1) / sd[ok])
    es = np.concatenate(found)
    if not es.size:
        return None
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(es, [tail, 100 - tail])
    return float(low), float(high)


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, not {confidence}")
