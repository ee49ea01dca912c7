"""In a browser: upload a sheet, see the preview with its problems, import the valid rows."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from playwright.sync_api import Browser, expect

from kor.models import Membership, Organisation, Team
from sessions.models import FormResponse
from tests.conftest import make_user, verify_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    "Klientnr;Dato;Skjema;Utfylt av;Skala 1;Skala 2;Skala 3;Skala 4;Sum;Team\n"
    "N-100;02.03.2026;ORS;klient;4,5;5;6,1;4,8;;North\n"
    "N-100;02.03.2026;SRS;klient;9;9;9;9,5;;North\n"
    "N-100;09.03.2026;ORS;mor;5;5;5;5;;North\n"
    "N-100;09.03.2026;XYZ;klient;9;9;9;9,5;;North\n"
    "N-100;16.03.2026;ORS;klient;11;5;5;5;;North\n"
    "N-100;16.03.2026;SRS;klient;;;;;41;North\n"
    "N-101;02.03.2026;ORS;klient;4;4;4;4;;Atlantis\n"
)
SHOTS = Path(os.environ.get("KOR_SCREENSHOTS", tempfile.gettempdir()))


@pytest.fixture
def leader_page(browser: Browser, live_server):
    org = Organisation.objects.create(name="Bydel Nord", slug="nord")
    north = Team.objects.create(organisation=org, name="North")
    carol = make_user("carol", org, north, Membership.Role.LEADER)
    django_client = DjangoClient()
    django_client.force_login(carol)
    verify_second_factor(django_client, carol)
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(locale="nb-NO")
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_preview_lists_counts_and_problems_then_imports(
    leader_page, live_server, tmp_path, width
):
    page = leader_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.set_viewport_size({"width": width, "height": 900})
    sheet = tmp_path / "kor-ark.csv"
    sheet.write_text(CSV, encoding="utf-8")
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("input[type=file]", str(sheet))
    page.get_by_role("button", name="Sjekk filen").click()
    expect(page.get_by_role("heading", name="Før noe lagres")).to_be_visible()
    expect(page.get_by_text("Ukjent skjema «XYZ»")).to_be_visible()
    expect(page.get_by_text("Spørsmål 1 er 11, utenfor 0–10.")).to_be_visible()
    expect(page.get_by_text("Summen 41 er utenfor 0–40.")).to_be_visible()
    expect(page.get_by_text("Ukjent team «Atlantis»")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"import-preview-{width}.png"), full_page=True)
    assert FormResponse.objects.count() == 0
    page.get_by_role("button", name="Importer de 3 nye skjemaene").click()
    expect(page.get_by_text("Lagret 3 skjema")).to_be_visible()
    assert FormResponse.objects.filter(source="import").count() == 3
    assert errors == []
