"""Adding a rater: a second rater nobody can tell apart from the first ("mor" twice) is refused
with a message asking for a label; what was typed stays, nothing is saved. The same form sent
twice (a double click) adds one rater and says "done" both times."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from clients.models import Rater

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(client_n1):
    return client_n1.episodes.get()


def add(browser, episode, relation, label="", **more):
    url = reverse("rater_add", args=[episode.pk])
    return browser.post(url, {"relation": relation, "label": label, **more})


def seen_on_the_page(browser, client) -> str:
    page = browser.get(reverse("client_detail", args=[client.pk])).content.decode()
    return re.search(r'name="seen" value="(\d+)"', page).group(1)


def test_the_same_form_sent_twice_adds_one_rater_and_says_done_twice(
    login, alice, episode, client_n1
):
    browser = login(alice)
    browser.cookies["django_language"] = "en"
    seen = seen_on_the_page(browser, client_n1)
    first = add(browser, episode, "father", seen=seen)
    again = add(browser, episode, "father", seen=seen)  # the double click, after the first
    assert first.status_code == again.status_code == 302
    assert episode.raters.filter(relation="father").count() == 1
    page = browser.get(again.url).content.decode()
    assert page.count("now rates in this episode.") == 2  # "done", both times


def test_a_second_mother_from_a_page_that_shows_the_first_is_refused(
    login, alice, episode, client_n1
):
    browser = login(alice)
    browser.cookies["django_language"] = "en"
    add(browser, episode, "mother", seen=seen_on_the_page(browser, client_n1))
    response = add(browser, episode, "mother", seen=seen_on_the_page(browser, client_n1))
    assert response.status_code == 200
    assert "Mother already rates in this episode" in response.content.decode()
    assert episode.raters.filter(relation="mother").count() == 1


@pytest.mark.parametrize(
    "lang, message",
    [
        ("nb", "Mor fyller allerede ut skjema i dette forløpet. Skriv et navn"),
        ("en", "Mother already rates in this episode. Write a name or label"),
    ],
)
def test_a_second_mother_without_a_label_is_refused(login, alice, episode, lang, message):
    browser = login(alice)
    browser.cookies["django_language"] = lang
    add(browser, episode, "mother")
    response = add(browser, episode, "mother")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert episode.raters.filter(relation="mother").count() == 1


def test_the_same_label_in_other_letters_is_refused_and_kept(login, alice, episode):
    browser = login(alice)
    browser.cookies["django_language"] = "en"
    add(browser, episode, "mother", "Lise")
    response = add(browser, episode, "mother", " lise ")
    assert "Lise already rates in this episode" in response.content.decode()
    assert 'value=" lise "' in response.content.decode() or 'value="lise"' in (
        response.content.decode()
    )
    assert episode.raters.filter(relation="mother").count() == 1


def test_a_label_that_tells_them_apart_is_accepted(login, alice, episode):
    browser = login(alice)
    add(browser, episode, "mother")
    response = add(browser, episode, "mother", "Lise")
    assert response.status_code == 302
    assert list(episode.raters.filter(relation="mother").values_list("label", flat=True)) == [
        "",
        "Lise",
    ]


def test_the_same_label_in_another_relation_is_accepted(login, alice, episode):
    browser = login(alice)
    add(browser, episode, "mother", "Kim")
    add(browser, episode, "father", "Kim")
    assert Rater.objects.filter(episode=episode, label="Kim").count() == 2
