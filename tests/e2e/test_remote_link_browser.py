"""Forms by link in real browsers (issue 14): the helper sends a link from the meeting page, the
client opens it on a phone (375 px) from the sent text message, fills in the ORS, and the
helper's open meeting page shows the new score and status within 10 seconds, without a reload.
axe finds nothing on the client's page in bokmål and English."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from sessions import sms
from sessions.models import FormResponse, Meeting
from tests.conftest import add_meetings
from tests.e2e.test_session_view import log_in, watch_csp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
URL = re.compile(r"https?://\S+/f/[\w-]+/")


def _shot(page: Page, name: str) -> None:
    """Set KOR_SCREENSHOTS=<dir> to keep screenshots."""
    folder = os.environ.get("KOR_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.fixture(autouse=True)
def _empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    yield context.new_page()
    context.close()


def _meeting(client_n1, alice, history=()) -> Meeting:
    episode = client_n1.episodes.get()
    if history:
        add_meetings(episode, ors=list(history))
    return Meeting.objects.create(
        episode=episode,
        number=episode.meetings.count() + 1,
        date=timezone.localdate(),
        helper=alice,
    )


def _send_link(page: Page, live_server, meeting: Meeting) -> str:
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    page.locator(".link-send summary").click()
    page.select_option("#id_link-channel", "sms")
    page.fill("#id_link-contact", "+47 912 34 567")
    page.locator(".link-send button[type=submit]").click()
    expect(page.locator(".link-sent img.qr")).to_be_visible()
    (message,) = sms.outbox
    return URL.search(message.body).group(0)


def test_the_client_fills_the_ors_on_a_phone_and_the_helpers_page_shows_it(
    live_server, page: Page, phone: Page, client_n1, alice
):
    meeting = _meeting(client_n1, alice, history=[18.0, 19.0])
    log_in(page, live_server)
    url = _send_link(page, live_server, meeting)
    page.evaluate("window.sameDocument = true")
    expect(page.locator("#outcome .badge").first).not_to_have_class(
        re.compile("status-deteriorated")
    )

    violations = watch_csp(phone)
    phone.goto(url)
    expect(phone.locator("h1")).to_be_visible()
    _shot(phone, "client-form-nb")
    # A finger on the lines (touch), and the keyboard for the rest.
    first = phone.locator("[role=slider]").nth(0)
    box = first.bounding_box()
    phone.touchscreen.tap(box["x"] + box["width"] * 0.2, box["y"] + box["height"] / 2)
    for index in range(1, 4):
        phone.locator("[role=slider]").nth(index).focus()
        phone.keyboard.press("Home")
        for _ in range(3):
            phone.keyboard.press("PageUp")
    phone.locator("#remote-form button[type=submit]").click()
    expect(phone.locator("h1")).to_have_text(re.compile("Takk"))
    _shot(phone, "client-thanks-nb")
    saved = FormResponse.objects.get(meeting=meeting)
    assert saved.source == "remote" and saved.total <= 120

    # The helper's page, still open, shows the new score and status within 10 seconds.
    total = f"{saved.total / 10:.1f}"
    expect(page.locator("#remote-links [data-form=ORS]")).to_contain_text(total, timeout=10_000)
    expect(page.locator("#outcome .badge").first).to_have_class(
        re.compile("status-deteriorated"), timeout=10_000
    )
    assert page.evaluate("window.sameDocument") is True  # no reload
    _shot(page, "helper-meeting")
    assert violations == []


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_clients_page_has_no_axe_violations(
    live_server, page: Page, phone: Page, client_n1, alice, lang
):
    client_n1.language_id = lang
    client_n1.save()
    meeting = _meeting(client_n1, alice)
    log_in(page, live_server, lang=lang)
    url = _send_link(page, live_server, meeting)
    axe = Axe()
    results = axe.run(page)  # the meeting page with the link and its QR code
    assert results.violations_count == 0, results.generate_report()
    phone.goto(url)
    results = axe.run(phone)
    assert results.violations_count == 0, results.generate_report()
    # With the messages beside the lines, after sending with nothing marked.
    phone.locator("#remote-form button[type=submit]").click()
    expect(phone.locator(".field-error").first).to_be_visible()
    _shot(phone, f"client-errors-{lang}")
    results = axe.run(phone)
    assert results.violations_count == 0, results.generate_report()
    assert not FormResponse.objects.exists()


def test_the_client_sees_their_own_progress_after_the_link(
    live_server, page: Page, phone: Page, client_n1, alice, org
):
    org.client_own_view = True
    org.save()
    client_n1.language_id = "nn"
    client_n1.save()
    meeting = _meeting(client_n1, alice, history=[14.0, 17.5, 21.0])
    log_in(page, live_server)
    page.set_viewport_size(PHONE)  # the helper's page on a phone, too
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    page.locator(".link-send summary").click()
    page.select_option("#id_link-channel", "screen")
    page.check("#id_link-show_progress")
    page.locator(".link-send button[type=submit]").click()
    expect(page.locator(".link-sent img.qr")).to_be_visible()
    page.locator("#remote-links").scroll_into_view_if_needed()
    _shot(page, "helper-qr-phone")
    url = page.locator(".link-url").inner_text()

    phone.goto(url)
    for index in range(4):
        phone.locator("[role=slider]").nth(index).focus()
        phone.keyboard.press("Home")
        for _ in range(6):
            phone.keyboard.press("PageUp")
    phone.locator("#remote-form button[type=submit]").click()
    expect(phone.locator(".client-progress")).to_contain_text("Talet ditt har gått opp")
    expect(phone.locator(".progress-chart .scores")).to_be_attached()
    _shot(phone, "client-progress-nn")
    assert "N-001" not in phone.content()
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()


def test_the_open_client_page_shows_a_form_from_a_link_within_ten_seconds(
    live_server, page: Page, client_n1, alice
):
    """The helper has the client page open; the client's ORS comes by link (saved here as the
    link's page saves it): status and chart change on the open page, without a reload."""
    from sessions.services import record_form

    meeting = _meeting(client_n1, alice, history=(20.0, 24.0))
    violations = watch_csp(page)
    log_in(page, live_server)
    page.goto(live_server.url + reverse("client_detail", args=[client_n1.pk]))
    status = page.locator("#outcome .status-line")
    expect(status).not_to_contain_text(re.compile("deteriorated", re.I))
    page.evaluate("window.__notReloaded = true")

    record_form(
        meeting=meeting,
        rater=meeting.episode.raters.get(),
        instrument="ORS",
        items=[20, 20, 20, 20],  # 8.0: down from 20, a reliable deterioration
        by=None,
        source=FormResponse.Source.REMOTE,
    )
    expect(status).to_contain_text(re.compile("deteriorated", re.I), timeout=10_000)
    expect(page.locator("#outcome .js-plotly-plot")).to_have_count(1)
    assert page.evaluate("window.__notReloaded") is True
    assert violations == []
