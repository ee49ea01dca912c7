"""A save that fails says so, in a real browser: the helper on a tablet whose connection drops
must never take an unanswered save for a stored one (static/js/request-failure.js)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, Route, expect

from clients.models import Goal
from sessions.models import FormResponse, Meeting
from tests.e2e.test_session_view import log_in, watch_csp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(client_n1, alice) -> Meeting:
    return Meeting.objects.create(
        episode=client_n1.episodes.get(), number=1, date=datetime.date(2026, 3, 1), helper=alice
    )


def fill_ors(page: Page, meeting: Meeting, values=("6.0", "5.0", "4.0", "7.0")):
    rater = meeting.episode.raters.get()
    form = page.locator(f"#form-r{rater.pk}-ORS")
    for index, value in enumerate(values):
        form.locator("input.item-number").nth(index).fill(value)
    return form, reverse("save_form", args=[meeting.pk, rater.pk, "ORS"])


def test_a_save_whose_answer_was_lost_is_sent_again_and_shown_saved(
    live_server, page: Page, meeting
):
    log_in(page, live_server)
    violations = watch_csp(page)
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    form, url = fill_ors(page, meeting)
    sent: list[dict] = []

    def drop_the_first_answer(route: Route) -> None:
        sent.append(route.request.headers)
        if len(sent) == 1:
            route.fetch()  # the server stores the form ...
            route.abort("connectionreset")  # ... and the answer never arrives
        else:
            route.continue_()

    page.route(re.compile(re.escape(url) + "$"), drop_the_first_answer)
    form.locator(".rating-form button[type=submit]").click()
    expect(form.locator(".saved")).to_have_text("✓ Saved.")
    expect(page.locator("#outcome .badge").first).to_have_class(re.compile("status-intake"))
    assert len(sent) == 2 and sent[1].get("x-kor-retry") == "1"
    assert "x-kor-retry" not in sent[0]
    assert FormResponse.objects.get().total == 220
    expect(form.locator(".request-failed")).to_have_count(0)
    assert violations == []


def test_a_save_that_gets_no_answer_twice_says_so_and_keeps_the_values(
    live_server, page: Page, meeting
):
    log_in(page, live_server)
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    form, url = fill_ors(page, meeting)
    page.route(re.compile(re.escape(url) + "$"), lambda route: route.abort("connectionreset"))
    form.locator(".rating-form button[type=submit]").click()
    expect(form.locator(".request-failed")).to_have_text(
        "No answer from the server: sending again…"
    )
    alert = form.locator(".request-failed[role=alert]")
    expect(alert).to_have_text(
        "Not saved: the server did not answer (the connection may have dropped). "
        "Your values are still here: save again."
    )
    expect(form.locator("input.item-number").nth(0)).to_have_value("6.0")
    expect(form.locator(".saved")).to_have_count(0)
    assert not FormResponse.objects.exists()

    # The connection is back: the same button saves, and the message goes.
    page.unroute(re.compile(re.escape(url) + "$"))
    form.locator(".rating-form button[type=submit]").click()
    expect(form.locator(".saved")).to_have_text("✓ Saved.")
    expect(form.locator(".request-failed")).to_have_count(0)
    assert FormResponse.objects.get().total == 220


def test_an_error_answer_is_shown_at_once_in_norwegian(live_server, page: Page, meeting):
    log_in(page, live_server, lang="nb")
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    form, url = fill_ors(page, meeting, ("6,0", "5,0", "4,0", "7,0"))
    calls: list[str] = []

    def fail(route: Route) -> None:
        calls.append(route.request.url)
        route.fulfill(status=502, body="Bad Gateway")

    page.route(re.compile(re.escape(url) + "$"), fail)
    form.locator(".rating-form button[type=submit]").click()
    expect(form.locator(".request-failed[role=alert]")).to_have_text(
        "Ikke lagret: serveren svarte med en feil (502). Verdiene dine står her fortsatt: "
        "lagre på nytt, eller last inn siden på nytt hvis det skjer igjen."
    )
    assert len(calls) == 1  # an answer, even an error, is not sent again by itself
    expect(form.locator("input.item-number").nth(0)).to_have_value("6,0")
    assert not FormResponse.objects.exists()


def test_a_new_goal_whose_answer_was_lost_is_added_once(live_server, page: Page, client_n1):
    log_in(page, live_server)
    page.goto(live_server.url + reverse("client_detail", args=[client_n1.pk]))
    url = reverse("goal_add", args=[client_n1.episodes.get().pk])
    calls: list[str] = []

    def drop_the_first_answer(route: Route) -> None:
        calls.append(route.request.url)
        if len(calls) == 1:
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(re.escape(url) + "$"), drop_the_first_answer)
    page.fill("#goal-text", "Sleep through the night")
    page.locator("#goals form[data-retry-once] button[type=submit]").click()
    expect(page.locator("#goals .goal-text")).to_have_text("«Sleep through the night»")
    assert len(calls) == 2
    assert Goal.objects.filter(text="Sleep through the night").count() == 1
