"""In a browser: a leader fits own norms, reads the calibration charts, and switches models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import Browser, expect

from kor.models import Membership, Organisation, Team
from kor.outcomes.synthetic import synthetic_raters
from sessions.norms.bench import seed_closed
from tests.conftest import add_meetings, make_client, make_user, verify_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Set KOR_SCREENSHOTS=/some/dir to keep a picture of every page at phone and desktop size.
SHOTS = os.environ.get("KOR_SCREENSHOTS")
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SIZES))
def leader_page(request, browser: Browser, live_server):
    org = Organisation.objects.create(name="Bydel Nord", slug="nord")
    north = Team.objects.create(organisation=org, name="North")
    carol = make_user("carol", org, north, Membership.Role.LEADER)
    alice = make_user("alice", org, north)
    seed_closed(org, north, alice, synthetic_raters(240, seed=11, long_share=0.1))
    episode = make_client(org, north, alice, "N-001").episodes.get()
    add_meetings(episode, [20.0, 21.0, 22.0])
    django_client = DjangoClient()
    django_client.force_login(carol)
    verify_second_factor(django_client, carol)
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(locale="en-GB", viewport=SIZES[request.param])
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    yield page, problems, request.param
    context.close()


def _look(page, name: str, size: str) -> None:
    result = Axe().run(page)
    assert result.violations_count == 0, (name, result.generate_report())
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/norms-{name}-{size}.png", full_page=True)


def test_fit_read_the_charts_and_switch(leader_page, live_server):
    page, problems, size = leader_page
    page.goto(f"{live_server.url}/norms/", timeout=120_000)  # the first request warms up
    _look(page, "page", size)

    page.get_by_label("Name of the new model").fill("Nord 2026")
    page.get_by_role("button", name="Fit own norms").click()
    expect(page.get_by_text("Nord 2026, version 1 is fitted and stored")).to_be_visible()
    _look(page, "fitted", size)

    page.get_by_role("link", name="See the calibration report").click()
    expect(page.locator("#norms-predicted .main-svg").first).to_be_visible()
    expect(page.locator("#norms-below .main-svg").first).to_be_visible()
    expect(page.locator("#calibration-table tbody tr").first).to_be_visible()
    _look(page, "report", size)

    page.get_by_role("button", name="Use this model").click()
    expect(
        page.get_by_role("table", name="Open episodes by status before and after")
    ).to_be_visible()
    _look(page, "switched", size)
    assert problems == []
