import json
from dataclasses import replace

import pytest

from kor.outcomes import PUBLISHED_MODEL, OutcomeSettings, ScoreError, assess


def codes(result):
    return [r.code for r in result.reasons]


def test_one_rating_is_intake():
    result = assess([20.0])
    assert result.status == "intake"
    assert result.expected == 20.0  # ETR(1) is the intake
    assert result.percent_of_expected is None
    assert result.reasons_in("en") == [
        "First rating: ORS 20.0. Expected change is measured from this starting point."
    ]


def test_an_intake_above_32_is_high_intake():
    result = assess([34.0, 33.0])
    assert result.status == "high_intake"
    assert result.expected is None and result.target is None
    assert str(result.reasons[0]) == (
        "Intake ORS 34.0 is above 32.0: the expected-change model does not apply."
    )
    assert result.reasons[0].nb == (
        "Første ORS 34,0 er over 32,0: modellen for forventet endring gjelder ikke."
    )


def test_an_intake_of_exactly_32_still_gets_a_trajectory():
    assert assess([32.0, 33.0]).status != "high_intake"


def test_a_drop_of_exactly_the_rci_is_deterioration():
    result = assess([20.1, 14.1])  # 6.0 in floats would be 5.999...; tenths are exact
    assert result.status == "deteriorated"
    assert result.deteriorated
    assert result.reasons[0].en == (
        "Reliable deterioration: ORS 14.1 is 6.0 below the first score 20.1 (6.0 or more)."
    )


def test_deterioration_comes_before_high_intake():
    assert assess([36.0, 29.0]).status == "deteriorated"


def test_little_change_by_meeting_3_is_off_track():
    result = assess([20.0, 21.0, 21.0])  # expected 25.1 at meeting 3: 1.0 of 5.1 is 20 %
    c = PUBLISHED_MODEL.adult_short
    etr3 = c.I + 2 * c.L + 4 * c.Q + 8 * c.C  # d = 0, i = 2
    assert result.status == "off_track"
    assert result.expected == pytest.approx(etr3)
    assert result.percent_of_expected == pytest.approx(100 / (etr3 - 20.0))
    assert result.reasons[0].en == (
        "ORS 21.0 at meeting 3 is 20% of the expected change (from 20.0 to 25.1); below 50%."
    )
    assert result.reasons[0].nb == (
        "ORS 21,0 ved møte 3 er 20 % av forventet endring (fra 20,0 til 25,1); under 50 %."
    )


def test_off_track_needs_three_ratings():
    assert assess([20.0, 20.0]).status == "at_risk"


def test_below_the_expected_score_is_at_risk():
    result = assess([8.0, 12.0, 16.0, 14.4])  # expected 20.5 at meeting 4; 51 % of the change
    assert result.status == "at_risk"
    assert result.expected == pytest.approx(20.49, abs=0.01)
    assert result.reasons[0].en == "ORS 14.4 is 6.1 below the expected 20.5 at meeting 4."
    assert result.reasons[0].nb == "ORS 14,4 er 6,1 under forventet 20,5 ved møte 4."


def test_no_reliable_change_by_meeting_4_is_at_risk():
    result = assess([30.0, 31.0, 31.5, 32.0])  # above the expected 31.4, but only 2.0 of 6.0
    assert result.status == "at_risk"
    assert result.percent_of_expected == 100.0
    assert result.reasons[0].en == (
        "No reliable change after 4 ratings: ORS 32.0 is 2.0 above the first score 30.0 "
        "(reliable change is 6.0 or more)."
    )


def test_at_or_above_expected_is_on_track():
    result = assess([20.0, 24.0, 26.0, 27.0])
    assert result.status == "on_track"
    assert result.reasons[0].en == "On track: ORS 27.0 is 0.6 above the expected 26.4 at meeting 4."


def test_off_track_is_not_applied_when_no_change_is_expected():
    # A service's own norms may expect no gain for a high intake: ETR(n) - s1 <= 0
    flat = replace(PUBLISHED_MODEL.adult_short, L=0.0, Q=0.0, C=0.0, Lx=0.0, Qx=0.0, Cx=0.0)
    model = replace(PUBLISHED_MODEL, name="flat", adult_short=flat)
    result = assess([31.0, 30.0, 30.0], model=model)
    assert result.expected is not None and result.expected <= 31.0
    assert result.percent_of_expected is None
    assert result.status == "at_risk"  # not off_track: 30.0 is simply below the expected 30.9
    assert result.reasons[0].en == "ORS 30.0 is 0.9 below the expected 30.9 at meeting 3."
    assert result.model_name == "flat"


def test_the_milestones_of_a_good_series():
    result = assess([20.0, 24.0, 26.0, 28.0])
    assert result.reliable_change and result.clinically_significant and result.target_reached
    assert not result.deteriorated
    assert result.target == pytest.approx(27.59, abs=0.01)
    assert result.percent_of_expected == 100.0
    assert codes(result) == [
        "on_track",
        "reliable_change",
        "clinically_significant",
        "target_reached",
        "percent_of_expected",
    ]
    assert result.reasons_in("nb")[2] == (
        "Klinisk betydningsfull endring: fra 20,0 (på eller under grensen 25,0) til 28,0 "
        "(over grensen), med pålitelig endring."
    )


def test_clinically_significant_needs_crossing_the_cutoff_for_the_age_group():
    assert assess([20.0, 27.0], age_group="adult").clinically_significant
    assert not assess([20.0, 27.0], age_group="adolescent").clinically_significant  # cut-off 28
    assert not assess([26.0, 33.0]).clinically_significant  # started above the cut-off


def test_a_low_alliance_raises_the_alert():
    result = assess([20.0, 24.0], srs=[35.9])
    assert result.flags == {"alliance_alert"}
    assert (
        "SRS 35.9 is below the cut-off 36.0: talk about the collaboration." in result.reasons_in()
    )


def test_a_drop_in_alliance_raises_the_alert():
    result = assess([20.0, 24.0], srs=[39.0, 38.0])
    assert result.flags == {"alliance_alert"}
    assert result.reasons_in("nb")[1] == "SRS falt 1,0 siden forrige møte (fra 39,0 til 38,0)."
    assert assess([20.0, 24.0], srs=[39.0, 38.1]).flags == set()


def test_children_are_rated_on_the_child_forms():
    result = assess([20.0, 24.0], srs=[30.0], age_group="child")
    assert result.status == "on_track"  # youth model: 23.6 expected at meeting 2
    assert (
        result.reasons[0].en == "On track: CORS 24.0 is 0.4 above the expected 23.6 at meeting 2."
    )
    assert (
        result.reasons[1].en == "CSRS 30.0 is below the cut-off 36.0: talk about the collaboration."
    )


def test_a_sawtooth_series_is_erratic():
    result = assess([20.0, 27.0, 20.0, 27.0, 20.0])
    assert "erratic" in result.flags
    assert "4 changes of 6.0 or more in alternating directions over 5 ratings" in str(
        result.reasons[-1]
    )


def test_big_moves_in_one_direction_are_not_erratic():
    assert "erratic" not in assess([2.0, 8.0, 14.0, 20.0, 26.0, 32.0]).flags
    assert "erratic" not in assess([20.0, 27.0, 20.0, 27.0]).flags  # 3 swings only


def test_young_children_are_recorded_but_not_evaluated():
    result = assess([2, 3, 1, 4], srs=[1], age_group="young_child")
    assert result.status == "intake"
    assert result.flags == set() and result.expected is None
    assert codes(result) == ["young_child"]
    with pytest.raises(ScoreError):
        assess([2, 7], age_group="young_child")


def test_a_service_can_change_the_rules():
    strict = OutcomeSettings(rci=5.0, off_track_percent=80.0)
    assert assess([20.0, 25.0]).reliable_change is False
    assert assess([20.0, 25.0], settings=strict).reliable_change is True
    assert assess([20.0, 23.0, 24.0], settings=strict).status == "off_track"


def test_the_result_is_json_ready_and_records_what_produced_it():
    data = json.loads(json.dumps(assess([20.0, 27.0, 20.0, 27.0, 20.0], [35.0]).to_dict()))
    assert data["flags"] == ["alliance_alert", "erratic"]
    assert data["model"] == "PCOMS/BON 2023"
    assert data["settings"]["rci"] == 6.0
    assert data["milestones"] == {
        "reliable_change": False,
        "clinically_significant": False,
        "deteriorated": False,
        "target_reached": False,
    }
    assert {"code", "nb", "en"} == set(data["reasons"][0])


@pytest.mark.parametrize(
    ("ors", "code"),
    [
        ([], "missing"),
        ([20.0, 41.0], "out_of_range"),
        ([20.0, "x"], "not_a_number"),
        ([20.0, float("nan")], "not_finite"),
        ([20.05], "too_many_decimals"),
        ("20", "not_a_number"),
    ],
)
def test_it_rejects_bad_totals(ors, code):
    with pytest.raises(ScoreError) as caught:
        assess(ors)
    assert caught.value.code == code


def test_it_accepts_totals_as_strings_and_float_noise():
    assert assess(["20,0", 3.1 + 3.2 + 14]).latest == 20.3


def test_it_rejects_an_unknown_age_group():
    with pytest.raises(ValueError, match="age group"):
        assess([20.0], age_group="senior")
