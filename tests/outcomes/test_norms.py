import json

import pytest

from kor.outcomes import (
    PUBLISHED_MODEL,
    EtrModel,
    NormsError,
    RaterSeries,
    assess,
    expected_trajectory,
    fit_norms,
    summarize,
)
from kor.outcomes.synthetic import synthetic_raters


def own_model():
    """A model that differs from the published one, so recovering it proves the fit."""
    sets = {}
    for key, c in PUBLISHED_MODEL.sets().items():
        sets[key] = type(c)(
            **{
                **{name: getattr(c, name) for name in c.__slots__},
                "I": c.I - 1.5,
                "L": c.L * 1.2,
                "Ix": c.Ix * 0.9,
            }
        )
    return EtrModel("truth", **sets)


def test_it_recovers_known_coefficients_exactly_from_noise_free_data():
    truth = own_model()
    model, report = fit_norms(synthetic_raters(3000, truth, seed=3, noise=0.0, round_scores=False))
    for key, c in model.sets().items():
        assert c.vector() == pytest.approx(truth.sets()[key].vector(), abs=1e-8)
        assert (c.flatten, c.target_flatten) == (
            truth.sets()[key].flatten,
            truth.sets()[key].target_flatten,
        )
    assert all(fit.fitted for fit in report.sets)


def test_it_recovers_known_coefficients_from_noisy_rounded_scores():
    truth = own_model()
    model, report = fit_norms(synthetic_raters(20_000, truth, seed=4, noise=3.0))
    for intake in (5.0, 12.5, 20.0, 28.0):
        for group, meetings in (("adult", 8), ("adult", 20), ("child", 8), ("adolescent", 20)):
            fitted = expected_trajectory(intake, group, meetings, model)
            known = expected_trajectory(intake, group, meetings, truth)
            assert fitted == pytest.approx(known, abs=0.3)
    for fit in report.sets:
        assert fit.residual_sd == pytest.approx(3.0, abs=0.1)
    assert pytest.approx(truth.adult_short.I, abs=0.5) == model.adult_short.I
    assert model.adult_short.Ix == pytest.approx(truth.adult_short.Ix, abs=0.05)


def test_the_calibration_report_checks_the_25th_percentile_band():
    _, report = fit_norms(synthetic_raters(5000, seed=5, noise=4.0))
    assert report.raters == 5000
    assert report.share_below == pytest.approx(0.25, abs=0.02)
    first = report.meetings[0]
    assert first.meeting == 2 and first.n == 5000  # every rater has a second rating
    assert first.residual_sd == pytest.approx(4.0, abs=0.3)
    assert [m.meeting for m in report.meetings] == sorted(m.meeting for m in report.meetings)
    json.dumps(report.to_dict())


def test_it_refuses_below_the_minimum_sample():
    raters = synthetic_raters(199, seed=6)
    with pytest.raises(NormsError) as caught:
        fit_norms(raters)
    assert str(caught.value).startswith("Own norms need at least 200 raters")
    assert "there are 199" in str(caught.value)
    assert "det er 199" in caught.value.message("nb")


def test_single_ratings_and_high_intakes_do_not_count_towards_the_minimum():
    raters = synthetic_raters(200, seed=6)
    extra = [RaterSeries([15.0]), RaterSeries([34.0, 36.0]), RaterSeries([2, 3], "young_child")]
    fit_norms(raters, min_set_raters=10)
    with pytest.raises(NormsError, match="there are 199"):
        fit_norms(raters[:199] + extra)


def test_a_set_without_enough_data_keeps_the_base_coefficients():
    adults = [r for r in synthetic_raters(3000, seed=8) if r.age_group == "adult"]
    model, report = fit_norms(adults)
    assert model.youth_short == PUBLISHED_MODEL.youth_short
    assert model.youth_long == PUBLISHED_MODEL.youth_long
    kept = {fit.key: fit for fit in report.sets if not fit.fitted}
    assert set(kept) == {"youth_short", "youth_long"}
    assert "kept the base coefficients" in kept["youth_short"].note


def test_the_fitted_model_works_wherever_the_published_one_does():
    model, _ = fit_norms(synthetic_raters(1000, seed=9), name="Familiehjelpa 2026")
    stored = EtrModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert stored == model
    result = assess([20.0, 24.0, 26.0], model=stored)
    assert result.model_name == "Familiehjelpa 2026"
    assert summarize(synthetic_raters(50, seed=10), model=stored).model_name == "Familiehjelpa 2026"
    assert len(expected_trajectory(20.0, "child", 15, stored)) == 15
