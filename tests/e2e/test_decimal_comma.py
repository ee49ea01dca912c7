"""Numbers in the rating form in a real browser: a Norwegian page writes and reads the decimal
comma on the line, in the box, after saving and in hand-over; an English page uses the point."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from sessions.models import FormResponse, Meeting
from tests.e2e.test_session_view import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang, sep", [("nb", ","), ("en", ".")])
def test_the_line_the_box_the_saved_form_and_hand_over_write_numbers_the_pages_way(
    live_server, page: Page, client_n1, alice, lang, sep
):
    meeting = Meeting.objects.create(
        episode=client_n1.episodes.get(), number=1, date=datetime.date(2026, 3, 1), helper=alice
    )
    rater = meeting.episode.raters.get()
    log_in(page, live_server, lang=lang)
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    form = page.locator(f"#form-r{rater.pk}-ORS")
    boxes = form.locator("input.item-number")
    lines = form.locator("[role=slider]")

    # The line writes the page's way: 2 page steps and 5 arrow steps make 2,5 (2.5).
    lines.nth(0).focus()
    for key in ["PageUp"] * 2 + ["ArrowRight"] * 5:
        page.keyboard.press(key)
    expect(boxes.nth(0)).to_have_value(f"2{sep}5")
    expect(lines.nth(0)).to_have_attribute("aria-valuetext", f"2{sep}5")

    # The box takes a comma or a point in either language, and writes it back the page's way.
    boxes.nth(1).fill("9")
    boxes.nth(1).blur()
    expect(boxes.nth(1)).to_have_value(f"9{sep}0")
    boxes.nth(2).fill("4.5")
    boxes.nth(3).fill("6,5")
    boxes.nth(3).blur()
    expect(lines.nth(2)).to_have_attribute("aria-valuenow", "4.5")
    expect(lines.nth(3)).to_have_attribute("aria-valuetext", f"6{sep}5")

    form.locator(".rating-form button[type=submit]").click()
    expect(form.locator(".saved")).to_be_visible()
    assert FormResponse.objects.get().items == [25, 90, 45, 65]
    for index, shown in enumerate(["2", "9", "4", "6"]):
        decimal = "0" if shown == "9" else "5"
        expect(boxes.nth(index)).to_have_value(f"{shown}{sep}{decimal}")

    # Hand-over: the client sees the saved numbers the same way.
    form.locator(".handover-start button[type=submit]").click()
    page.wait_for_url(f"**{reverse('handover', args=[meeting.pk, rater.pk, 'ORS'])}")
    expect(page.locator("input.item-number").nth(1)).to_have_value(f"9{sep}0")
    expect(page.locator("[role=slider]").nth(0)).to_have_attribute("aria-valuetext", f"2{sep}5")
