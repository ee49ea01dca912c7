import json

import pytest

from kor.outcomes import DEFAULT_SETTINGS, OutcomeSettings


def test_the_defaults_are_the_references():
    s = DEFAULT_SETTINGS
    assert (s.cutoff("adult"), s.cutoff("adolescent"), s.cutoff("child")) == (25.0, 28.0, 28.0)
    assert s.cutoff("young_child") is None
    assert (s.rci, s.srs_cutoff, s.srs_drop, s.off_track_percent) == (6.0, 36.0, 1.0, 50.0)
    assert (s.at_risk_no_change_after, s.erratic_jump, s.erratic_count) == (4, 6.0, 4)
    assert (s.high_intake_above, s.short_model_max_ratings) == (32.0, 12)


def test_a_service_overrides_some_settings_as_json():
    stored = json.dumps({"rci": 5.0, "cutoff_child": 32.0})
    s = OutcomeSettings.from_dict(json.loads(stored))
    assert (s.rci, s.cutoff("child"), s.cutoff("adult")) == (5.0, 32.0, 25.0)
    assert OutcomeSettings.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    assert OutcomeSettings.from_dict(None) == DEFAULT_SETTINGS


def test_it_rejects_unknown_or_impossible_settings():
    with pytest.raises(ValueError, match="unknown outcome settings: rcx"):
        OutcomeSettings.from_dict({"rcx": 5})
    with pytest.raises(ValueError, match="rci"):
        OutcomeSettings(rci=0)
    with pytest.raises(ValueError, match="cutoff_adult"):
        OutcomeSettings(cutoff_adult=41)
    with pytest.raises(ValueError, match="erratic_count"):
        OutcomeSettings(erratic_count=3.5)
    with pytest.raises(TypeError, match="srs_cutoff"):
        OutcomeSettings.from_dict({"srs_cutoff": "36"})
