"""In a browser: a team report's progress bar moves as the task works, then offers the file."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import Browser, expect

from clients.models import ReportJob
from kor.models import Membership, Organisation, Team
from tests.conftest import make_user, verify_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader_page(browser: Browser, live_server):
    org = Organisation.objects.create(name="Bydel Nord", slug="nord")
    north = Team.objects.create(organisation=org, name="North")
    carol = make_user("carol", org, north, Membership.Role.LEADER)
    django_client = DjangoClient()
    django_client.force_login(carol)
    verify_second_factor(django_client, carol)  # leaders log in with two steps
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(locale="en-GB")
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url},
            # English, as chosen with the language switch (the browser's own is not asked)
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )
    yield context.new_page(), carol, north
    context.close()


def test_the_progress_bar_follows_the_task_and_ends_with_a_download(leader_page, live_server):
    page, carol, north = leader_page
    errors: list[str] = []
    # Script errors and CSP refusals; the missing favicon's 404 is no concern here.
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    job = ReportJob.objects.create(
        requested_by=carol,
        team=north,
        kind=ReportJob.Kind.CLIENTS_ZIP,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        state=ReportJob.State.RUNNING,
        done=1,
        total=4,
    )
    page.goto(f"{live_server.url}/reports/jobs/{job.pk}/")
    bar = page.locator("#job-progress-bar")
    expect(bar).to_have_attribute("value", "1")

    # The worker moves on: the page follows without a reload.
    ReportJob.objects.filter(pk=job.pk).update(done=3)
    expect(bar).to_have_attribute("value", "3", timeout=5000)

    ReportJob.objects.filter(pk=job.pk).update(state="done", done=4, file="reports/x.zip")
    expect(page.get_by_role("link", name="Download")).to_be_visible(timeout=5000)
    assert Axe().run(page).violations_count == 0
    assert errors == []  # no CSP violation, no script error


def test_the_form_is_accessible(leader_page, live_server):
    page, _, _ = leader_page
    page.goto(f"{live_server.url}/reports/team/")

    expect(page.get_by_label("Team", exact=True)).to_be_visible()
    assert Axe().run(page).violations_count == 0
