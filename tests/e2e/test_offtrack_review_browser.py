"""In a browser: the client page offers the off-track review, at 1366 px and at 375 px; axe finds
nothing; the review is filled in by keyboard-reachable checkboxes and shown once saved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import Browser, Page, expect

from kor.models import Organisation, Team
from sessions.models import OffTrackReview
from tests.conftest import add_meetings, make_client, make_user, verify_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where the screenshots go: KOR_SCREENSHOTS to keep them for a look, else the test's tmp."""
    folder = Path(os.environ.get("KOR_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def stuck(db):
    org = Organisation.objects.create(name="Bydel Nord", slug="nord")
    north = Team.objects.create(organisation=org, name="Familieteamet")
    alice = make_user("alice", org, north)
    client = make_client(org, north, alice, "K-/00042")
    add_meetings(client.episodes.get(), ors=[10, 10.5, 10, 9.5], srs=[38, 37, 38, 38])
    return alice, client


def open_as(browser: Browser, live_server, user, viewport, language="en") -> Page:
    django_client = DjangoClient()
    django_client.force_login(user)
    verify_second_factor(django_client, user)  # a leader's login has the second step
    context = browser.new_context(locale="en-GB", viewport=viewport)
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return context.new_page()


@pytest.mark.parametrize(
    ("viewport", "language"), [(DESKTOP, "en"), (PHONE, "nb")], ids=["1366-en", "375-nb"]
)
def test_the_review_is_offered_on_the_client_page(
    browser, live_server, stuck, viewport, language, shots
):
    alice, client = stuck
    page = open_as(browser, live_server, alice, viewport, language)
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    card = page.locator(".review-card")
    expect(card).to_be_visible()
    expect(card.locator("fieldset.review-points input[type=checkbox]")).to_have_count(7)
    card.scroll_into_view_if_needed()
    page.screenshot(path=shots / f"client-review-{viewport['width']}.png", full_page=True)
    card.screenshot(path=shots / f"review-card-{viewport['width']}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    results = Axe().run(page, context=".review-card")
    assert [v["id"] for v in results.response["violations"]] == []


def test_the_review_is_filled_in_and_shown(browser, live_server, stuck):
    alice, client = stuck
    page = open_as(browser, live_server, alice, DESKTOP)
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.get_by_label("Together with the client").check()
    page.get_by_label("We went through the goals again").check()
    page.get_by_label("Changed the approach, the method or how often we meet").check()
    page.get_by_label("What we will do now").fill("Weekly for a month; ask about school.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.locator(".review-card")).to_contain_text("reviewed at meeting 4")
    expect(page.locator(".review-list")).to_contain_text("Weekly for a month; ask about school.")
    review = OffTrackReview.objects.get()
    assert review.points == ["goals_reviewed", "changed_approach"] and review.with_client


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "375"])
def test_the_leader_sees_the_review_due_marker(browser, live_server, stuck, viewport, shots):
    from kor.models import Membership

    _, client = stuck
    add_meetings(client.episodes.get(), ors=[10], srs=[38])  # off track at meetings 3-5
    carol = make_user("carol", client.organisation, client.team, Membership.Role.LEADER)
    page = open_as(browser, live_server, carol, viewport)
    page.goto(f"{live_server.url}/team/")
    expect(page.locator("table.dashboard .badge.review-due")).to_have_text("review due K-/00042")
    page.screenshot(path=shots / f"team-dashboard-{viewport['width']}.png", full_page=True)
    page.goto(f"{live_server.url}/supervision/")
    expect(page.locator(".review-due-list")).to_contain_text("K-/00042")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=shots / f"supervision-{viewport['width']}.png", full_page=True)
    results = Axe().run(page)
    assert [v["id"] for v in results.response["violations"]] == []


def test_the_statistics_page_shows_what_came_of_reviews(browser, live_server, stuck, shots):
    from kor.models import Membership

    _, client = stuck
    add_meetings(client.episodes.get(), ors=[30, 31, 32], srs=[38, 38, 38])  # back on track
    carol = make_user("carol", client.organisation, client.team, Membership.Role.LEADER)
    page = open_as(browser, live_server, carol, PHONE)
    page.goto(f"{live_server.url}/team/statistics/?start=2026-01-01&end=2026-12-31")
    section = page.locator("section.review-effect")
    expect(section.locator("tfoot [data-figure=without_review]")).to_contain_text("1 / 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    section.screenshot(path=shots / "statistics-review-375.png")
