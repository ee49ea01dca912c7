"""A declined form keeps the reason chosen from the list and the helper's own words apart, shows
both back, and names the rater in the list ("Mor ville ikke")."""

from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from clients.models import Rater
from sessions.models import FormResponse

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
migration = importlib.import_module("sessions.migrations.0004_declined_reason_code")


@pytest.fixture
def browser(login, alice):
    def _browser(lang: str):
        b = login(alice)
        b.cookies["django_language"] = lang
        return b

    return _browser


def decline(browser, meeting, rater, reason="", text="", instrument="ORS"):
    prefix = f"r{rater.pk}-{instrument}-"
    data = {
        prefix + "status": "declined",
        prefix + "version": "new",
        prefix + "reason": reason,
        prefix + "reason_text": text,
    }
    url = reverse("save_form", args=[meeting.pk, rater.pk, instrument])
    return browser.post(url, data, **HTMX)


def test_the_chosen_reason_and_the_typed_words_are_kept_apart(browser, meeting):
    client = meeting.episode.raters.get()
    b = browser("nb")
    decline(b, meeting, client, "did_not_want", "Mor kom for sent til timen")
    saved = FormResponse.objects.get()
    assert saved.declined_reason_code == "did_not_want"
    assert saved.declined_reason == "Mor kom for sent til timen"
    # Both shown back as given: the reason chosen in the list, the words in the box.
    html = b.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert '<option value="did_not_want" selected>Klienten ville ikke</option>' in html
    assert 'value="Mor kom for sent til timen"' in html
    assert "avslått (Klienten ville ikke – Mor kom for sent til timen)" in html


@pytest.mark.parametrize(
    "lang, relation, label, shown",
    [
        ("nb", Rater.Relation.MOTHER, "", "Mor ville ikke"),
        ("nb", Rater.Relation.FATHER, "", "Far ville ikke"),
        ("nb", Rater.Relation.OTHER, "Bestemor Lise", "Bestemor Lise ville ikke"),
        ("en", Rater.Relation.MOTHER, "", "Mother did not want to"),
    ],
)
def test_the_reason_list_names_the_rater(browser, meeting, lang, relation, label, shown):
    Rater.objects.create(episode=meeting.episode, relation=relation, label=label)
    html = browser(lang).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert f'<option value="did_not_want">{shown}</option>' in html
    client_reason = "Klienten ville ikke" if lang == "nb" else "The client did not want to"
    assert f'<option value="did_not_want">{client_reason}</option>' in html


def test_other_asks_for_the_words_and_saves_nothing_without_them(browser, meeting):
    client = meeting.episode.raters.get()
    response = decline(browser("en"), meeting, client, "other", "  ")
    assert "Write the reason in a few words." in response.content.decode()
    assert not FormResponse.objects.exists()


def test_the_words_alone_are_enough(browser, meeting):
    client = meeting.episode.raters.get()
    decline(browser("en"), meeting, client, "", "Sa nei")
    saved = FormResponse.objects.get()
    assert (saved.declined_reason_code, saved.declined_reason) == ("", "Sa nei")


@pytest.mark.parametrize(
    "stored, split",
    [
        (
            "Klienten ville ikke: Mor kom for sent til timen",
            ("did_not_want", "Mor kom for sent til timen"),
        ),
        ("The client did not want to", ("did_not_want", "")),
        ("For urolig eller belastet i dag", ("too_distressed", "")),
        ("No time in this meeting: ran late", ("no_time", "ran late")),
        ("Sa nei", ("other", "Sa nei")),
    ],
)
def test_the_migration_splits_old_combined_reasons(stored, split):
    assert migration.split_reason(stored) == split
