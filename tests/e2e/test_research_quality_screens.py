"""In a browser: the data quality section of the statistics page and the research export page,
on a desktop and at 320 CSS px, with axe."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.e2e.test_leader_screens import (  # noqa: F401 - fixtures
    DESKTOP,
    NARROW,
    _violations,
    open_as,
    people,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KOR_SCREENSHOTS")  # a directory: save what the test saw, to look at


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["1366", "320"])
def test_the_data_quality_section_reads_and_reflows(live_server, people, open_as, viewport):  # noqa: F811
    _, carol = people
    page = open_as(carol, viewport)
    page.goto(f"{live_server.url}/team/statistics/")

    section = page.locator("#data-quality")
    expect(section.locator("h2")).to_have_text("Datakvalitet og utfylling")
    expect(section.locator('tr[data-helper="team"] [data-quality="outcome"]')).to_contain_text(
        "100 %"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/statistics-{viewport['width']}.png", full_page=True)


@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["1366", "320"])
def test_the_research_export_page_passes_axe(live_server, people, open_as, viewport):  # noqa: F811
    _, carol = people
    page = open_as(carol, viewport)
    page.goto(f"{live_server.url}/reports/research/")

    expect(page.locator("h1")).to_have_text("Forskningseksport")
    assert page.locator('input[name="teams"]').count() == 2  # both teams Carol leads
    assert _violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/research-{viewport['width']}.png", full_page=True)
