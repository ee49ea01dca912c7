"""The rating form as the helper and the client get it: rendered from the form's widgets, with
numbers the way the page's language writes them (2,5 in bokmål, 2.5 in English), and both ways
of writing accepted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sessions.models import FormResponse

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def browser(login, alice):
    def _browser(lang: str):
        b = login(alice)
        b.cookies["django_language"] = lang
        return b

    return _browser


def _ids(meeting, instrument="ORS"):
    rater = meeting.episode.raters.get()
    return rater, f"id_r{rater.pk}-{instrument}"


def _save(browser, meeting, items, instrument="ORS"):
    rater, _ = _ids(meeting, instrument)
    prefix = f"r{rater.pk}-{instrument}-"
    data = {prefix + "status": "completed", prefix + "version": "new"}
    data.update({f"{prefix}item{i}": value for i, value in enumerate(items, 1)})
    url = reverse("save_form", args=[meeting.pk, rater.pk, instrument])
    return browser.post(url, data, **HTMX)


def test_an_item_is_a_labelled_box_with_its_line(browser, meeting):
    _, base = _ids(meeting)
    html = browser("en").get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert f'<label id="{base}-item1-label" for="{base}-item1">Individually</label>' in html
    assert (
        f'<div class="scale" data-scale data-min="0" data-max="10" data-step="0.1" '
        f'data-target="{base}-item1" hidden>'
    ) in html
    assert (
        f'role="slider" tabindex="0" aria-labelledby="{base}-item1-label" '
        f'aria-describedby="{base}-item1-ends" aria-valuemin="0" '
        'aria-valuemax="10" aria-valuetext="not marked"'
    ) in html
    # The words at the ends of the line describe both the line and the box.
    assert (
        f'<p class="scale-words" id="{base}-item1-ends"><span class="scale-word scale-word-low">'
        "0: Very badly</span>"
    ) in html
    assert (
        f'<input type="text" name="{base[3:]}-item1" inputmode="decimal" autocomplete="off" '
        f'class="item-number" size="4" maxlength="10" aria-describedby="{base}-item1-ends" '
        f'id="{base}-item1">'
    ) in html
    assert '<span class="item-range muted">(0–10)</span>' in html


def test_the_status_is_three_radios_in_a_fieldset_and_nothing_is_marked_required(browser, meeting):
    _, base = _ids(meeting)
    html = browser("en").get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "<legend>The form was</legend>" in html
    assert (
        f'<label class="choice"><input type="radio" name="{base[3:]}-status" value="completed" '
        f'id="{base}-status_0" checked>'
    ) in html
    assert f'id="{base}-status_2"' in html
    assert f'<select name="{base[3:]}-reason" id="{base}-reason">' in html
    assert (
        f'<input type="text" name="{base[3:]}-reason_text" maxlength="300" id="{base}-reason_text">'
        in html
    )
    assert " required" not in html.split('class="rating-form"')[1].split("</form>")[0]


def test_a_young_childs_form_steps_in_whole_numbers(browser, meeting):
    meeting.episode.__class__.objects.filter(pk=meeting.episode_id).update(age_group="young_child")
    html = browser("en").get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert 'data-min="1" data-max="4" data-step="1"' in html


@pytest.mark.parametrize(
    "lang, typed, shown",
    [
        (
            "nb",
            ["2,5", "9", "0,1", "10"],
            ['value="2,5"', 'value="9,0"', 'value="0,1"', 'value="10,0"'],
        ),
        ("nb", ["2.5", "9.0", "0.1", "10"], ['value="2,5"', 'value="9,0"']),
        ("en", ["2,5", "9", "0.1", "10"], ['value="2.5"', 'value="9.0"', 'value="0.1"']),
    ],
)
def test_the_boxes_accept_a_comma_or_a_point_and_show_the_pages_way_back(
    browser, meeting, lang, typed, shown
):
    b = browser(lang)
    response = _save(b, meeting, typed)
    assert FormResponse.objects.get().items == [25, 90, 1, 100]
    for value in shown:
        assert value in response.content.decode()  # the saved form the helper sees at once
    page = b.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    for value in shown:
        assert value in page


def test_a_bad_number_keeps_what_was_typed_and_says_why(browser, meeting):
    _, base = _ids(meeting)
    html = _save(browser("en"), meeting, ["12", "2,5", "5", "5"]).content.decode()
    assert 'value="12"' in html and 'value="2,5"' in html  # as typed, not reformatted
    assert f'aria-invalid="true" aria-describedby="{base}-item1-ends {base}-item1-error"' in html
    assert f'<p class="field-error" id="{base}-item1-error">Use a number from 0 to 10.</p>' in html
    assert not FormResponse.objects.exists()


@pytest.mark.parametrize("lang, shown", [("nb", 'value="9,0"'), ("en", 'value="9.0"')])
def test_hand_over_shows_a_saved_number_the_pages_way(browser, meeting, lang, shown):
    b = browser(lang)
    _save(b, meeting, ["9", "2,5", "5", "5"])
    rater, _ = _ids(meeting)
    b.post(reverse("handover_start", args=[meeting.pk, rater.pk, "ORS"]))
    html = b.get(reverse("handover", args=[meeting.pk, rater.pk, "ORS"])).content.decode()
    assert shown in html


@pytest.mark.parametrize("lang, separator", [("nb", ","), ("en", ".")])
def test_the_page_tells_its_scripts_the_decimal_separator(browser, meeting, lang, separator):
    html = browser(lang).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert f'<html lang="{lang}" data-decimal-separator="{separator}">' in html
    assert html.index("js/numbers.js") < html.index("js/session-slider.js")
