import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kor.outcomes import ScoreError, assess, total, validate_items

# How bad a status is, for "a higher latest score never gives a worse status".
SEVERITY = {
    "intake": 0,
    "high_intake": 0,
    "on_track": 0,
    "at_risk": 1,
    "off_track": 2,
    "deteriorated": 3,
}

items = st.integers(0, 100).map(lambda t: t / 10)
totals = st.integers(0, 400).map(lambda t: t / 10)
groups = st.sampled_from(["adult", "adolescent", "child"])
series = st.lists(totals, min_size=1, max_size=30)

bad_values = st.one_of(
    st.integers(401, 10_000).map(lambda t: t / 10),  # above 40.0
    st.integers(-10_000, -1).map(lambda t: t / 10),  # below 0.0
    st.sampled_from([math.nan, math.inf, -math.inf, None, True, "", "ten", "4o"]),
    st.integers(0, 3999).filter(lambda h: h % 10).map(lambda h: h / 100),  # two decimals
)


@given(st.lists(items, min_size=4, max_size=4), st.sampled_from(["ORS", "SRS", "CORS", "CSRS"]))
def test_totals_stay_within_0_and_40_and_equal_the_items(values, code):
    result = total(code, values)
    assert 0.0 <= result <= 40.0
    assert result == round(sum(validate_items(code, values)), 1)
    assert result * 10 == round(result * 10)


@given(series, st.lists(totals, max_size=30), groups)
def test_assess_is_deterministic(ors, srs, group):
    first, second = assess(ors, srs, group), assess(ors, srs, group)
    assert first.to_dict() == second.to_dict()
    assert first.status in SEVERITY
    assert first.percent_of_expected is None or 0.0 <= first.percent_of_expected <= 100.0


@settings(max_examples=300)
@given(series.filter(lambda s: len(s) >= 2), st.integers(1, 400), groups)
def test_a_higher_latest_score_never_gives_a_worse_status(ors, raise_by, group):
    higher = round(ors[-1] * 10) + raise_by
    assume(higher <= 400)
    better = [*ors[:-1], higher / 10]
    assert (
        SEVERITY[assess(better, age_group=group).status]
        <= SEVERITY[assess(ors, age_group=group).status]
    )


@given(series, st.data(), bad_values)
def test_a_bad_total_always_raises_the_typed_error(ors, data, bad):
    at = data.draw(st.integers(0, len(ors)))
    broken = [*ors[:at], bad, *ors[at:]]
    try:
        assess(broken)
    except ScoreError as error:
        assert error.code in {
            "missing",
            "not_a_number",
            "not_finite",
            "out_of_range",
            "too_many_decimals",
        }
        assert error.message("nb") and error.message("en")
    else:
        raise AssertionError(f"accepted {bad!r}")


@given(st.lists(items, min_size=4, max_size=4), st.integers(0, 3), bad_values)
def test_a_bad_item_always_raises_the_typed_error(values, at, bad):
    values[at] = bad
    try:
        validate_items("ORS", values)
    except ScoreError as error:
        assert error.field == ("individually", "interpersonally", "socially", "overall")[at]
    else:
        raise AssertionError(f"accepted {bad!r}")


@given(series, st.lists(totals, max_size=30))
def test_flags_are_only_the_two_known_ones(ors, srs):
    assert assess(ors, srs).flags <= {"alliance_alert", "erratic"}
