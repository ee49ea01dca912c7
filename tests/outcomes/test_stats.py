import json
from datetime import date

import pytest

from kor.outcomes import RaterSeries, ScoreError, assess, change_histogram, summarize, target
from kor.outcomes.synthetic import synthetic_raters

ALICE = RaterSeries([20.0, 24.0, 28.0], "adult", date(2026, 1, 5), date(2026, 3, 2), "mutual")
BOB = RaterSeries([10.0, 12.0], "adult", date(2026, 1, 5), date(2026, 1, 19), "dropout")
CHARLIE = RaterSeries([30.0, 22.0], "adolescent", end_reason="referred", meetings=4)
LEFT_OUT = [
    RaterSeries([15.0], "adult"),  # one rating
    RaterSeries([33.0, 35.0], "adult"),  # high intake
    RaterSeries([2, 3, 4], "young_child"),  # young child
]


def test_it_counts_who_was_included_and_why_others_were_not():
    summary = summarize([ALICE, BOB, CHARLIE, *LEFT_OUT])
    assert (summary.total, summary.included) == (6, 3)
    assert summary.excluded == {"young_child": 1, "one_rating": 1, "high_intake": 1}


def test_it_computes_the_reference_statistics():
    s = summarize([ALICE, BOB, CHARLIE, *LEFT_OUT])
    assert s.mean_intake == pytest.approx(20.0)
    assert s.mean_last == pytest.approx((28 + 12 + 22) / 3)
    assert s.mean_meetings == pytest.approx((3 + 2 + 4) / 3)
    assert s.mean_days == pytest.approx((56 + 14) / 2)  # Charlie has no dates
    # pre-post: mean change 2/3 over the SD of the intakes (10, 20, 30 -> 10)
    assert s.effect_size == pytest.approx((8 + 2 - 8) / 3 / 10)
    goals = [target(20, "adult"), target(10, "adult"), target(30, "adolescent")]
    saes = ((28 - goals[0]) / 7.75 + (12 - goals[1]) / 7.75 + (22 - goals[2]) / 7.25) / 3
    assert s.saes == pytest.approx(saes)
    assert (s.reliable_improvement, s.clinically_significant) == (1, 1)  # Alice
    assert (s.reliable_deterioration, s.reached_target) == (1, 1)  # Charlie; Alice
    assert s.pct_reliable_improvement == pytest.approx(100 / 3)
    assert s.pct_reliable_deterioration == pytest.approx(100 / 3)
    # Bob ended it himself short of his target; Charlie was referred, which is not a dropout
    assert (s.dropouts, s.with_end_reason, s.dropout_pct) == (1, 3, pytest.approx(100 / 3))


def test_undefined_figures_are_none():
    empty = summarize([])
    assert (empty.total, empty.included, empty.mean_intake, empty.effect_size) == (0, 0, None, None)
    assert empty.pct_reliable_improvement is None and empty.dropout_pct is None
    same_intake = summarize([RaterSeries([20.0, 25.0]), RaterSeries([20.0, 22.0])])
    assert same_intake.effect_size is None  # SD of the intakes is 0
    assert same_intake.mean_days is None and same_intake.dropout_pct is None


def test_it_agrees_with_assess_rater_by_rater():
    raters = synthetic_raters(2000, seed=7, noise=5.0)
    summary = summarize(raters)
    results = [assess(r.ors, age_group=r.age_group) for r in raters]
    included = [a for a in results if a.intake <= 32]
    assert summary.included == len(included)
    assert summary.reliable_improvement == sum(a.reliable_change for a in included)
    assert summary.clinically_significant == sum(a.clinically_significant for a in included)
    assert summary.reliable_deterioration == sum(a.deteriorated for a in included)
    assert summary.reached_target == sum(a.target_reached for a in included)


def test_tuples_of_scores_and_age_group_are_accepted():
    assert summarize([([20.0, 27.0], "adult")]).reliable_improvement == 1


def test_it_rejects_bad_records():
    with pytest.raises(ScoreError, match="rater 1: last score 45 is outside"):
        summarize([ALICE, RaterSeries([20.0, 45.0])])
    with pytest.raises(ValueError, match="unknown age group"):
        summarize([RaterSeries([20.0, 25.0], "senior")])
    with pytest.raises(ValueError, match="unknown end reason"):
        summarize([RaterSeries([20.0, 25.0], end_reason="moved")])


def test_the_summary_is_json_ready():
    data = json.loads(json.dumps(summarize([ALICE, BOB]).to_dict()))
    assert data["included"] == 2 and data["model_name"] == "PCOMS/BON 2023"
    assert data["settings"]["rci"] == 6.0


def test_it_exposes_the_change_of_every_included_rater_and_only_theirs():
    summary = summarize(
        [
            ([20.0, 30.0], "adult"),
            ([24.0, 16.0], "adult"),
            ([18.0], "adult"),  # one rating: left out
            ([33.0, 38.0], "adult"),  # high intake: left out
            ([2.0, 4.0], "young_child"),  # never counted
        ]
    )
    assert summary.included == 2
    assert summary.changes == (-8.0, 10.0)


def test_it_bins_the_changes_once_for_every_chart():
    bins = change_histogram([-8.0, -0.5, 0.0, 1.9, 6.0, 10.0, 10.0], rci=6.0)
    assert [(b.start, b.end, b.count, b.kind) for b in bins] == [
        (-8.0, -6.0, 1, "deteriorated"),
        (-2.0, 0.0, 1, "neither"),
        (0.0, 2.0, 2, "neither"),
        (6.0, 8.0, 1, "improved"),
        (10.0, 12.0, 2, "improved"),
    ]
