"""Off track and reviewed, or not yet: the markers on the team dashboard and the supervision list,
and the organisation's N meetings after which a spell with no review is marked for the leader."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Episode
from tests.conftest import add_meetings, make_client

GOOD = {"with_client": "0", "considered_referral": "on"}


@pytest.fixture
def stuck(client_n1):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[10, 10, 10], srs=[38, 38, 38])  # off track since meeting 3
    return episode


def row_of(html: str, code: str) -> str:
    start = html.index(f">{code}</a></td>")
    return html[start : html.index("</tr>", start)]


def due_list(html: str) -> str:
    return html[html.index('id="due-title"') :]


def test_a_fresh_spell_shows_not_yet_reviewed_and_is_not_yet_due(login_en, carol, stuck):
    dashboard = login_en(carol).get(reverse("team_dashboard")).content.decode()
    assert 'class="badge review-open">not yet reviewed' in row_of(dashboard, "N-001")
    supervision = login_en(carol).get(reverse("supervision")).content.decode()
    assert "N-001" not in due_list(supervision)


def test_after_three_meetings_off_track_with_no_review_the_leader_is_told(login_en, carol, stuck):
    add_meetings(stuck, ors=[10, 10], srs=[38, 38])  # meetings 3-5 off track
    dashboard = login_en(carol).get(reverse("team_dashboard")).content.decode()
    assert 'class="badge review-due">review due' in row_of(dashboard, "N-001")
    supervision = login_en(carol).get(reverse("supervision")).content.decode()
    assert "N-001" in due_list(supervision)
    assert "review due: 3 meetings without review" in due_list(supervision)


def test_the_organisation_chooses_how_many_meetings(login_en, org, carol, stuck):
    org.review_after_meetings = 4
    org.save()
    add_meetings(stuck, ors=[10, 10], srs=[38, 38])
    dashboard = login_en(carol).get(reverse("team_dashboard")).content.decode()
    assert "review-open" in row_of(dashboard, "N-001")
    add_meetings(stuck, ors=[10], srs=[38])
    dashboard = login_en(carol).get(reverse("team_dashboard")).content.decode()
    assert "review-due" in row_of(dashboard, "N-001")


def test_a_review_turns_the_marker_to_reviewed_everywhere(login_en, alice, carol, stuck):
    add_meetings(stuck, ors=[10, 10], srs=[38, 38])
    login_en(carol).post(reverse("supervision_mark", args=[stuck.pk]), {"note": "stuck"})
    login_en(alice).post(reverse("episode_review", args=[stuck.pk]), GOOD)
    dashboard = login_en(carol).get(reverse("team_dashboard")).content.decode()
    assert 'class="badge review-reviewed">reviewed' in row_of(dashboard, "N-001")
    supervision = login_en(carol).get(reverse("supervision")).content.decode()
    assert "N-001" not in due_list(supervision)
    marks = supervision[: supervision.index('id="due-title"')]
    assert '<span class="badge review-reviewed">reviewed</span>' in marks


def test_a_review_of_an_earlier_spell_does_not_answer_a_new_one(login_en, alice, carol, stuck):
    login_en(alice).post(reverse("episode_review", args=[stuck.pk]), GOOD)  # at meeting 3
    add_meetings(stuck, ors=[30], srs=[38])  # meeting 4: back on track
    stuck.refresh_from_db()
    assert stuck.status == "on_track" and "review" not in stuck.assessment
    add_meetings(stuck, ors=[10, 10, 10], srs=[38, 38, 38])  # meetings 5-7 off track again
    stuck.refresh_from_db()
    assert stuck.assessment["review"] == {"trigger": "off_track", "since": 5, "meetings": 3}
    supervision = login_en(carol).get(reverse("supervision")).content.decode()
    assert "N-001" in due_list(supervision)


def test_nobody_outside_the_team_sees_the_marker(login_en, erin, oscar, stuck):
    add_meetings(stuck, ors=[10, 10], srs=[38, 38])
    for persona in (erin, oscar):
        assert "N-001" not in login_en(persona).get(reverse("supervision")).content.decode()


def _queries(browser, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_the_markers_cost_no_query_per_row(login_en, carol, org, north, alice, stuck):
    add_meetings(stuck, ors=[10, 10], srs=[38, 38])  # one due and on the list to begin with
    browser = login_en(carol)
    browser.post(reverse("supervision_mark", args=[stuck.pk]), {"note": "x"})
    browser.get(reverse("team_dashboard"))
    few = {url: _queries(browser, reverse(url)) for url in ("team_dashboard", "supervision")}
    spell = {"review": {"trigger": "off_track", "since": 3, "meetings": 5}}
    for i in range(30):
        client = make_client(org, north, alice, f"N-{500 + i}")
        episode = client.episodes.get()
        Episode.objects.filter(pk=episode.pk).update(status="off_track", assessment=spell)
        browser.post(reverse("supervision_mark", args=[episode.pk]), {"note": "x"})
    many = {url: _queries(browser, reverse(url)) for url in ("team_dashboard", "supervision")}
    assert many == few
    html = browser.get(reverse("supervision")).content.decode()
    assert due_list(html).count("review due: 5 meetings") == 30
    assert due_list(html).count("review due: 3 meetings") == 1
