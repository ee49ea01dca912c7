"""In a browser: a helper registers a client from the caseload, finds them by search, shares the
case with a colleague and transfers it to another team; axe finds nothing on the intake page.

With KOR_SCREENSHOTS=<dir> the pages are saved as pictures (desktop and tablet) to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from clients.models import Client
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}


def log_in(page: Page, live_server, username: str, lang: str = "nb") -> None:
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))


def shoot(page: Page, name: str) -> None:
    """Save the page in both sizes when asked to (for looking at, not for asserting)."""
    folder = os.environ.get("KOR_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("tablet", TABLET)):
        page.set_viewport_size(size)
        page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_a_helper_registers_finds_shares_and_transfers(
    live_server, page: Page, alice, bob, erin, dave, south
):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "alice")
    page.goto(live_server.url + reverse("caseload"))
    page.get_by_role("link", name="Ny klient").click()
    expect(page.get_by_role("heading", name="Ny klient")).to_be_visible()
    shoot(page, "intake")

    # A first try with the birth year missing: the message is by the field, the rest kept.
    page.get_by_label("Saksnummer").fill("N-777")
    page.get_by_role("button", name="Registrer klienten").click()
    expect(page.locator("#id_birth_year_error")).to_contain_text("Skriv fødselsåret")
    expect(page.get_by_label("Saksnummer")).to_have_value("N-777")
    shoot(page, "intake-errors")

    page.get_by_label("Fødselsår").fill("1988")
    page.select_option("#id_language", "nn")
    page.check("#id_forms_consent_0")  # yes
    page.fill("#id_forms_consent_on", "2026-11-20")
    page.fill("#id_started_on", "2026-11-20")
    page.get_by_role("button", name="Registrer klienten").click()
    expect(page.get_by_role("heading", name="N-777")).to_be_visible()
    client = Client.objects.get(case_code="N-777")
    assert client.language_id == "nn"
    assert client.episodes.get().started_on.isoformat() == "2026-11-20"
    shoot(page, "client-page")

    # Found by search on the caseload.
    page.goto(live_server.url + reverse("caseload"))
    page.get_by_label("Søk").fill("777")
    page.get_by_role("button", name="Vis").click()
    expect(page.locator("table.dashboard tbody tr")).to_have_count(1)
    expect(page.locator("table.dashboard")).to_contain_text("N-777")
    shoot(page, "caseload-search")

    # Shared with Bob.
    page.get_by_role("link", name="N-777", exact=True).click()
    page.get_by_role("link", name="Del med en kollega").click()
    page.select_option("#id_colleague", label="Bob")
    page.get_by_role("button", name="Del", exact=True).click()
    expect(page.locator(".share-list")).to_contain_text("Bob")
    assert client.shared_with.filter(pk=bob.pk).exists()
    shoot(page, "sharing")

    # Transferred to Dave in team South: the case leaves Alice's hands.
    page.get_by_role("link", name="Tilbake til N-777").click()
    page.get_by_role("link", name="Overfør").click()
    shoot(page, "transfer")
    page.get_by_label("Nytt team og ny ansvarlig hjelper").select_option(f"{south.pk}:{dave.pk}")
    page.get_by_role("button", name="Overfør").click()
    expect(page.locator(".messages")).to_contain_text("N-777 ligger nå hos Dave i team South")
    client.refresh_from_db()
    assert (client.team_id, client.responsible_helper_id) == (south.pk, dave.pk)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_intake_page_has_no_axe_violations(live_server, page: Page, alice, lang):
    page.set_viewport_size(TABLET)
    log_in(page, live_server, "alice", lang)
    page.goto(live_server.url + reverse("client_new"))
    axe = Axe()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    # With the messages beside the fields.
    page.locator("main button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
