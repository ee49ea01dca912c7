"""In a browser: the leader's open dashboard shows a status change within 10 seconds, unreloaded."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import Browser, Page, expect

from kor.models import Membership
from tests.conftest import add_meetings, make_client, make_user, verify_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logged_in_page(browser: Browser):
    """`logged_in_page(browser, live_server, user)`: a browser context of its own with the user's
    session cookie (no login form to fill). Closed after the test, so no page keeps polling."""
    contexts = []

    def open_page(browser: Browser, live_server, user) -> Page:
        django_client = DjangoClient()
        django_client.force_login(user)
        verify_second_factor(django_client, user)  # leaders log in with two steps
        cookie = django_client.cookies[settings.SESSION_COOKIE_NAME]
        context = browser.new_context(locale="en-GB")
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                },
                # English, as chosen with the language switch (the browser's own is not asked)
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
            ]
        )
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def team(db):
    from kor.models import Organisation, Team

    org = Organisation.objects.create(name="Bydel Nord", slug="nord")
    north = Team.objects.create(organisation=org, name="North")
    alice = make_user("alice", org, north)
    carol = make_user("carol", org, north, Membership.Role.LEADER)
    client = make_client(org, north, alice, "N-001")
    episode = client.episodes.get()
    add_meetings(episode, ors=[10, 11], srs=[38, 38])  # at risk
    make_client(org, north, alice, "N-002")
    return alice, carol, episode


def test_it_shows_a_status_change_saved_elsewhere_within_ten_seconds(
    browser, live_server, team, logged_in_page
):
    alice, carol, episode = team
    errors: list[str] = []
    leader = logged_in_page(browser, live_server, carol)
    leader.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    leader.goto(f"{live_server.url}/team/")
    row = leader.locator(f'tr[data-episode="{episode.pk}"]')
    expect(row.locator(".status-cell .badge")).to_have_class(re.compile(r"status-at_risk"))
    # Anything the page keeps in memory would be lost by a reload: the marker proves there was none.
    leader.evaluate("window.__noReload = 'still here'")

    # The helper, in a browser of her own, saves meeting 3 (ORS 9.0): the client is off track.
    helper = logged_in_page(browser, live_server, alice)
    helper.goto(f"{live_server.url}/caseload/")
    expect(helper.locator("table.dashboard")).to_contain_text("N-001")
    add_meetings(episode, ors=[9], srs=[37])

    expect(row.locator(".status-cell .badge")).to_have_class(
        re.compile(r"status-off_track"), timeout=10_000
    )
    assert leader.evaluate("window.__noReload") == "still here"
    # Most urgent first: the off-track client moved to the top of the table.
    expect(leader.locator("table.dashboard tbody tr").first).to_contain_text("N-001")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_it_draws_the_statistics_chart_under_the_content_security_policy(
    browser, live_server, team, logged_in_page
):
    import datetime

    from clients.models import Episode

    _, carol, episode = team
    Episode.objects.filter(pk=episode.pk).update(
        ended_on=datetime.date.today(), end_reason="mutual"
    )
    errors: list[str] = []
    leader = logged_in_page(browser, live_server, carol)
    leader.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    leader.goto(f"{live_server.url}/team/statistics/")
    expect(leader.locator("#change-chart .main-svg").first).to_be_visible(timeout=10_000)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_it_shows_the_login_page_when_the_session_ran_out(
    browser, live_server, team, logged_in_page
):
    from django.contrib.sessions.models import Session

    _, carol, _ = team
    leader = logged_in_page(browser, live_server, carol)
    leader.goto(f"{live_server.url}/team/")
    expect(leader.locator("table.dashboard")).to_contain_text("N-001")
    Session.objects.all().delete()  # as the idle timeout would
    # The next poll is answered with the login page: the page reloads to it, not into the table.
    expect(leader).to_have_url(re.compile(r"/login/"), timeout=10_000)
    expect(leader.locator("table.dashboard")).to_have_count(0)


@pytest.mark.parametrize("path", ["/team/", "/team/statistics/", "/supervision/", "/caseload/"])
def test_it_has_no_serious_accessibility_faults(browser, live_server, team, logged_in_page, path):
    from axe_playwright_python.sync_playwright import Axe

    _, carol, episode = team
    from clients.models import SupervisionMark

    SupervisionMark.objects.create(
        episode=episode, marked_by=carol, note="Stuck", status_then=episode.status
    )
    page = logged_in_page(browser, live_server, carol)
    page.goto(f"{live_server.url}{path}")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]
