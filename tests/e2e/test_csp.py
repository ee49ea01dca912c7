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
