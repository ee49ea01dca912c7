import pytest

from kor.outcomes import (
    INSTRUMENTS,
    ScoreError,
    age_group_for,
    alliance_instrument,
    from_tenths,
    instrument,
    outcome_instrument,
    to_tenths,
    total,
    validate_items,
)


@pytest.mark.parametrize(
    ("age", "group"),
    [
        (0, "young_child"),
        (5, "young_child"),
        (6, "child"),
        (12, "child"),
        (13, "adolescent"),
        (17, "adolescent"),
        (18, "adult"),
        (90, "adult"),
    ],
)
def test_it_picks_the_age_group_at_the_boundaries(age, group):
    assert age_group_for(age) == group


@pytest.mark.parametrize("age", [-1, 12.5, "18", True])
def test_it_rejects_an_age_that_is_not_whole_years(age):
    with pytest.raises(ValueError, match="age"):
        age_group_for(age)


def test_it_picks_the_forms_for_each_age_group():
    assert [outcome_instrument(g) for g in ("adult", "adolescent", "child", "young_child")] == [
        "ORS",
        "ORS",
        "CORS",
        "YCORS",
    ]
    assert [alliance_instrument(g) for g in ("adult", "adolescent", "child", "young_child")] == [
        "SRS",
        "SRS",
        "CSRS",
        "YCSRS",
    ]
    assert alliance_instrument("adult", group_meeting=True) == "GSRS"
    assert alliance_instrument("child", group_meeting=True) == "CSRS"


def test_the_forms_carry_items_labels_and_codes():
    assert set(INSTRUMENTS) == {"ORS", "SRS", "CORS", "CSRS", "GSRS", "YCORS", "YCSRS"}
    ors = instrument("ORS")
    assert ors.kind == "outcome" and ors.snomed == "716613004"
    assert [i.label_nb for i in ors.items] == [
        "Individuelt",
        "Mellommenneskelig",
        "Sosialt",
        "Generelt",
    ]
    assert [i.label_en for i in instrument("SRS").items][1] == "Goals and topics"
    assert [i.label_nb for i in instrument("CSRS").items] == [
        "Lyttet",
        "Hvor viktig",
        "Det vi gjorde",
        "Alt i alt",
    ]
    assert {c: INSTRUMENTS[c].snomed for c in ("SRS", "CORS", "CSRS", "GSRS", "YCORS")} == {
        "SRS": "720482000",
        "CORS": "718458005",
        "CSRS": "718762000",
        "GSRS": "718441000",
        "YCORS": "718461006",
    }
    for code in ("ORS", "SRS", "CORS", "CSRS", "GSRS"):
        form = INSTRUMENTS[code]
        assert len(form.items) == 4 and (form.min, form.max, form.total_max) == (0.0, 10.0, 40.0)
        assert form.trajectories
    for code in ("YCORS", "YCSRS"):
        form = INSTRUMENTS[code]
        assert len(form.items) == 1 and (form.min, form.max) == (1.0, 4.0)
        assert not form.trajectories


def test_it_validates_items_in_order_or_by_key():
    assert validate_items("ORS", [5, "7,5", 10.0, "0.0"]) == (5.0, 7.5, 10.0, 0.0)
    by_key = {"individually": 1.1, "interpersonally": 2.2, "socially": 3.3, "overall": 4.4}
    assert validate_items("ORS", by_key) == (1.1, 2.2, 3.3, 4.4)


def test_the_total_is_computed_from_the_items_without_float_drift():
    # 0.1 + 0.2 in floats is 0.30000000000000004; in tenths it is exact
    assert total("SRS", [0.1, 0.2, 9.9, 9.9]) == 20.1
    assert total("ORS", [10, 10, 10, 10]) == 40.0


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ([5, 5, 5], "overall", "missing"),
        ([5, None, 5, 5], "interpersonally", "missing"),
        ([5, "five", 5, 5], "interpersonally", "not_a_number"),
        ([5, 5, True, 5], "socially", "not_a_number"),
        ([5, 5, float("nan"), 5], "socially", "not_finite"),
        ([5, 5, 5, float("inf")], "overall", "not_finite"),
        ([10.1, 5, 5, 5], "individually", "out_of_range"),
        ([5, 5, 5, 10**400], "overall", "out_of_range"),
        ([-0.1, 5, 5, 5], "individually", "out_of_range"),
        ([5, 5.25, 5, 5], "interpersonally", "too_many_decimals"),
        ([5, 5, 5, 5, 5], "ORS", "too_many_items"),
        ({"individually": 1, "mood": 2}, "mood", "unknown_item"),
        ({"individually": 1, "socially": 2, "overall": 3}, "interpersonally", "missing"),
    ],
)
def test_it_rejects_bad_items_with_a_typed_error(values, field, code):
    with pytest.raises(ScoreError) as caught:
        validate_items("ORS", values)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert isinstance(caught.value, ValueError)


def test_the_error_reads_in_both_languages():
    with pytest.raises(ScoreError) as caught:
        validate_items("ORS", [5, 5, 12.5, 5])
    error = caught.value
    assert error.message("en") == "socially: 12.5 is outside 0.0-10.0."
    assert error.message("nb") == "socially: 12,5 er utenfor 0,0–10,0."
    assert str(error) == error.message_en


def test_young_child_forms_take_a_whole_number_from_1_to_4():
    assert validate_items("YCORS", [3]) == (3.0,)
    for bad, code in ((0, "out_of_range"), (5, "out_of_range"), (2.5, "too_many_decimals")):
        with pytest.raises(ScoreError) as caught:
            validate_items("YCORS", [bad])
        assert caught.value.code == code


def test_it_converts_items_to_and_from_the_stored_tenths():
    assert [to_tenths(x) for x in (0, 0.1, 0.7, 5.5, 10)] == [0, 1, 7, 55, 100]
    assert [from_tenths(n) for n in (0, 1, 7, 55, 100)] == [0.0, 0.1, 0.7, 5.5, 10.0]
    with pytest.raises(ScoreError):
        to_tenths(10.5)
    with pytest.raises(TypeError):
        from_tenths(5.5)


def test_it_names_an_unknown_form():
    with pytest.raises(ValueError, match="unknown instrument 'XYZ'"):
        validate_items("XYZ", [1, 2, 3, 4])
