"""In a browser: an organisation administrator invites a person, the person sets a password from
the e-mail, and the administrator makes them leader of a team; the team's leader sees it in the
audit log. Axe finds nothing serious on the administration pages (nb), errors shown included.

With ORGADMIN_SCREENSHOTS=<dir> set, the pages are also saved as screenshots (desktop and tablet).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client as DjangoClient
from playwright.sync_api import Browser, Page, expect

from kor.models import AuditEvent, Membership, Organisation, Team, User
from tests.conftest import make_user, verify_second_factor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ORGADMIN_SCREENSHOTS")
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "tablet": {"width": 820, "height": 1180}}


@pytest.fixture
def world(db):
    org = Organisation.objects.create(name="Bydel Nord", slug="nord")
    north = Team.objects.create(organisation=org, name="Nord")
    Team.objects.create(organisation=org, name="Sør")
    make_user("alice", org, north, last_name="Aas", title="psykolog")
    carol = make_user("carol", org, north, Membership.Role.LEADER, last_name="Berg")
    olga = make_user("olga", org, is_org_admin=True, last_name="Olsen")
    return olga, carol, north


@pytest.fixture
def open_as(browser: Browser, live_server):
    contexts = []

    def _open(user: User | None, viewport=VIEWPORTS["desktop"]) -> Page:
        context = browser.new_context(locale="nb-NO", viewport=viewport)
        # Generous: on a shared, busy machine the first page of a live server can take long.
        context.set_default_timeout(90_000)
        contexts.append(context)
        if user is not None:
            django_client = DjangoClient()
            django_client.force_login(user)
            verify_second_factor(django_client, user)
            cookie = django_client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": cookie.value,
                        "url": live_server.url,
                    }
                ]
            )
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def _axe(page: Page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]]) for v in serious]


def test_an_administrator_invites_a_person_and_makes_them_leader(world, open_as, live_server):
    olga, carol, _north = world
    page = open_as(olga)
    page.goto(f"{live_server.url}/organisation/")
    # The list narrows while typing (htmx), without a reload.
    page.evaluate("window.__noReload = true")
    page.get_by_label("Søk på navn, e-post eller tittel").fill("carol")
    expect(page.locator("#people-list")).not_to_contain_text("Alice")
    expect(page.locator("#people-list")).to_contain_text("Carol")
    assert page.evaluate("window.__noReload") is True
    page.get_by_role("link", name="Inviter en person").click()

    # A mistake first: the message stands beside the field, and what was typed stays.
    page.get_by_label("E-postadresse").fill("nina@eksempel")
    page.get_by_label("Fornavn").fill("Nina")
    page.get_by_label("Etternavn").fill("Nilsen")
    page.get_by_role("button", name="Send invitasjonen").click()
    expect(page.locator("#id_email_error")).to_be_visible()
    expect(page.get_by_label("Fornavn")).to_have_value("Nina")
    _axe(page)

    page.get_by_label("E-postadresse").fill("nina@eksempel.no")
    page.get_by_label("Tittel").fill("familieterapeut")
    page.get_by_label("Tittel").press("Enter")  # by keyboard
    expect(page.locator("h1")).to_contain_text("Nina Nilsen")
    expect(page.locator(".messages")).to_contain_text("er invitert")

    # The invitee sets a password from the e-mail.
    (message,) = mail.outbox
    link = re.search(r"http://\S+/account/password-reset/\S+/", message.body)[0]
    invitee = open_as(None)
    invitee.goto(link.replace("http://testserver", live_server.url))
    invitee.get_by_label("Nytt passord", exact=True).fill("et-langt-nytt-passord")
    invitee.get_by_label("Bekreft nytt passord").fill("et-langt-nytt-passord")
    invitee.get_by_role("button", name="Lagre passord").click()
    nina = User.objects.get(email="nina@eksempel.no")
    assert nina.check_password("et-langt-nytt-passord")

    # The administrator makes her leader of Nord.
    page.get_by_label("Team", exact=True).select_option(label="Nord")
    page.get_by_label("Rolle", exact=True).select_option(label="teamleder")
    page.get_by_role("button", name="Lagre rollen").click()
    expect(page.locator(".messages")).to_contain_text("Rollen er lagret")
    expect(page.locator("#roles-heading + table")).to_contain_text("teamleder")
    _axe(page)
    assert nina.memberships.get().role == "leader"
    assert AuditEvent.objects.filter(object_id=str(nina.pk), detail__administration="role").exists()

    # The leader of Nord sees it in the audit log's administration filter.
    leader = open_as(carol)
    leader.goto(f"{live_server.url}/audit/")
    leader.get_by_label("Vis").select_option(label="administrasjon av personer og team")
    leader.get_by_role("button", name="Filtrer").click()
    expect(leader.locator("table")).to_contain_text("ingen → teamleder")
    expect(leader.locator("table")).to_contain_text("Nina Nilsen")


def test_an_administrator_cannot_make_themselves_leader_in_the_browser(world, open_as, live_server):
    olga, _carol, _north = world
    page = open_as(olga)
    page.goto(f"{live_server.url}/organisation/people/{olga.pk}/")
    expect(page.locator("body")).to_contain_text("Du kan ikke gi deg selv en rolle i et team")
    expect(page.locator("select[name=role]")).to_have_count(0)
    assert not olga.memberships.exists()


@pytest.mark.parametrize(
    "path", ["/organisation/", "/organisation/teams/", "/organisation/teams/{team}/"]
)
def test_the_administration_pages_have_no_serious_accessibility_faults(
    world, open_as, live_server, path
):
    olga, _carol, north = world
    page = open_as(olga)
    page.goto(live_server.url + path.format(team=north.pk))
    _axe(page)


@pytest.mark.skipif(not SHOTS, reason="set ORGADMIN_SCREENSHOTS=<dir> to save screenshots")
def test_screenshots(world, open_as, live_server):
    olga, carol, north = world
    alice = User.objects.get(username="alice")
    out = Path(SHOTS)
    out.mkdir(parents=True, exist_ok=True)
    for name, viewport in VIEWPORTS.items():
        page = open_as(olga, viewport)
        for slug, path in [
            ("people", "/organisation/"),
            ("invite", "/organisation/people/invite/"),
            ("person", f"/organisation/people/{alice.pk}/"),
            ("self", f"/organisation/people/{olga.pk}/"),
            ("teams", "/organisation/teams/"),
            ("team", f"/organisation/teams/{north.pk}/"),
        ]:
            page.goto(live_server.url + path)
            page.screenshot(path=str(out / f"{slug}-{name}.png"), full_page=True)
        page.goto(f"{live_server.url}/organisation/people/invite/")
        page.get_by_role("button", name="Send invitasjonen").click()
        page.screenshot(path=str(out / f"invite-errors-{name}.png"), full_page=True)
        page.goto(f"{live_server.url}/organisation/people/{alice.pk}/")
        page.get_by_label("Team", exact=True).select_option(label="Sør")
        page.get_by_label("Rolle", exact=True).select_option(label="teamleder")
        page.get_by_role("button", name="Lagre rollen").click()
        page.screenshot(path=str(out / f"person-role-saved-{name}.png"), full_page=True)
        review = open_as(carol, viewport)
        review.goto(f"{live_server.url}/audit/?kind=administration")
        review.screenshot(path=str(out / f"audit-leader-{name}.png"), full_page=True)
        Membership.objects.filter(user=alice, team__name="Sør").delete()
