"""In a browser: "My practice" at desktop size and at 375 px, with its charts drawn under the
production CSP, no script error, and axe finding nothing. With PRACTICE_SCREENSHOTS=<dir> the
pages are saved as screenshots too."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import Browser, Page

from clients.models import Episode
from kor.models import Membership, Organisation, Team
from sessions.models import PracticePeriod
from sessions.practice_chart import FIGURES
from tests.conftest import add_meetings, make_client, make_user, verify_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 800}
SHOTS = os.environ.get("PRACTICE_SCREENSHOTS")
SERIES = [[12, 20, 24], [18, 15, 14], [20, 27], [9, 10, 11, 19], [25, 24, 30], [15, 23]]


@pytest.fixture
def people(db, settings):
    """Alice and Bob help in North, Carol leads it; over the last year each closed six clients
    a quarter (alliance 38 with one dip)."""
    settings.STATISTICS_MIN_CLIENTS = 5
    org = Organisation.objects.create(name="Bydel Nord", slug="nord")
    north = Team.objects.create(organisation=org, name="Familieteamet")
    alice = make_user("alice", org, north)
    bob = make_user("bob", org, north)
    carol = make_user("carol", org, north, Membership.Role.LEADER)
    today = datetime.date.today()
    k = 0
    for quarter in range(4):
        closed = today - datetime.timedelta(days=91 * quarter + 1)
        for helper in (alice, bob):
            for n, ors in enumerate(SERIES):
                k += 1
                started = closed - datetime.timedelta(days=60)
                client = make_client(org, north, helper, f"K-{k:04d}", started=started)
                srs = [38] * len(ors)
                if (n + quarter) % 4 == 0:
                    srs[-1] = 33
                ors = [x + quarter % 2 + (n % 3 if helper == bob else 0) for x in ors]
                add_meetings(client.episodes.get(), ors=ors, srs=srs)
                reason = "dropout" if n == 1 else "planned"
                Episode.objects.filter(client=client).update(ended_on=closed, end_reason=reason)
    PracticePeriod.objects.create(
        user=alice,
        organisation=org,
        goal="Spørre om alliansen tidligere i møtet",
        starts_on=today - datetime.timedelta(days=120),
        ends_on=today - datetime.timedelta(days=61),
    )
    return alice, carol


@pytest.fixture
def open_as(browser: Browser, live_server):
    contexts = []

    def open_page(user, viewport) -> tuple[Page, list[str]]:
        django_client = DjangoClient()
        django_client.force_login(user)
        verify_second_factor(django_client, user)
        context = browser.new_context(locale="nb-NO", viewport=viewport)
        contexts.append(context)
        cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [
                {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": "nb", "url": live_server.url},
            ]
        )
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        return page, problems

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "375"])
def test_the_page_draws_every_chart_and_fits(live_server, people, open_as, viewport):
    alice, _ = people
    page, problems = open_as(alice, viewport)
    page.goto(f"{live_server.url}/practice/")
    page.wait_for_load_state("networkidle")

    assert page.locator(".practice-chart .main-svg").count() >= len(FIGURES)
    assert page.locator("h1").inner_text() == "Min praksis"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    results = Axe().run(page)
    violations = [
        (v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]
    ]
    assert violations == []
    assert problems == []
    if SHOTS:
        out = Path(SHOTS)
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / f"practice-{viewport['width']}.png"), full_page=True)
        page.locator("details.chart-table").first.locator("summary").click()
        page.locator(".practice-figure").first.screenshot(
            path=str(out / f"practice-figure-{viewport['width']}.png")
        )


def test_the_leader_sees_the_helpers_page(live_server, people, open_as):
    alice, carol = people
    page, problems = open_as(carol, DESKTOP)
    page.goto(f"{live_server.url}/practice/{alice.pk}/")
    page.wait_for_load_state("networkidle")
    assert "Alice" in page.locator("h1").inner_text()
    assert page.locator(".practice-chart .main-svg").count() >= len(FIGURES)
    assert page.locator("form.practice-period-form").count() == 0
    assert problems == []
