"""The forms the client sees: an instruction with its time frame and words at both ends of every
line, in bokmål and English, on the meeting page and in hand-over; a service's own licensed
wording where it has loaded one."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(login, alice):
    def _browser(lang: str):
        b = login(alice)
        b.cookies["django_language"] = lang
        return b

    return _browser


@pytest.mark.parametrize(
    "lang, outcome, alliance, low, high",
    [
        ("nb", "Tenk på den siste uka", "Tenk på møtet i dag", "0: Svært dårlig", "10: Svært bra"),
        (
            "en",
            "Think about the last week",
            "Think about today&#x27;s meeting",
            "0: Very badly",
            "10: Very well",
        ),
    ],
)
def test_the_meeting_page_shows_instructions_and_line_end_words(
    browser, meeting, lang, outcome, alliance, low, high
):
    html = browser(lang).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    rater = meeting.episode.raters.get()
    assert f'<p class="instruction" id="form-r{rater.pk}-ORS-instruction">{outcome}' in html
    assert f'<p class="instruction" id="form-r{rater.pk}-SRS-instruction">{alliance}' in html
    assert f'aria-describedby="form-r{rater.pk}-ORS-instruction"' in html
    assert low in html and high in html
    # Every item of both forms has its own words, tied to its line.
    assert html.count('class="scale-words"') == 8


@pytest.mark.parametrize(
    "lang, instruction, end",
    [
        ("nb", "Tenk på møtet i dag", "Jeg ble lyttet til og tatt på alvor"),
        ("en", "Think about today&#x27;s meeting", "I was listened to and taken seriously"),
    ],
)
def test_hand_over_shows_the_instruction_and_line_end_words(
    browser, meeting, lang, instruction, end
):
    b = browser(lang)
    rater = meeting.episode.raters.get()
    b.post(reverse("handover_start", args=[meeting.pk, rater.pk, "SRS"]))
    html = b.get(reverse("handover", args=[meeting.pk, rater.pk, "SRS"])).content.decode()
    assert instruction in html and end in html


def test_a_service_with_a_licence_sees_its_own_wording(browser, meeting, org):
    org.form_wording = {
        "ORS": {
            "instruction": {"nb": "Lisensiert instruksjon", "en": "Licensed instruction"},
            "items": {"overall": {"high": {"nb": "Lisensiert høy", "en": "Licensed high"}}},
        }
    }
    org.full_clean()
    org.save()
    html = browser("nb").get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "Lisensiert instruksjon" in html and "10: Lisensiert høy" in html
    assert "Tenk på møtet i dag" in html  # the forms it did not name keep the project's text


def test_wording_that_does_not_fit_is_refused_on_the_organisation(org):
    org.form_wording = {"ORS": {"items": {"nope": {}}}}
    with pytest.raises(ValidationError, match="unknown item"):
        org.full_clean()


def test_the_command_loads_a_licensed_file_and_clears_it(org, tmp_path, capsys):
    call_command("load_form_wording", "--example")
    example = json.loads(capsys.readouterr().out)
    example["SRS"]["instruction"]["nb"] = "Fra lisensfila"
    path = tmp_path / "wording.json"
    path.write_text(json.dumps(example), encoding="utf-8")
    call_command("load_form_wording", org.slug, str(path))
    org.refresh_from_db()
    assert org.form_wording["SRS"]["instruction"]["nb"] == "Fra lisensfila"
    call_command("load_form_wording", org.slug, "--clear")
    org.refresh_from_db()
    assert org.form_wording == {}


def test_the_command_refuses_a_file_that_does_not_fit_and_changes_nothing(org, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"ORS": {"items": {"nope": {}}}}), encoding="utf-8")
    with pytest.raises(CommandError, match="unknown item"):
        call_command("load_form_wording", org.slug, str(path))
    org.refresh_from_db()
    assert org.form_wording == {}
