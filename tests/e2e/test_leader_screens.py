"""In a browser: the leader's dashboard and statistics at 1366x900, on a tablet (820) and at
320 CSS px (200 % zoom of a 640 px window, WCAG 1.4.10), with axe (issue 13)."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import Browser, Page, expect

from clients.models import Episode
from kor.models import Membership, Organisation, Team
from tests.conftest import add_meetings, make_client, make_user, verify_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}
NARROW = {"width": 320, "height": 800}


@pytest.fixture
def people(db):
    """Carol leads North and South; Alice helps in North. Case codes with a slash, as issued."""
    org = Organisation.objects.create(name="Bydel Nord", slug="nord")
    north = Team.objects.create(organisation=org, name="Familieteamet")
    south = Team.objects.create(organisation=org, name="Rask psykisk helsehjelp")
    alice = make_user("alice", org, north)
    carol = make_user("carol", org, north, Membership.Role.LEADER)
    Membership.objects.create(user=carol, team=south, role=Membership.Role.LEADER)
    dave = make_user("dave", org, south)
    today = datetime.date.today()
    for k, (team, helper, ors) in enumerate(
        [(north, alice, [10, 11]), (north, alice, [20, 14, 12]), (south, dave, [15, 22])] * 2, 1
    ):
        client = make_client(org, team, helper, f"K-/{k + 50:05d}")
        add_meetings(client.episodes.get(), ors=ors, srs=[38] * len(ors))
        if k > 3:
            Episode.objects.filter(client=client).update(ended_on=today, end_reason="mutual")
    # Every flag on every row: the widest rows the table has, which squeeze the other columns.
    Episode.objects.update(flags=["alliance_alert", "erratic"])
    return alice, carol


@pytest.fixture
def open_as(browser: Browser, live_server):
    contexts = []

    def open_page(user, viewport) -> Page:
        django_client = DjangoClient()
        django_client.force_login(user)
        verify_second_factor(django_client, user)
        context = browser.new_context(locale="en-GB", viewport=viewport)
        contexts.append(context)
        cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [
                {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": "nb", "url": live_server.url},
            ]
        )
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _violations(page: Page) -> list:
    results = Axe().run(page)
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["1366", "320"])
@pytest.mark.parametrize("path", ["/team/", "/caseload/", "/team/statistics/"])
def test_axe_finds_nothing(live_server, people, open_as, path, viewport):
    alice, carol = people
    page = open_as(alice if path == "/caseload/" else carol, viewport)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")

    assert _violations(page) == []


@pytest.mark.parametrize("path", ["/team/", "/caseload/"])
def test_the_dashboard_reflows_at_320_css_pixels(live_server, people, open_as, path):
    alice, carol = people
    page = open_as(alice if path == "/caseload/" else carol, NARROW)
    page.goto(f"{live_server.url}{path}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # The table scrolls inside its own region, which the keyboard reaches and which has a name.
    region = page.locator("#dashboard-table .table-scroll")
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label")


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET, NARROW], ids=["1366", "820", "320"])
def test_case_codes_stay_on_one_line(live_server, people, open_as, viewport):
    _, carol = people
    page = open_as(carol, viewport)
    page.goto(f"{live_server.url}/team/")

    heights = page.eval_on_selector_all(
        "td.case-code a",
        "links => links.map(a => [a.textContent, a.getClientRects().length])",
    )
    assert heights and all(lines == 1 for _, lines in heights), heights


def test_a_status_in_the_summary_filters_the_table(live_server, people, open_as):
    _, carol = people
    page = open_as(carol, DESKTOP)
    page.goto(f"{live_server.url}/team/")
    expect(page.locator("table.dashboard tbody tr")).to_have_count(3)

    page.locator(".status-link.status-off_track").click()

    expect(page.locator("table.dashboard tbody tr")).to_have_count(1)
    expect(page.locator(".status-link.status-off_track")).to_have_attribute("aria-current", "true")
    # The bar is drawn: each part as wide as its share, though the CSP forbids style attributes.
    grow = page.eval_on_selector_all(
        ".status-bar-part", "parts => parts.map(p => p.style.flexGrow)"
    )
    assert sorted(grow) == ["1", "1", "1"]


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["1366", "820"])
def test_the_statistics_table_fits_the_window(live_server, people, open_as, viewport):
    _, carol = people
    page = open_as(carol, viewport)
    page.goto(f"{live_server.url}/team/statistics/")

    width = page.evaluate("document.querySelector('table.statistics').scrollWidth")
    assert width <= viewport["width"] - 16
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # Too few clients: the effect size says so, and opening it shows the number.
    too_few = page.locator('tr[data-helper="team"] [data-figure="effect_size"] details')
    expect(too_few.locator("summary")).to_have_text("for få")
    too_few.locator("summary").click()
    expect(too_few).to_have_attribute("open", "")
