"""The caseload dashboard: who sees which clients, and in what order."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client, Episode
from kor.models import AuditEvent
from tests.conftest import add_meetings, make_client


def codes(response) -> list[str]:
    """The case codes in the table, in the order shown."""
    return [e.client.case_code for e in response.context["page"].object_list]


def set_cached(client: Client, status: str, severity: int, **fields) -> Episode:
    """Give the client's open episode a cached status, as refresh_episode would."""
    episode = client.episodes.get()
    Episode.objects.filter(pk=episode.pk).update(status=status, severity=severity, **fields)
    episode.refresh_from_db()
    return episode


@pytest.fixture
def client_n2(org, north, bob):
    """N-002: bob's own client, not shared with alice."""
    return make_client(org, north, bob, "N-002")


@pytest.fixture
def everyone(client_n1, client_n2, client_s1, client_x1):
    return client_n1, client_n2, client_s1, client_x1


def test_it_shows_a_leader_every_client_of_their_team(login, carol, everyone):
    response = login(carol).get(reverse("team_dashboard"))
    assert response.status_code == 200
    assert sorted(codes(response)) == ["N-001", "N-002"]
    assert b"S-001" not in response.content
    assert b"X-001" not in response.content


def test_it_shows_the_other_leader_only_their_team(login, erin, everyone):
    response = login(erin).get(reverse("team_dashboard"))
    assert codes(response) == ["S-001"]


def test_it_shows_a_helper_their_own_and_shared_clients(login, alice, bob, everyone):
    assert codes(login(alice).get(reverse("caseload"))) == ["N-001"]
    assert sorted(codes(login(bob).get(reverse("caseload")))) == ["N-001", "N-002"]


def test_it_shows_a_helper_of_another_team_nothing_of_north(login, dave, everyone):
    response = login(dave).get(reverse("caseload"))
    assert codes(response) == ["S-001"]
    response = login(dave).get(reverse("team_dashboard"))
    assert response.status_code == 200
    assert "page" not in response.context
    assert b"N-00" not in response.content
    assert "You do not lead a team" in response.content.decode() or "leder ikke" in (
        response.content.decode()
    )


def test_it_shows_an_outsider_nothing_of_the_organisation(login, oscar, olga, everyone):
    assert codes(login(oscar).get(reverse("caseload"))) == ["X-001"]
    response = login(olga).get(reverse("caseload"))
    assert codes(response) == []
    assert b"N-00" not in response.content


def test_it_asks_anonymous_users_to_log_in(client, everyone):
    response = client.get(reverse("team_dashboard"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_leaves_out_closed_episodes_and_inactive_clients(login, carol, org, north, alice):
    closed = make_client(org, north, alice, "N-010")
    Episode.objects.filter(client=closed).update(
        ended_on=datetime.date(2026, 2, 1), end_reason="mutual"
    )
    inactive = make_client(org, north, alice, "N-011")
    Client.objects.filter(pk=inactive.pk).update(active=False)
    make_client(org, north, alice, "N-012")
    assert codes(login(carol).get(reverse("team_dashboard"))) == ["N-012"]


def test_it_lets_a_leader_open_a_client_of_their_team_read_only(login, carol, client_n2):
    response = login(carol).get(reverse("client_detail", args=[client_n2.pk]))
    assert response.status_code == 200
    assert response.context["can_write"] is False


def test_it_lets_a_leader_who_helps_on_the_case_write(login, carol, org, north):
    own = make_client(org, north, carol, "N-020")
    response = login(carol).get(reverse("client_detail", args=[own.pk]))
    assert response.context["can_write"] is True


def test_it_hides_other_teams_clients_from_a_leader(login, erin, oscar, client_n1, client_s1):
    assert login(erin).get(reverse("client_detail", args=[client_n1.pk])).status_code == 404
    assert login(oscar).get(reverse("client_detail", args=[client_s1.pk])).status_code == 404


def test_it_shows_off_track_and_deteriorated_first(login, carol, org, north, alice, bob):
    for code, ors in [
        ("N-101", [15, 22]),  # on track
        ("N-102", [10, 10, 10]),  # off track
        ("N-103", [20]),  # intake
        ("N-104", [20, 12]),  # deteriorated
    ]:
        add_meetings(make_client(org, north, alice, code).episodes.get(), ors=ors, srs=[38] * 5)
    rows = login(carol).get(reverse("team_dashboard")).context["page"].object_list
    assert [(e.client.case_code, e.status) for e in rows] == [
        ("N-104", "deteriorated"),
        ("N-102", "off_track"),
        ("N-103", "intake"),
        ("N-101", "on_track"),
    ]


def test_it_shows_what_each_row_needs(login, carol, org, north, alice):
    client = make_client(org, north, alice, "N-201", birth_year=2012, age_group="adolescent")
    add_meetings(client.episodes.get(), ors=[10, 10, 10], srs=[30, 28, 27])
    html = login(carol).get(reverse("team_dashboard")).content.decode()
    row = html[html.index('data-episode="') :]
    row = row[: row.index("</tr>")]
    assert "N-201" in row
    assert "Alice" in row
    assert "status-off_track" in row
    assert "10.0" in row or "10,0" in row  # latest ORS
    assert "27.0" in row or "27,0" in row  # latest SRS
    assert "badge flag" in row  # alliance alert: SRS under 36


def test_the_rows_escape_what_people_typed_as_the_template_did(login, carol, org, north, alice):
    # The rows are written out in Python (clients.views.dashboard_rows), not by the template.
    alice.first_name, alice.last_name = "Al & <b>ice", 'O"Neil'
    alice.save()
    make_client(org, north, alice, "N-301")
    html = login(carol).get(reverse("team_dashboard")).content.decode()
    row = html[html.index('data-episode="') :]
    row = row[: row.index("</tr>")]
    assert "<td>Al &amp; &lt;b&gt;ice O&quot;Neil</td>" in row
    assert "<b>" not in row


def test_it_logs_that_the_dashboard_was_seen(login, carol, client_n1):
    login(carol).get(reverse("team_dashboard"))
    event = AuditEvent.objects.get(user=carol, action="view")
    assert event.detail["screen"] == "team_dashboard"
    assert event.detail["total"] == 1


def test_it_answers_a_poll_with_no_content_when_nothing_changed(login, carol, client_n1):
    browser = login(carol)
    first = browser.get(reverse("team_dashboard"))
    poll_url = first.context["poll_url"]
    again = browser.get(reverse("team_dashboard") + poll_url, headers={"HX-Request": "true"})
    assert again.status_code == 204
    assert again.content == b""


def test_it_sends_the_fresh_table_when_a_status_changed(login, carol, client_n1):
    browser = login(carol)
    poll_url = browser.get(reverse("team_dashboard")).context["poll_url"]
    add_meetings(client_n1.episodes.get(), ors=[10, 10, 10], srs=[38, 38, 38])
    response = browser.get(reverse("team_dashboard") + poll_url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="dashboard-table"')
    assert "<html" not in html
    assert "status-off_track" in html
    assert response.context["poll_url"] != poll_url


def _page_queries(browser, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_it_takes_as_many_queries_for_many_clients_as_for_few(login, carol, org, north, alice, bob):
    browser = login(carol)
    make_client(org, north, alice, "N-300")
    browser.get(reverse("team_dashboard"))  # warm the session
    few = _page_queries(browser, reverse("team_dashboard"))
    for i in range(60):
        client = make_client(org, north, bob if i % 2 else alice, f"N-{400 + i}")
        client.shared_with.add(alice)
        set_cached(client, "off_track", 5, flags=["alliance_alert"], meeting_count=3)
    many = _page_queries(browser, reverse("team_dashboard"))
    assert many == few
    assert _page_queries(browser, reverse("team_dashboard") + "?page=2&sort=helper") == few


def test_it_sends_the_fresh_table_when_a_client_is_brought_to_supervision(
    login, carol, alice, client_n1
):
    browser = login(carol)
    poll_url = browser.get(reverse("team_dashboard")).context["poll_url"]
    episode = client_n1.episodes.get()
    login(alice).post(reverse("supervision_mark", args=[episode.pk]), {"note": "stuck"})
    browser = login(carol)
    response = browser.get(reverse("team_dashboard") + poll_url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.context["page"].object_list[0].in_supervision is True
