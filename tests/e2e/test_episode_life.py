"""In a browser: a helper registers a new client taken up from paper (the first episode and its
intake from a past date), records three more meetings, and ends the episode as a dropout; the
team's leader sees the client leave the dashboard and enter the period's dropout count. axe finds
nothing on the new screens."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client as DjangoClient
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from clients.models import Episode
from sessions.models import Meeting
from tests.conftest import PASSWORD, verify_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# KOR_SCREENSHOTS=/some/dir keeps pictures of the new screens to look at.
SHOTS = os.environ.get("KOR_SCREENSHOTS")


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def log_in(page: Page, live_server, username: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "nb", "url": live_server.url}])
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))


def leader_page(browser: Browser, live_server, user) -> Page:
    """The leader in a context of their own, past the second factor (no phone in a test)."""
    django_client = DjangoClient()
    django_client.force_login(user)
    verify_second_factor(django_client, user)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": django_client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "nb", "url": live_server.url},
        ]
    )
    return context.new_page()


def record_meeting(page: Page, day: datetime.date, ors: float, label: str) -> None:
    """From the client page: start a meeting on `day`, confirm it, save the ORS."""
    page.fill("form.start-meeting input[name=date]", day.isoformat())
    page.click("form.start-meeting button[type=submit]")
    page.wait_for_url(re.compile(r"/meetings/new/"))
    shot(page, f"meeting-new-{label}")
    page.click("form.meeting-new button[type=submit]")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    form = page.locator("[id^=form-r][id$=-ORS]")
    for index in range(4):
        form.locator("input.item-number").nth(index).fill(f"{ors / 4:.1f}".replace(".", ","))
    form.locator(".rating-form button[type=submit]").click()
    expect(form.locator(".saved")).to_be_visible()
    page.locator(".breadcrumb a").first.click()


def test_a_helper_registers_a_paper_case_and_ends_it_as_a_dropout(
    live_server, page: Page, browser: Browser, alice, carol
):
    today = timezone.localdate()
    start = today - datetime.timedelta(days=70)
    axe = Axe()

    log_in(page, live_server, "alice")
    page.goto(live_server.url + reverse("caseload"))
    page.get_by_role("link", name="Ny klient").click()
    page.get_by_label("Saksnummer").fill("N-900")
    page.get_by_label("Fødselsår").fill("1979")
    page.fill("#id_started_on", start.isoformat())
    page.get_by_role("button", name="Registrer klienten").click()
    expect(page.get_by_role("heading", name="N-900")).to_be_visible()
    episode = Episode.objects.get(client__case_code="N-900")
    assert (episode.started_on, episode.client.responsible_helper) == (start, alice)

    # The intake from the day it started, then three more; scores that do not move.
    for number, (weeks, ors) in enumerate([(0, 14.0), (2, 14.8), (4, 14.0), (6, 15.2)], 1):
        record_meeting(page, start + datetime.timedelta(weeks=weeks), ors, str(number))
    assert list(Meeting.objects.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4]

    leader = leader_page(browser, live_server, carol)
    leader.goto(live_server.url + reverse("team_dashboard"))
    expect(leader.locator("main")).to_contain_text("N-900")

    page.click("text=Avslutt forløpet")
    page.wait_for_url(re.compile(r"/episodes/\d+/end/$"))
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    # A reason is needed: the message stands beside the choice, the date is kept.
    page.fill("#id_ended_on", (start + datetime.timedelta(weeks=7)).isoformat())
    page.click("form.episode-end button[type=submit]")
    expect(page.locator("#id_end_reason-error")).to_have_text(
        "Velg hvorfor forløpet ble avsluttet."
    )
    expect(page.locator("#id_ended_on")).to_have_value(
        (start + datetime.timedelta(weeks=7)).isoformat()
    )
    shot(page, "episode-end-error")
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.check("input[name=end_reason][value=dropout]")
    page.click("form.episode-end button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("ikke lenger med i saksmengden")
    shot(page, "client-after-end")
    episode.refresh_from_db()
    assert (episode.end_reason, episode.meeting_count) == ("dropout", 4)

    leader.goto(live_server.url + reverse("team_dashboard"))
    expect(leader.locator("main")).not_to_contain_text("N-900")
    leader.goto(live_server.url + reverse("statistics"))
    team_row = leader.locator("tr.team-row")
    expect(team_row.locator("[data-figure=closed]")).to_contain_text("1")
    expect(team_row.locator("[data-figure=dropout]")).to_contain_text("1 / 1")
    shot(leader, "statistics-after-dropout")
    leader.context.close()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_new_screens_have_no_axe_violations(live_server, page: Page, client_n1, alice, lang):
    from sessions.episodes import end_episode, withdraw_form
    from sessions.models import FormResponse
    from tests.conftest import add_meetings

    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[20.0, 30.0, 22.0], srs=[36.0, 37.0, 38.0])
    mistaken = FormResponse.objects.get(instrument="ORS", total=300)
    meeting = mistaken.meeting
    withdraw_form(response=mistaken, reason="Feil klient", by=alice)
    mistaken = FormResponse.objects.get(meeting=meeting, instrument="SRS")
    empty = Meeting.objects.create(
        episode=episode, number=4, date=timezone.localdate(), helper=alice
    )
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    log_in(page, live_server, "alice")
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    axe = Axe()
    urls = [
        reverse("meeting_new", args=[episode.pk]) + "?date=2026-01-10&format=individual",
        reverse("meeting_new", args=[episode.pk]) + "?date=2099-01-10&format=individual",
        reverse("meeting_detail", args=[meeting.pk]),
        reverse("meeting_detail", args=[empty.pk]),
        reverse("episode_end", args=[episode.pk]),
        reverse("form_withdraw", args=[meeting.pk, mistaken.rater_id, "SRS"]),
    ]
    for url in urls:
        page.goto(live_server.url + url)
        results = axe.run(page)
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
        if lang == "nb":
            shot(page, "axe-" + re.sub(r"\W+", "-", url).strip("-"))
        if "/meetings/new/" in url and "2026" in url:
            # A changed date says at once where the meeting falls (htmx), before confirming.
            page.fill("#id_date", "2026-01-13")
            page.locator("#id_date").dispatch_event("change")
            expect(page.locator("#new-number")).to_contain_text("3")
            expect(page.locator("#new-number")).not_to_contain_text("1")
    page.click("form[action$='/withdraw/'] button[type=submit]")  # no reason given
    expect(page.locator("#id_reason-error")).to_be_visible()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    if lang == "nb":
        shot(page, "withdraw-error")
    Meeting.objects.filter(pk=empty.pk).delete()
    end_episode(episode=episode, ended_on=timezone.localdate(), reason="planned", by=alice)
    page.goto(live_server.url + reverse("client_detail", args=[client_n1.pk]))
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    if lang == "nb":
        page.set_viewport_size({"width": 1366, "height": 900})
        shot(page, "client-ended-wide")
