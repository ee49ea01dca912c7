"""The figures of "My practice" on a small caseload, worked out here by hand.

Six adults closed (ORS first to last; SRS; how it ended):
    R1 10, 11, 11, 22   SRS 38, 35, 38, 39   mutual   off track at rating 3, on track at 4
    R2 20, 14           SRS 39, 39           dropout  deteriorated (-6) at rating 2
    R3 15, 22, 25       SRS 39, 38.5, 39     mutual   on track throughout
    R4 18, 18, 18       no SRS               dropout  off track at rating 3 (no change)
    R5 30               SRS 20               -        one rating: not counted
    R6 35, 36           SRS 20               -        first score above 32: not counted
"""

from __future__ import annotations

import math
import statistics as pystats

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kor.outcomes import DEFAULT_SETTINGS, PUBLISHED_MODEL, assess
from kor.outcomes.practice import (
    alliance_alert_by_rating,
    client_facts,
    off_track_by_rating,
    practice_figures,
)
from kor.outcomes.stats import RaterSeries

CASELOAD = [
    RaterSeries([10, 11, 11, 22], srs=[38, 35, 38, 39], end_reason="mutual"),
    RaterSeries([20, 14], srs=[39, 39], end_reason="dropout"),
    RaterSeries([15, 22, 25], srs=[39, 38.5, 39], end_reason="mutual"),
    RaterSeries([18, 18, 18], end_reason="dropout"),
    RaterSeries([30], srs=[20]),
    RaterSeries([35, 36], srs=[20]),
]
FIRSTS, LASTS = [10, 20, 15, 18], [22, 14, 25, 18]

# Adult short-term coefficients of KOR-REFERENCE.md; Target is the polynomial at i = 5.
I0, L, Q, C, IX, LX, QX, CX, SD = (
    20.192794, 3.391172, -0.51855, 0.027243, 0.968895, -0.281445, 0.049636, -0.002821, 7.75,
)  # fmt: skip


def target(intake: float) -> float:
    d = intake - 20
    return (I0 + IX * d) + (L + LX * d) * 5 + (Q + QX * d) * 25 + (C + CX * d) * 125


@pytest.fixture(scope="module")
def figures():
    return practice_figures(CASELOAD)


def test_the_statuses_rating_by_rating_are_the_ones_in_the_table():
    statuses = [[assess(r.ors[:k]).status for k in range(2, len(r.ors) + 1)] for r in CASELOAD[:4]]
    assert statuses == [
        ["at_risk", "off_track", "on_track"],
        ["deteriorated"],
        ["on_track", "on_track"],
        ["at_risk", "off_track"],
    ]


def test_it_counts_the_clients_the_statistics_page_counts(figures):
    assert figures.included == 4


def test_the_effect_sizes_by_hand(figures):
    # Changes +12, -6, +10, 0: mean 4. First scores: mean 15.75, SD √(56.75 / 3) = 4.349329.
    assert figures.effect_size.value == pytest.approx(4 / 4.349329, abs=1e-6)
    assert figures.effect_size.n == 4
    assert figures.effect_size.low < figures.effect_size.value < figures.effect_size.high
    # SAES: (last - Target) / 7.75 per client; the interval is mean ± t(3) · SD / 2.
    values = [(b - target(a)) / SD for a, b in zip(FIRSTS, LASTS, strict=True)]
    mean, half = pystats.mean(values), 3.182446 * pystats.stdev(values) / 2
    assert figures.saes.value == pytest.approx(mean, abs=1e-6)
    assert figures.saes.value == pytest.approx(-0.7649, abs=1e-4)
    assert (figures.saes.low, figures.saes.high) == (
        pytest.approx(mean - half, abs=1e-5),
        pytest.approx(mean + half, abs=1e-5),
    )


def test_the_shares_by_hand(figures):
    # 2 of 4: Wilson with z²/n = 0.960365: centre 0.5, half 0.999795 · √(1/16 + 0.060023)
    half = 1.959964 / 1.960365 * math.sqrt(0.0625 + 0.960365 / 16)
    ri = figures.reliable_improvement
    assert (ri.count, ri.n, ri.pct) == (2, 4, 50.0)  # +12 and +10
    assert (ri.low, ri.high) == (
        pytest.approx(50 - 100 * half, abs=1e-3),
        pytest.approx(50 + 100 * half, abs=1e-3),
    )
    rd = figures.reliable_deterioration
    assert (rd.count, rd.n, rd.pct) == (1, 4, 25.0)  # 20 -> 14
    # Targets 23.1, 27.6, 25.3, 26.7: no last score reaches its own (25 < 25.3).
    assert [round(target(a), 1) for a in FIRSTS] == [23.1, 27.6, 25.3, 26.7]
    assert (figures.reached_target.count, figures.reached_target.pct) == (0, 0.0)
    assert figures.reached_target.low == 0.0
    # Dropouts: R2 and R4, both short of their target, of 4 known ends.
    assert (figures.dropout.count, figures.dropout.n, figures.dropout.pct) == (2, 4, 50.0)


def test_the_alliance_by_hand(figures):
    # Means per client: R1 37.5, R2 39, R3 38.833; R4 gave none. Mean of means 38.444.
    alliance = figures.mean_alliance
    assert alliance.n == 3
    assert alliance.value == pytest.approx((37.5 + 39 + 116.5 / 3) / 3)
    assert alliance.high == 40.0  # the interval stops at the top of the scale
    # R1's 35 is under the cut-off 36; R3's drop 39 -> 38.5 is less than 1 point.
    assert (figures.alliance_alerts.count, figures.alliance_alerts.n) == (1, 3)


def test_off_track_clients_recovered(figures):
    # Off track at some rating: R1, R2, R4. Only R1 ends on track.
    r = figures.off_track_recovered
    assert (r.count, r.n) == (1, 3)
    assert r.pct == pytest.approx(100 / 3)
    facts = [client_facts(x) for x in CASELOAD[:4]]
    assert [f.off_track_ever for f in facts] == [True, True, False, True]
    assert [f.recovered for f in facts] == [True, False, False, False]


def test_precomputed_facts_give_the_same_figures(figures):
    facts = [client_facts(r) for r in CASELOAD]
    assert practice_figures(CASELOAD, facts=facts) == figures


def test_no_clients_gives_no_figures():
    empty = practice_figures([])
    assert empty.included == 0
    assert empty.effect_size.value is None and empty.effect_size.low is None
    assert empty.reliable_improvement.pct is None
    assert empty.mean_alliance.value is None


# --- The fast reading holds to assess -------------------------------------------------------------

totals = st.integers(0, 400).map(lambda t: t / 10)
groups = st.sampled_from(["adult", "adolescent", "child"])


@settings(max_examples=300)
@given(st.lists(totals, min_size=2, max_size=30), groups)
def test_off_track_by_rating_is_what_assess_says_at_each_rating(ors, group):
    fast = off_track_by_rating(ors, group, DEFAULT_SETTINGS, PUBLISHED_MODEL)
    slow = [
        assess(ors[:k], age_group=group).status in ("off_track", "deteriorated")
        for k in range(2, len(ors) + 1)
    ]
    assert fast == slow


@settings(max_examples=300)
@given(st.lists(totals, min_size=1, max_size=20), groups)
def test_alliance_alert_by_rating_is_what_assess_flags_at_each_rating(srs, group):
    fast = alliance_alert_by_rating(srs, DEFAULT_SETTINGS)
    slow = [
        "alliance_alert" in assess([20.0], srs[:k], group).flags for k in range(1, len(srs) + 1)
    ]
    assert fast == slow
