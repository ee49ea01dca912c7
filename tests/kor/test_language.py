"""Norwegian bokmål by default; English on request."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_speaks_norwegian_by_default(client):
    response = client.get("/login/")
    assert '<html lang="nb" data-decimal-separator=",">' in response.text
    assert "Logg inn" in response.text


def test_it_switches_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"}, follow=True)
    assert '<html lang="en" data-decimal-separator=".">' in response.text
    assert "Log in" in response.text
    response = client.post("/i18n/setlang/", {"language": "nb", "next": "/login/"}, follow=True)
    assert "Logg inn" in response.text


def test_the_switch_is_on_every_page(login, alice):
    response = login(alice).get("/caseload/")
    assert 'action="/i18n/setlang/"' in response.text


def test_an_english_browser_still_gets_norwegian_until_english_is_chosen(client):
    # Many staff machines run an English browser; the service's language is the user's choice.
    response = client.get("/login/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="nb" data-decimal-separator=",">' in response.text
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/login/", headers={"accept-language": "nb-NO"})
    assert '<html lang="en" data-decimal-separator=".">' in response.text


def test_an_unknown_language_cookie_falls_back_to_norwegian(client):
    client.cookies["django_language"] = "xx"
    assert '<html lang="nb" data-decimal-separator=",">' in client.get("/login/").text
