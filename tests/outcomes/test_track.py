"""Meeting numbers in the reasons, where "off track" begins, and what gets a rater back on track.

The worked examples are done by hand from KOR-REFERENCE.md's adult short-term coefficients:
    I = 20.192794, L = 3.391172, Q = -0.51855, C = 0.027243 (and d = intake - 20 = 0 here)
    ETR(2) = I + L + Q + C                 = 23.092659
    ETR(3) = I + 2 L + 4 Q + 8 C           = 25.118882
    ETR(4) = I + 3 L + 9 Q + 27 C          = 26.434921
"""

import pytest

from kor.outcomes import OutcomeSettings, assess, next_rating, off_track_threshold

ETR2, ETR3, ETR4 = 23.092659, 25.118882, 26.434921


def test_the_reasons_name_the_meeting_the_user_sees():
    # Three ratings given at meetings 1, 3 and 5 (the client declined in meetings 2 and 4):
    # the rule counts three ratings (ETR(3)), the text names meeting 5, where the chart has it.
    # 1.0 / 5.118882 = 19.5 % of the expected change.
    result = assess([20.0, 20.0, 21.0], meetings=[1, 3, 5])
    assert result.status == "off_track"
    assert result.meetings == 3
    assert result.expected == pytest.approx(ETR3)
    assert result.reasons[0].nb.startswith("ORS 21,0 ved møte 5 er 20 % av forventet endring")
    assert result.reasons[0].en.startswith("ORS 21.0 at meeting 5 is 20% of the expected change")


def test_every_text_that_names_a_meeting_uses_the_numbers_given():
    below = assess([20.0, 21.0], meetings=[2, 4])
    assert "ved møte 4" in below.reasons[0].nb
    on = assess([20.0, 26.0, 27.0], meetings=[1, 2, 7])
    assert (
        on.reasons_in("en")[0] == "On track: ORS 27.0 is 1.9 above the expected 25.1 at meeting 7."
    )
    assert on.reasons_in("en")[-1].endswith("reached at meeting 7 (from 20.0 towards 25.1).")


def test_without_meeting_numbers_the_kth_rating_is_meeting_k():
    result = assess([20.0, 20.0, 21.0])
    assert "at meeting 3 " in result.reasons[0].en


def test_the_meeting_numbers_must_match_the_ratings():
    with pytest.raises(ValueError, match="2 meeting numbers for 3 ORS totals"):
        assess([20.0, 20.0, 21.0], meetings=[1, 2])


def test_the_off_track_threshold_is_half_the_expected_change():
    # intake + 0.5 * (ETR - intake), by hand:
    assert off_track_threshold(20.0, 20.0) == 20.0
    assert off_track_threshold(20.0, ETR2) == pytest.approx(21.5463295)
    assert off_track_threshold(20.0, ETR3) == pytest.approx(22.559441)
    assert off_track_threshold(20.0, ETR4) == pytest.approx(23.2174605)
    # a service that sets the line at 40 %: 20 + 0.4 * 5.118882
    forty = OutcomeSettings(off_track_percent=40.0)
    assert off_track_threshold(20.0, ETR3, forty) == pytest.approx(22.0475528)


def test_where_no_change_is_expected_the_band_closes():
    assert off_track_threshold(31.5, 31.0) == 31.0


def test_the_next_rating_needs_half_the_expected_change_to_leave_off_track():
    # Intake 20, then 20 and 20: off track at rating 3. The 4th rating is expected at 26.434921;
    # half the change is 20 + 3.2174605 = 23.2174605, so 23.3 is the lowest total (in tenths)
    # that is not off track (23.2 would be 49.7 %). On track needs the expected 26.434921, so
    # 26.5, and a reliable change from the 4th rating (20 + 6.0 = 26.0), which 26.5 already is.
    step = next_rating([20.0, 20.0, 20.0], meeting=6)
    assert step is not None
    assert step.rating == 4 and step.meeting == 6
    assert step.expected == pytest.approx(ETR4)
    assert step.leaves_off_track == 23.3
    assert step.on_track == 26.5
    assert step.reason.nb == (
        "Ved neste møte (møte 6) trengs ORS på minst 23,3 for å komme ut av «ikke i rute» "
        "(50 % av forventet endring fra 20,0 til 26,4), og minst 26,5 for å være i rute."
    )
    assert step.reason.en.startswith(
        "At the next meeting (meeting 6), ORS needs to be at least 23.3"
    )


def test_the_figures_change_the_status_exactly_where_they_say():
    step = next_rating([20.0, 20.0, 20.0])
    assert assess([20.0, 20.0, 20.0, 23.2]).status == "off_track"
    assert assess([20.0, 20.0, 20.0, 23.3]).status == "at_risk"
    assert assess([20.0, 20.0, 20.0, 26.4]).status == "at_risk"
    assert assess([20.0, 20.0, 20.0, step.on_track]).status == "on_track"


def test_a_reliable_change_can_be_the_higher_bar():
    # Intake 30 (d = 10): the model expects little gain at the 4th rating, so being on track
    # needs the reliable change 30 + 6 = 36.0 rather than the expected value.
    step = next_rating([30.0, 29.0, 29.0])
    assert step is not None
    assert step.expected < 36.0
    assert step.on_track == 36.0
    assert assess([30.0, 29.0, 29.0, 36.0]).status == "on_track"
    assert assess([30.0, 29.0, 29.0, 35.9]).status == "at_risk"


def test_no_figure_where_the_model_does_not_apply():
    assert next_rating([34.0, 30.0]) is None  # high intake
    assert next_rating([2.0, 3.0], age_group="young_child") is None
    assert next_rating([20.0]) is None  # the 2nd rating is never off track
