"""In a browser: an organisation administrator makes an API token, sees its secret once, and
watches a bulk export's progress bar move without reloading. Axe finds nothing serious.

With ORGADMIN_SCREENSHOTS=<dir> set, the pages are saved as screenshots (desktop and phone).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kor.models import ApiToken
from sessions.models import FhirExportJob
from tests.e2e.test_orgadmin_browser import _axe, open_as, world  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ORGADMIN_SCREENSHOTS")
PHONE = {"width": 390, "height": 844}


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_an_administrator_makes_a_token_and_follows_an_export(
    world,  # noqa: F811 (the fixture imported above)
    open_as,  # noqa: F811
    live_server,
):
    olga, _carol, _north = world
    page = open_as(olga)
    page.goto(f"{live_server.url}/organisation/")
    page.get_by_role("link", name="API-nøkler").click()
    page.get_by_label("Navn").fill("Journalsystemet")
    page.get_by_label("Navn").press("Enter")  # by keyboard
    secret = page.get_by_label("Nøkkel", exact=True)
    value = secret.input_value()
    assert value.startswith("kor_")
    _axe(page)
    _shot(page, "api-tokens-desktop")
    phone = open_as(olga, viewport=PHONE)
    phone.goto(f"{live_server.url}/organisation/api-tokens/")
    expect(phone.locator("table")).to_contain_text("Journalsystemet")
    assert value not in phone.content()  # shown once
    _shot(phone, "api-tokens-phone")

    job = FhirExportJob.objects.create(
        organisation=olga.organisation,
        token=ApiToken.objects.get(),
        state="running",
        done=2,
        total=10,
    )
    page.goto(f"{live_server.url}/organisation/api-exports/")
    expect(page.locator("progress")).to_have_attribute("value", "2")
    _axe(page)
    _shot(page, "api-exports-desktop")
    FhirExportJob.objects.filter(pk=job.pk).update(
        state="done", done=10, files={"Patient": 10, "Observation": 80}
    )
    expect(page.locator("#export-list")).to_contain_text("ferdig", timeout=15_000)
    expect(page.locator("#export-list")).to_contain_text("Observation 80")
