"""The session view in a real browser (Chromium, tablet width): log in, start a meeting, mark the
lines by keyboard and mouse, save, and see chart and status change without a reload; axe finds
nothing in either language."""

from __future__ import annotations

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from sessions.models import FormResponse, Meeting
from tests.conftest import PASSWORD, add_meetings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}


def log_in(page: Page, live_server, username: str = "alice", lang: str = "en") -> None:
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.set_viewport_size(TABLET)
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))


def watch_csp(page: Page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return violations


def test_it_records_a_meeting_and_updates_chart_and_status_without_reload(
    live_server, page: Page, client_n1, alice
):
    log_in(page, live_server)
    # From here on, the pages of the session view (the login page is not this screen's).
    violations = watch_csp(page)
    page.goto(live_server.url + reverse("client_detail", args=[client_n1.pk]))
    page.select_option("#id_format", "individual")
    page.click("form.start-meeting button[type=submit]")
    # The meeting is created when its date is confirmed, not by the first click.
    page.wait_for_url(re.compile(r"/meetings/new/"))
    assert not Meeting.objects.exists()
    page.click("form.meeting-new button[type=submit]")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    rater = meeting.episode.raters.get()
    form = page.locator(f"#form-r{rater.pk}-ORS")
    page.evaluate("window.sameDocument = true")
    expect(page.locator("#outcome .badge").first).to_have_class(re.compile("status-none"))

    # Keyboard: page keys move 1.0, arrows 0.1.
    first = form.locator("[role=slider]").nth(0)
    first.focus()
    for key in ["PageUp"] * 6 + ["ArrowRight"] * 3 + ["ArrowLeft"]:
        page.keyboard.press(key)
    expect(form.locator("input.item-number").nth(0)).to_have_value("6.2")
    expect(first).to_have_attribute("aria-valuenow", "6.2")

    # Mouse (or finger): the mark lands where the line is touched.
    second = form.locator("[role=slider]").nth(1)
    box = second.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2)
    value = float(form.locator("input.item-number").nth(1).input_value())
    assert 6.8 <= value <= 7.2

    # The number fields are the alternative to the line.
    form.locator("input.item-number").nth(2).fill("4.5")
    form.locator("input.item-number").nth(3).fill("5")
    form.locator("input.item-number").nth(3).blur()
    expect(form.locator("input.item-number").nth(3)).to_have_value("5.0")
    expect(form.locator("[role=slider]").nth(2)).to_have_attribute("aria-valuenow", "4.5")

    page.locator(f"#form-r{rater.pk}-ORS .rating-form button[type=submit]").click()
    expect(page.locator(f"#form-r{rater.pk}-ORS .saved")).to_be_visible()
    expect(page.locator("#outcome .badge").first).to_have_class(re.compile("status-intake"))
    expect(page.locator("#outcome .chart .scatterlayer .trace").first).to_be_attached()
    assert page.evaluate("window.sameDocument") is True  # no reload happened

    saved = FormResponse.objects.get()
    assert saved.item1 == 62 and saved.item3 == 45 and saved.item4 == 50
    # The swapped-in form works like the first: the line moves by keyboard again.
    form.locator("[role=slider]").nth(3).focus()
    page.keyboard.press("PageUp")
    expect(form.locator("input.item-number").nth(3)).to_have_value("6.0")
    assert violations == []


def test_a_bad_value_is_shown_beside_the_field_and_kept(live_server, page: Page, client_n1, alice):
    meeting = Meeting.objects.create(
        episode=client_n1.episodes.get(), number=1, date=datetime.date(2026, 3, 1), helper=alice
    )
    rater = meeting.episode.raters.get()
    log_in(page, live_server)
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    form = page.locator(f"#form-r{rater.pk}-ORS")
    for index, value in enumerate(["12", "5", "5", ""]):
        form.locator("input.item-number").nth(index).fill(value)
    form.locator(".rating-form button[type=submit]").click()
    expect(form.locator(".field-error").first).to_have_text("Use a number from 0 to 10.")
    expect(form.locator("input.item-number").nth(0)).to_have_value("12")
    expect(form.locator("input.item-number").nth(0)).to_have_attribute("aria-invalid", "true")
    expect(form.locator("input.item-number").nth(0)).to_be_focused()  # the first field to fix
    assert not FormResponse.objects.exists()


def test_the_status_turns_red_when_the_client_falls_behind(
    live_server, page: Page, client_n1, alice
):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[20.0, 20.5])
    meeting = Meeting.objects.create(
        episode=episode, number=3, date=datetime.date(2026, 3, 1), helper=alice
    )
    rater = episode.raters.get()
    log_in(page, live_server)
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    expect(page.locator("#outcome .badge").first).to_have_class(re.compile("status-at_risk"))
    form = page.locator(f"#form-r{rater.pk}-ORS")
    for index in range(4):
        form.locator("input.item-number").nth(index).fill("5.2")
    form.locator(".rating-form button[type=submit]").click()
    expect(page.locator("#outcome .badge").first).to_have_class(re.compile("status-off_track"))
    expect(page.locator("#outcome .reasons").first).to_contain_text("expected")
    expect(page.locator("#announce")).to_contain_text("off track")


def test_the_hand_over_mode_shows_only_the_form_and_asks_for_the_password(
    live_server, page: Page, client_n1, alice
):
    meeting = Meeting.objects.create(
        episode=client_n1.episodes.get(), number=1, date=datetime.date(2026, 3, 1), helper=alice
    )
    rater = meeting.episode.raters.get()
    log_in(page, live_server)
    violations = watch_csp(page)
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    page.locator(f"#form-r{rater.pk}-ORS .handover-start button").click()
    expect(page.locator("nav")).to_have_count(0)
    expect(page.locator("#outcome")).to_have_count(0)
    for index in range(4):
        page.locator("[role=slider]").nth(index).focus()
        page.keyboard.press("End")
    page.locator(".rating-form button[type=submit]").click()
    expect(page.locator(".saved")).to_contain_text("Thank you")
    page.goto(live_server.url + reverse("caseload"))
    assert "/handover/" in page.url  # everything else leads back to the form
    page.locator(".handover-back summary").click()
    page.fill("input[type=password]", PASSWORD)
    page.locator(".unlock-form button").click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    expect(page.locator("#outcome")).to_be_visible()
    assert FormResponse.objects.get().total == 400
    assert violations == []


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_pages_have_no_axe_violations(live_server, page: Page, client_n1, alice, lang):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[20.0, None, 22.0], srs=[35.0, 37.0, 38.0])
    meeting = Meeting.objects.create(
        episode=episode, number=4, date=datetime.date(2026, 3, 1), helper=alice
    )
    rater = episode.raters.get()
    log_in(page, live_server, lang=lang)
    axe = Axe()
    urls = [
        reverse("client_detail", args=[client_n1.pk]),
        reverse("meeting_detail", args=[meeting.pk]),
    ]
    for url in urls:
        page.goto(live_server.url + url)
        expect(page.locator("#outcome .chart .scatterlayer .trace").first).to_be_attached()
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
    # With errors shown beside the fields.
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    page.locator(f"#form-r{rater.pk}-ORS .rating-form button[type=submit]").click()
    expect(page.locator(f"#form-r{rater.pk}-ORS .field-error").first).to_be_visible()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    # The hand-over page.
    page.locator(f"#form-r{rater.pk}-SRS .handover-start button").click()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
