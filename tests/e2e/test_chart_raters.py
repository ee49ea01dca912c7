"""A family of three raters in a real browser: each rater's toggle hides and shows that rater's
lines (aria-pressed follows), also by keyboard and across a save; the legend does not run into
the axis title; the forms sit side by side; the hover writes numbers in the page's language; no
Content-Security-Policy violation."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from clients.models import Rater
from sessions.outcome import refresh_episode
from tests.conftest import PASSWORD, add_meetings, make_client
from tests.sessions.test_outcome_read_model import rate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def family(org, north, alice):
    """A 15-year-old rated by themself, their mother and their father over four meetings; the
    client declined the form in meeting 3 and is off track at meeting 4."""
    client = make_client(org, north, alice, "F-200", birth_year=2011, age_group="adolescent")
    episode = client.episodes.get()
    mother = Rater.objects.create(episode=episode, relation=Rater.Relation.MOTHER, label="Mor")
    father = Rater.objects.create(episode=episode, relation=Rater.Relation.FATHER, label="Far")
    add_meetings(episode, ors=[18.0, 18.5, None, 19.0], srs=[34.0, 35.0, 36.0, 37.0])
    rate(episode, mother, "ORS", [15.0, 16.0, 17.5, 19.0])
    rate(episode, mother, "SRS", [33.0, 34.0, 36.0, 36.5])
    rate(episode, father, "ORS", [22.0, 21.0, 23.0, 24.5])
    rate(episode, father, "SRS", [36.0, 36.0, 37.0, 38.0])
    refresh_episode(episode)
    return episode


def log_in(page: Page, live_server, size: dict) -> list[str]:
    problems: list[str] = []
    page.add_init_script(WATCH)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.context.add_cookies([{"name": "django_language", "value": "nb", "url": live_server.url}])
    page.set_viewport_size(size)
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))
    return problems


def visible(page: Page, rater_id: int) -> list:
    """The `visible` of every trace of the rater in the drawn chart (Plotly's own data)."""
    return page.evaluate(
        """id => document.querySelector('[data-chart="chart-data"]').data
            .filter(t => t.meta && t.meta.rater === id)
            .map(t => t.visible === undefined ? true : t.visible)""",
        rater_id,
    )


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_a_raters_toggle_hides_and_shows_their_lines(live_server, page: Page, family):
    problems = log_in(page, live_server, {"width": 1366, "height": 900})
    meeting = family.meetings.get(number=4)
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    page.wait_for_selector(".js-plotly-plot")
    client, mother, father = family.raters.order_by("pk")
    toggles = page.locator("[data-chart-raters] button")
    expect(toggles).to_have_count(3)
    mum = page.locator(f"[data-chart-raters] button[data-rater='{mother.pk}']")
    expect(mum).to_have_attribute("aria-pressed", "true")
    assert visible(page, mother.pk) and all(v is True for v in visible(page, mother.pk))

    mum.click()
    expect(mum).to_have_attribute("aria-pressed", "false")
    assert all(v is False for v in visible(page, mother.pk))
    assert all(v is True for v in visible(page, client.pk) + visible(page, father.pk))

    # By keyboard: focus and Space shows them again.
    mum.focus()
    page.keyboard.press("Space")
    expect(mum).to_have_attribute("aria-pressed", "true")
    assert all(v is True for v in visible(page, mother.pk))

    # The choice survives a save (the panel is swapped in anew).
    dad = page.locator(f"[data-chart-raters] button[data-rater='{father.pk}']")
    dad.click()
    expect(dad).to_have_attribute("aria-pressed", "false")
    page.evaluate("window.sameDocument = true")
    page.locator(f"#form-r{father.pk}-SRS button[type=submit].primary").click()
    expect(page.locator(f"#form-r{father.pk}-SRS .saved")).to_be_visible()
    dad = page.locator(f"[data-chart-raters] button[data-rater='{father.pk}']")
    expect(dad).to_have_attribute("aria-pressed", "false")
    assert all(v is False for v in visible(page, father.pk))
    assert page.evaluate("window.sameDocument") is True

    assert page.evaluate("window.__csp") == []
    assert problems == []


@pytest.mark.parametrize("size", [{"width": 1366, "height": 900}, {"width": 820, "height": 1180}])
def test_a_familys_page_is_compact_and_its_legend_clear(live_server, page: Page, family, size):
    problems = log_in(page, live_server, size)
    meeting = family.meetings.get(number=4)
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    page.wait_for_selector(".js-plotly-plot")
    # The legend and the "Møte" axis title do not overlap.
    legend = page.locator(".js-plotly-plot .legend").bounding_box()
    title = page.locator(".js-plotly-plot .xtitle").bounding_box()
    assert title is not None and legend is not None
    assert not overlap(legend, title)
    # The three outcome forms: side by side (two or three in the first row), not one column.
    cards = page.locator(".session-start .rating-card")
    expect(cards).to_have_count(3)
    tops = [cards.nth(k).bounding_box()["y"] for k in range(3)]
    assert tops[0] == tops[1]
    # The reason names the meeting the chart shows; the way back on track is said in words.
    reasons = page.locator("#outcome .reasons").first
    expect(reasons).to_contain_text("ved møte 4")
    expect(reasons).to_contain_text("Ved neste møte (møte 5) trengs ORS på minst")
    # axe finds nothing, with the toggles shown and with one of them pressed off
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.locator("[data-chart-raters] button").nth(1).click()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    shots = os.environ.get("KOR_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        name = f"family-{size['width']}x{size['height']}"
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)
        page.locator("#outcome").screenshot(path=f"{shots}/{name}-chart.png")
    assert page.evaluate("window.__csp") == []
    assert problems == []


def test_the_hover_writes_scores_in_the_pages_language(live_server, page: Page, family):
    """The server sends the numbers; Plotly writes them with Django's separators (nb: comma),
    without breaking the Content-Security-Policy."""
    problems = log_in(page, live_server, {"width": 1366, "height": 900})
    meeting = family.meetings.get(number=4)
    page.goto(live_server.url + reverse("meeting_detail", args=[meeting.pk]))
    page.wait_for_selector(".js-plotly-plot")
    client = family.raters.order_by("pk").first()

    def hover(kind: str, point: int):
        """Hover a point of the client's series of `kind` (as the mouse would): its label."""
        page.evaluate(
            """([id, kind, point]) => {
                const el = document.querySelector('[data-chart="chart-data"]');
                const curve = el.data.findIndex(t => t.meta && t.meta.rater === id
                                                     && t.meta.kind === kind);
                window.Plotly.Fx.unhover(el);
                window.Plotly.Fx.hover(el, [{curveNumber: curve, pointNumber: point}]);
            }""",
            [client.pk, kind, point],
        )
        return expect(page.locator(".js-plotly-plot .hoverlayer"))

    # The client's ORS at meeting 4 (the third form: meeting 3 was declined), and its items.
    outcome = re.compile(r"ORS – klienten, møte 4: 19,0.*Individuelt: \d,\d")
    hover("outcome", 2).to_contain_text(outcome)
    hover("expected", 3).to_contain_text(re.compile(r"forventet: \d+,\d"))
    hover("band", 0).to_contain_text(
        re.compile(r"ORS – klienten, møte 4: ikke i rute under \d+,\d")
    )
    # Hovering styles nothing inline (a <b> in the label did, against the CSP).
    assert page.evaluate("window.__csp") == []
    assert problems == []
