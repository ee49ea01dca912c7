"""The words the client reads on each form are data: complete for every form and item in both
languages, and a service's own (licensed) text replaces only what it names."""

from __future__ import annotations

import pytest

from kor.outcomes import INSTRUMENTS
from kor.outcomes.wording import DEFAULT_WORDING, WordingError, check_overrides, wording


@pytest.mark.parametrize("code", sorted(INSTRUMENTS))
def test_every_form_has_an_instruction_and_words_at_both_ends_of_every_line(code):
    form = wording(code)
    assert form.instruction.nb.strip() and form.instruction.en.strip()
    assert list(form.items) == list(INSTRUMENTS[code].item_keys)
    for ends in form.items.values():
        for text in (ends.low, ends.high):
            assert text.nb.strip() and text.en.strip()
    assert form.licensed is False


@pytest.mark.parametrize(
    "code, time_frame",
    [("ORS", "den siste uka"), ("CORS", "den siste uka"), ("SRS", "møtet i dag")],
)
def test_the_instruction_names_the_time_frame(code, time_frame):
    assert time_frame in wording(code).instruction.nb


def test_a_services_own_text_replaces_only_what_it_names():
    own = {"SRS": {"items": {"relationship": {"low": {"nb": "Egen tekst"}}}}}
    form = wording("SRS", check_overrides(own))
    assert form.items["relationship"].low.nb == "Egen tekst"
    assert form.items["relationship"].low.en == DEFAULT_WORDING["SRS"].items["relationship"].low.en
    assert form.items["overall"] == DEFAULT_WORDING["SRS"].items["overall"]
    assert form.instruction == DEFAULT_WORDING["SRS"].instruction
    assert form.licensed is True
    assert wording("ORS", own) is DEFAULT_WORDING["ORS"]


@pytest.mark.parametrize(
    "bad, where",
    [
        ([], "object keyed by form code"),
        ({"XYZ": {}}, "XYZ: unknown form"),
        ({"ORS": {"title": {}}}, "only 'instruction' and 'items'"),
        ({"ORS": {"items": {"nope": {}}}}, "ORS.items.nope: unknown item"),
        ({"ORS": {"items": {"overall": {"middle": {}}}}}, "only 'low' and 'high'"),
        ({"ORS": {"instruction": {"de": "x"}}}, "ORS.instruction"),
        ({"ORS": {"instruction": {"nb": " "}}}, "ORS.instruction.nb: must be a non-empty"),
    ],
)
def test_wording_that_does_not_fit_the_forms_is_refused_with_where(bad, where):
    with pytest.raises(WordingError, match=where):
        check_overrides(bad)
