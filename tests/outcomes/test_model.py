import json

import pytest

from kor.outcomes import PUBLISHED_MODEL, EtrModel, expected_trajectory, is_high_intake, target


def rounded(values):
    return [round(v, 1) for v in values]


def test_it_reproduces_the_worked_example_for_intake_20():
    assert rounded(expected_trajectory(20, "adult", 6)) == [20.0, 23.1, 25.1, 26.4, 27.2, 27.6]


def test_it_reproduces_the_worked_example_for_intake_8():
    assert rounded(expected_trajectory(8, "adult", 6)) == [8.0, 14.3, 18.1, 20.5, 21.7, 22.2]


def test_element_0_is_the_intake_and_values_are_not_rounded():
    etr = expected_trajectory(20, "adult", 2)
    assert etr[0] == 20.0
    assert etr[1] == pytest.approx(20.192794 + 3.391172 - 0.51855 + 0.027243, abs=1e-12)


def test_the_short_model_flattens_after_meeting_10():
    etr = expected_trajectory(15, "adolescent", 12)
    assert etr[9] == etr[10] == etr[11]  # i = min(m - 1, 9) for m = 10, 11, 12
    assert etr[8] != etr[9]


def test_the_long_model_applies_from_13_ratings():
    short = expected_trajectory(20, "adult", 12)
    long = expected_trajectory(20, "adult", 13)
    c = PUBLISHED_MODEL.adult_long
    assert long[1] == pytest.approx(c.I + c.L + c.Q + c.C)
    assert short[1] != pytest.approx(long[1])
    flat = expected_trajectory(20, "adult", 30)
    assert flat[22] == flat[29]  # long model flattens at i = 22, meeting 23


def test_child_and_adolescent_share_the_youth_model():
    assert expected_trajectory(10, "child", 6) == expected_trajectory(10, "adolescent", 6)
    assert expected_trajectory(10, "child", 6) != expected_trajectory(10, "adult", 6)


def test_young_children_have_no_trajectory():
    with pytest.raises(ValueError, match="young children"):
        expected_trajectory(3, "young_child", 4)


def test_it_rejects_a_meeting_count_below_1():
    with pytest.raises(ValueError, match="meetings"):
        expected_trajectory(20, "adult", 0)


def test_the_target_is_the_polynomial_at_target_flatten():
    assert round(target(20, "adult"), 1) == 27.6  # short model: i = 5, meeting 6
    assert target(20, "adult") == expected_trajectory(20, "adult", 6)[5]
    c = PUBLISHED_MODEL.youth_long
    assert target(20, "child", ratings=13) == pytest.approx(c.at(20, 22))


def test_high_intake_is_above_32():
    assert not is_high_intake(32.0)
    assert is_high_intake(32.1)


def test_a_model_survives_json():
    stored = json.loads(json.dumps(PUBLISHED_MODEL.to_dict()))
    assert EtrModel.from_dict(stored) == PUBLISHED_MODEL
    with pytest.raises(ValueError, match="youth_long"):
        EtrModel.from_dict({k: v for k, v in stored.items() if k != "youth_long"})
