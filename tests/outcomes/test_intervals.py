"""The interval maths of "My practice", against values worked out by hand and general laws."""

from __future__ import annotations

import math
import statistics as pystats

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kor.outcomes.intervals import (
    bootstrap_effect_size,
    mean_interval,
    normal_quantile,
    t_quantile,
    t_within,
    wilson,
)

Z = 1.959964


def test_wilson_for_3_of_10_by_hand():
    # p = 0.3, z²/n = 0.384146; centre = (0.3 + 0.192073) / 1.384146 = 0.355506;
    # half = 1.959964 / 1.384146 · √(0.3 · 0.7 / 10 + 0.384146 / 40)
    #      = 1.416009 · 0.174940 = 0.247716
    low, high = wilson(3, 10)
    assert low == pytest.approx(0.355506 - 0.247716, abs=1e-5)
    assert high == pytest.approx(0.355506 + 0.247716, abs=1e-5)
    assert (round(low, 4), round(high, 4)) == (0.1078, 0.6032)


def test_wilson_at_none_and_all():
    # k = 0: the lower bound is 0 and the upper z²/n / (1 + z²/n) = 0.384146 / 1.384146.
    assert wilson(0, 10) == (0.0, pytest.approx(0.384146 / 1.384146, abs=1e-6))
    assert wilson(10, 10) == (pytest.approx(1 - 0.384146 / 1.384146, abs=1e-6), 1.0)
    assert wilson(0, 0) is None
    with pytest.raises(ValueError):
        wilson(4, 3)


def test_t_quantiles_match_the_printed_table():
    # Two-sided 95 % (and 99 % for df 4) from any printed t table.
    table = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 10: 2.228, 30: 2.042, 120: 1.980}
    for df, t in table.items():
        assert t_quantile(df) == pytest.approx(t, abs=5e-4), df
    assert t_quantile(4, 0.99) == pytest.approx(4.604, abs=5e-4)
    assert t_quantile(1) == pytest.approx(math.tan(math.pi * 0.95 / 2))  # Cauchy: exact
    assert t_quantile(10**6) == pytest.approx(Z, abs=1e-5)
    assert normal_quantile() == pytest.approx(Z, abs=1e-6)


def test_the_t_interval_of_one_to_five_by_hand():
    # mean 3, SD √2.5 = 1.581139, SE 0.707107, t(4) = 2.776445: 3 ± 1.963243
    low, high = mean_interval([1, 2, 3, 4, 5])
    assert (low, high) == (pytest.approx(1.036757, abs=1e-5), pytest.approx(4.963243, abs=1e-5))
    assert mean_interval([7.0]) is None


def test_the_bootstrap_of_two_clients_by_hand():
    # Draws of both clients once give 10 / SD(10, 20) = 10 / 7.071068 = 1.414214; draws of one
    # client twice have no spread and are left out: every kept draw is 1.414214.
    low, high = bootstrap_effect_size([10, 20], [20, 30])
    assert low == pytest.approx(1.414214, abs=1e-6) and high == pytest.approx(1.414214, abs=1e-6)
    assert bootstrap_effect_size([10, 10], [20, 30]) is None
    assert bootstrap_effect_size([10], [20]) is None


def test_the_bootstrap_is_the_same_every_time():
    first, last = [10, 12, 20, 24, 18, 15], [20, 11, 30, 16, 25, 22]
    assert bootstrap_effect_size(first, last) == bootstrap_effect_size(first, last)
    low, high = bootstrap_effect_size(first, last)
    estimate = pystats.mean(b - a for a, b in zip(first, last, strict=True)) / pystats.stdev(first)
    assert low < estimate < high


# --- Laws -------------------------------------------------------------------------------------


@given(st.integers(1, 2000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_holds_the_share_and_stays_in_0_1(kn):
    k, n = kn
    low, high = wilson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    mirror_low, mirror_high = wilson(n - k, n)
    assert low == pytest.approx(1 - mirror_high, abs=1e-12)
    assert high == pytest.approx(1 - mirror_low, abs=1e-12)


@given(st.integers(0, 50), st.integers(1, 50), st.integers(2, 10))
def test_wilson_narrows_with_more_clients_at_the_same_share(k, n, times):
    k = min(k, n)
    low, high = wilson(k, n)
    more_low, more_high = wilson(k * times, n * times)
    assert more_high - more_low < high - low


@settings(max_examples=60)
@given(st.integers(1, 400))
def test_t_quantile_falls_towards_z_and_inverts_the_distribution(df):
    t = t_quantile(df)
    assert t > Z
    assert t_quantile(df + 1) < t
    if df <= 200:
        assert t_within(t, df) == pytest.approx(0.95, abs=1e-9)


@given(st.lists(st.integers(0, 400).map(lambda t: t / 10), min_size=2, max_size=60))
def test_the_t_interval_holds_the_mean_symmetrically(values):
    low, high = mean_interval(values)
    mean = sum(values) / len(values)
    assert low <= mean + 1e-9 and mean - 1e-9 <= high
    assert (mean - low) == pytest.approx(high - mean, abs=1e-9)


@settings(max_examples=40)
@given(
    st.lists(st.tuples(st.integers(0, 320), st.integers(0, 400)), min_size=3, max_size=40).filter(
        lambda pairs: len({a for a, _ in pairs}) > 1
    )
)
def test_the_bootstrap_interval_is_ordered_and_repeatable(pairs):
    first = [a / 10 for a, _ in pairs]
    last = [b / 10 for _, b in pairs]
    low, high = bootstrap_effect_size(first, last, resamples=300)
    assert low <= high
    assert bootstrap_effect_size(first, last, resamples=300) == (low, high)
