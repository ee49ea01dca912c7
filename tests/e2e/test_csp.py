"""The production Content Security Policy holds in a real browser: no page breaks it.

Every page of the project that answers a GET with HTML is loaded, for a helper and for a team
leader, with the settings the app runs with in production (no DEBUG, strict CSP). The pages are
found from the URL resolver, so pages added later are loaded too.
"""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from tests.security.conftest import HOME_ID, home  # noqa: F401  (fixture)
from tests.security.test_url_authorization import fill, project_urls

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
SKIP = {"logout", "set_language", "two_factor_disable"}


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")


def _visit_all(page, base: str, problems: list[str]) -> list[str]:
    visited = []
    for route, name, has_params in project_urls():
        if name in SKIP:
            continue
        url = base + (fill(route, HOME_ID) if has_params else "/" + route)
        head = page.request.get(url, max_redirects=0)
        if head.status != 200 or "text/html" not in head.headers.get("content-type", ""):
            continue
        page.goto(url)
        page.wait_for_load_state("networkidle")
        problems.extend(f"{url}: {v}" for v in page.evaluate("window.__csp"))
        assert page.evaluate("typeof window.htmx") == "object", f"{url}: htmx did not load"
        if page.evaluate("typeof window.Plotly") == "object":
            assert page.locator(".js-plotly-plot").count() > 0, f"{url}: Plotly drew nothing"
        visited.append(name)
    return visited


@pytest.mark.usefixtures("home")
def test_a_helpers_pages_break_no_csp_rule(live_server, page, alice):
    problems = _watch(page)
    _log_in(page, live_server.url, "alice")
    visited = _visit_all(page, live_server.url, problems)
    assert {"caseload", "client_detail", "client_rights", "two_factor_setup"} <= set(visited)
    assert problems == []


@pytest.mark.usefixtures("home")
def test_a_leaders_pages_break_no_csp_rule(live_server, page, carol):
    problems = _watch(page)
    _log_in(page, live_server.url, "carol")
    # The QR code page is the first a new leader sees; it is an image, not a script.
    page.wait_for_url("**/account/two-factor/setup/**")
    assert page.locator("img.qr").evaluate("img => img.naturalWidth") > 0
    device = TOTPDevice.objects.get(user=carol, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.fill("#id_token", f"{totp.token():06d}")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    visited = _visit_all(page, live_server.url, problems)
    assert {"team_dashboard", "audit_log", "client_audit"} <= set(visited)
    assert problems == []


def test_the_login_page_breaks_no_csp_rule(live_server, page, db):
    problems = _watch(page)
    page.goto(f"{live_server.url}/login/")
    page.wait_for_load_state("networkidle")
    problems.extend(page.evaluate("window.__csp"))
    assert problems == []


# -- saves: the htmx swap of a form, the chart and the status breaks no CSP rule -----------------


def _watch_everything(page) -> list[str]:
    """Any console error (CSP refusals are console errors too), script error or CSP report."""
    problems: list[str] = []
    page.add_init_script(LISTEN)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


def _family_meeting(client_n1, alice):
    """A family with two raters and two meetings behind them: the save redraws a real chart."""
    import datetime

    from clients.models import Rater
    from sessions.models import FormResponse, Meeting
    from sessions.outcome import refresh_episode
    from tests.conftest import add_meetings

    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[18.0, 21.0], srs=[34.0, 37.0])
    mother = Rater.objects.create(episode=episode, relation=Rater.Relation.MOTHER)
    for earlier, tenths in zip(episode.meetings.order_by("number"), (40, 42), strict=True):
        FormResponse.objects.create(
            meeting=earlier,
            rater=mother,
            instrument="ORS",
            item1=tenths,
            item2=tenths,
            item3=tenths,
            item4=tenths,
            total=4 * tenths,
        )
    refresh_episode(episode)
    meeting = Meeting.objects.create(
        episode=episode, number=3, date=datetime.date(2026, 3, 1), helper=alice
    )
    return meeting, episode.raters.get(relation="client"), mother


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_saving_on_the_meeting_page_breaks_no_csp_rule(live_server, page, client_n1, alice, lang):
    from playwright.sync_api import expect

    meeting, client, mother = _family_meeting(client_n1, alice)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    _log_in(page, live_server.url, "alice")
    problems = _watch_everything(page)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.wait_for_load_state("networkidle")
    # Submitted by keyboard: the chart redrawn after a save moves the buttons below it.
    # A completed form, by keyboard on the lines and a number typed in a box.
    form = page.locator(f"#form-r{client.pk}-ORS")
    for index in range(4):
        form.locator("[role=slider]").nth(index).focus()
        page.keyboard.press("PageUp")
    form.locator("input.item-number").nth(3).fill("7,5" if lang == "nb" else "7.5")
    form.locator(".rating-form button[type=submit]").press("Enter")
    expect(form.locator(".saved")).to_be_visible()
    expect(page.locator("#announce")).not_to_be_empty()
    # A declined form with a reason chosen and words typed, then the alliance form.
    other = page.locator(f"#form-r{mother.pk}-ORS")
    other.locator("input[value=declined]").check()
    other.locator("select").select_option("did_not_want")
    other.locator("input[type=text][name$=reason_text]").fill("Kom for sent")
    other.locator(".rating-form button[type=submit]").press("Enter")
    expect(other.locator(".saved")).to_be_visible()
    # Each save swaps the chart and the status out of band: let that settle before the next
    # form, so its keys go to the form on the page and not to one being replaced.
    page.wait_for_load_state("networkidle")
    end = page.locator(f"#form-r{client.pk}-SRS")
    for index in range(4):
        box = end.locator("input.item-number").nth(index)
        # A key pressed while the previous save's swap re-binds the lines can be lost (seen
        # about one run in three): press again until the line has taken it.
        for _attempt in range(3):
            end.locator("[role=slider]").nth(index).focus()
            page.keyboard.press("End")
            if box.input_value():
                break
            page.wait_for_timeout(200)
        expect(box).not_to_have_value("")
    end.locator(".rating-form button[type=submit]").press("Enter")
    expect(end.locator(".saved")).to_be_visible(timeout=15_000)
    expect(page.locator("#outcome .chart .scatterlayer .trace").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    problems.extend(page.evaluate("window.__csp"))
    assert problems == []


def test_a_hand_over_save_breaks_no_csp_rule(live_server, page, client_n1, alice):
    from playwright.sync_api import expect

    meeting, client, _mother = _family_meeting(client_n1, alice)
    _log_in(page, live_server.url, "alice")
    problems = _watch_everything(page)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.locator(f"#form-r{client.pk}-SRS .handover-start button").click()
    page.wait_for_url("**/handover/**")
    for index in range(4):
        page.locator("[role=slider]").nth(index).focus()
        page.keyboard.press("End")
    page.locator(".rating-form button[type=submit]").press("Enter")
    expect(page.locator(".saved")).to_be_visible()
    page.wait_for_load_state("networkidle")
    problems.extend(page.evaluate("window.__csp"))
    assert problems == []
