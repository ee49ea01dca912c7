"""The forms the client sees, in a real browser: the instruction and the words at the ends of each
line are read out with the line, fit on a phone and a tablet, and axe finds nothing on the meeting
page or in hand-over, in bokmål and English. Set KOR_SCREENSHOTS=<dir> to keep screenshots."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from clients.models import Rater
from sessions.models import Meeting
from tests.conftest import add_meetings
from tests.e2e.test_session_view import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIZES = {"tablet": {"width": 820, "height": 1180}, "phone": {"width": 390, "height": 844}}


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("KOR_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.fixture
def family_meeting(client_n1, alice):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[18.0, None], srs=[34.0, 37.0])
    Rater.objects.create(episode=episode, relation=Rater.Relation.MOTHER)
    return Meeting.objects.create(
        episode=episode, number=3, date=datetime.date(2026, 3, 1), helper=alice
    )


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_meeting_page_and_hand_over_read_well_and_pass_axe(
    live_server, page: Page, family_meeting, lang
):
    rater = family_meeting.episode.raters.get(relation="client")
    log_in(page, live_server, lang=lang)
    axe = Axe()
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto(live_server.url + reverse("meeting_detail", args=[family_meeting.pk]))
        expect(page.locator("#outcome .chart .scatterlayer .trace").first).to_be_attached()
        line = page.locator(f"#form-r{rater.pk}-ORS [role=slider]").first
        ends = page.locator("#" + line.get_attribute("aria-describedby"))
        expect(ends).to_contain_text("Svært dårlig" if lang == "nb" else "Very badly")
        expect(ends).to_be_visible()
        box = ends.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
        _shot(page, f"meeting-{lang}-{size}")
    page.set_viewport_size(SIZES["tablet"])
    page.locator(f"#form-r{rater.pk}-SRS .handover-start button").click()
    page.wait_for_url("**/handover/**")
    expect(page.locator(".instruction")).to_contain_text(
        "møtet i dag" if lang == "nb" else "today's meeting"
    )
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
        _shot(page, f"handover-{lang}-{size}")


def test_a_declined_form_shows_the_chosen_reason_and_the_words_back(
    live_server, page: Page, family_meeting
):
    mother = family_meeting.episode.raters.get(relation="mother")
    log_in(page, live_server, lang="nb")
    page.goto(live_server.url + reverse("meeting_detail", args=[family_meeting.pk]))
    form = page.locator(f"#form-r{mother.pk}-ORS")
    form.locator("input[value=declined]").check()
    expect(form.locator("select option[value=did_not_want]")).to_have_text("Mor ville ikke")
    form.locator("select").select_option("did_not_want")
    form.locator("input[name$=reason_text]").fill("Kom for sent til timen")
    form.locator(".rating-form button[type=submit]").press("Enter")
    expect(form.locator(".saved")).to_be_visible()
    expect(form.locator("select")).to_have_value("did_not_want")
    expect(form.locator("input[name$=reason_text]")).to_have_value("Kom for sent til timen")
    page.reload()
    expect(form.locator("select")).to_have_value("did_not_want")
    expect(form.locator("input[name$=reason_text]")).to_have_value("Kom for sent til timen")
