"""Data quality and completion on the statistics page and in the team PDF: the same figures,
for whom they are shown. The team is tests/sessions/completion_fixtures.py (counted by hand in
tests/sessions/test_completion.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from clients.models import Episode
from sessions.reports.data import team_report_data
from sessions.reports.pdf import team_report_pdf
from tests.reports.conftest import pdf_text
from tests.sessions.completion_fixtures import END, START, build_team

PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


@pytest.fixture
def team(org, north, alice, bob):
    return build_team(org, north, alice, bob)


def _page(login, user) -> str:
    browser = login(user)
    browser.cookies["django_language"] = "en"
    return browser.get(reverse("statistics"), PERIOD).content.decode()


def _cells(html: str, helper: str) -> dict[str, str]:
    """The completion cells of one row ("team" or a helper id), as the text a reader sees."""
    section = html.split('id="data-quality"')[1].split("</section>")[0]
    row = re.search(rf'<tr data-helper="{helper}"[^>]*>(.*?)</tr>', section, re.S).group(1)
    cells = re.findall(r'<td data-quality="(\w+)">(.*?)</td>', row, re.S)
    return {key: " ".join(re.sub(r"<[^>]+>", " ", value).split()) for key, value in cells}


def test_the_leader_sees_the_team_and_each_helper(login, carol, alice, bob, team):
    html = _page(login, carol)

    assert _cells(html, "team") == {
        "outcome": "80 % 8 / 10",
        "alliance": "70 % ! (much missing) 7 / 10",
        "intake": "75 % ! (much missing) 3 / 4",
        "last": "50 % ! (much missing) 1 / 2",
        "declined": "1",
        "not_offered": "1",
        "remote": "0",
    }
    assert _cells(html, str(alice.pk))["intake"] == "67 % ! (much missing) 2 / 3"
    assert _cells(html, str(bob.pk))["alliance"] == "0 % ! (much missing) 0 / 2"
    assert "1 of 4 episodes have no intake score" in html
    assert "Too distressed today" in html
    assert "remote forms were sent is shown once remote links are in use" in html


def test_a_helper_sees_only_their_own_completion(login, alice, team):
    html = _page(login, alice)

    section = html.split('id="data-quality"')[1].split("</section>")[0]
    assert re.findall(r'<tr data-helper="(\w+)"', section) == ["team"]  # no colleague rows
    assert _cells(html, "team")["outcome"] == "88 % 7 / 8"  # A, B, E: alice's own


@pytest.mark.parametrize("persona", ["erin", "dave", "olga", "oscar"])
def test_others_see_nothing_of_north(request, login, persona, team):
    user = request.getfixturevalue(persona)
    html = _page(login, user)

    assert _cells(html, "team")["outcome"] == "– 0 / 0"
    assert "Too distressed today" not in html


def test_the_pdf_shows_the_figures_of_the_page(login, carol, alice, bob, north, team):
    html = _page(login, carol)
    data = team_report_data(north, START, END, episodes=Episode.objects.visible_to(carol))
    text = pdf_text(team_report_pdf(data, printed_by="Carol", lang="en"))

    # Each row of the PDF: the label, the four percentages (! when marked) and the three
    # counts on the first line, what each share counts ("8/10") on the second.
    # (pdftotext drops some spaces: the lines are compared without any.)
    lines = ["".join(line.split()) for line in text.splitlines()]
    for label, helper in (("Team", "team"), ("Alice", str(alice.pk)), ("Bob", str(bob.pk))):
        page = _cells(html, helper)
        first, counts = [], []
        for key in ("outcome", "alliance", "intake", "last"):
            pct, count, n = re.match(r"(\d+) %.*?(\d+) / (\d+)", page[key]).groups()
            first.append(f"{pct}%{'!' if '!' in page[key] else ''}")
            counts.append(f"{count}/{n}")
        first += [page["declined"], page["not_offered"], page["remote"]]
        row = lines.index("".join([label, *first]))
        assert lines[row + 1] == "".join(counts), lines[row : row + 2]
    assert "1of4episodeshavenointakescore" in "".join(lines)
    assert "declinedToodistressedtoday1" in lines


def test_the_pdf_names_helpers_or_numbers_them(carol, north, team):
    named = team_report_data(north, START, END, episodes=Episode.objects.visible_to(carol))
    assert [row.name for row, _ in named.quality_helpers] == ["Alice", "Bob"]
    hidden = team_report_data(
        north, START, END, episodes=Episode.objects.visible_to(carol), hide_helpers=True
    )
    text = pdf_text(team_report_pdf(hidden, printed_by="Carol", lang="en"))
    assert "Alice" not in text and "Bob" not in text
    labels = {row.label for row, _ in hidden.quality_helpers}
    assert labels <= {row.label for row in hidden.helpers}
