"""The leader's dashboard over two teams: a team column and filter, and the counts per status
at the top that filter the table (issue 13)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Episode
from kor.models import Membership
from tests.conftest import make_client


@pytest.fixture
def two_teams(org, north, south, alice, dave, carol):
    """Carol leads North and South: North has two off track and one on track, South one at risk."""
    Membership.objects.create(user=carol, team=south, role=Membership.Role.LEADER)
    for code, team, helper, status in [
        ("N-1", north, alice, "off_track"),
        ("N-2", north, alice, "off_track"),
        ("N-3", north, alice, "on_track"),
        ("S-1", south, dave, "at_risk"),
    ]:
        client = make_client(org, team, helper, code)
        Episode.objects.filter(client=client).update(status=status)


def _get(login, user, query: str = ""):
    browser = login(user)
    browser.cookies["django_language"] = "en"
    return browser.get(reverse("team_dashboard") + query)


def codes(response) -> list[str]:
    return sorted(e.client.case_code for e in response.context["page"].object_list)


def test_it_shows_the_team_of_each_client_to_a_leader_of_two_teams(login, carol, two_teams):
    html = _get(login, carol).content.decode()

    row = html[html.index(">S-1</a>") :]
    assert row[: row.index("</tr>")].count("South") == 1
    assert '<select id="f-team" name="team">' in html


def test_it_filters_by_team(login, carol, south, two_teams):
    assert codes(_get(login, carol, f"?team={south.pk}")) == ["S-1"]


@pytest.mark.parametrize("team", ["abc", "-1", "999999"])
def test_it_shows_nothing_for_a_team_the_leader_cannot_have_chosen(login, carol, two_teams, team):
    response = _get(login, carol, f"?team={team}")

    assert codes(response) == []
    assert "There is no such team among yours" in response.content.decode()


def test_it_shows_a_team_that_is_not_the_leaders_nothing(login, erin, north, two_teams):
    response = _get(login, erin, f"?team={north.pk}")

    assert codes(response) == []


def test_it_leaves_the_team_column_out_for_one_team(login, erin, two_teams):
    html = _get(login, erin).content.decode()

    assert 'name="team"' not in html


def test_it_counts_the_open_episodes_per_status_as_links_that_filter(login, carol, two_teams):
    response = _get(login, carol)
    summary = {i["status"]: i["count"] for i in response.context["summary"]["items"]}

    assert summary["off_track"] == 2 and summary["on_track"] == 1 and summary["at_risk"] == 1
    assert response.context["summary"]["total"] == 4
    html = response.content.decode()
    assert '<a href="?status=off_track" class="status-link status-off_track">' in html
    assert "Off track <strong>2</strong>" in html

    chosen = _get(login, carol, "?status=off_track")
    assert codes(chosen) == ["N-1", "N-2"]
    # The other statuses stay countable, to move from one to the next.
    assert {i["status"]: i["count"] for i in chosen.context["summary"]["items"]} == summary
    assert 'class="status-link status-off_track" aria-current="true"' in chosen.content.decode()


def test_the_summary_follows_the_other_filters(login, carol, south, two_teams):
    response = _get(login, carol, f"?team={south.pk}")

    assert response.context["summary"]["total"] == 1
    assert f'href="?team={south.pk}&amp;status=at_risk"' in response.content.decode()


def test_the_summary_costs_no_query_of_its_own(login, carol, two_teams):
    browser = login(carol)
    browser.get(reverse("team_dashboard"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        browser.get(reverse("team_dashboard"))
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    # One SELECT counts the rows, every status and the fingerprint together.
    assert len(counts) == 1, counts


def test_it_keeps_case_codes_on_one_line(login, carol, two_teams):
    html = _get(login, carol).content.decode()

    assert '<td class="case-code"><a href=' in html
