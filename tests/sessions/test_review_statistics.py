"""What came of off-track reviews on the statistics page, against a worked example by hand.

Four clients, intake 10, off track from meeting 3 (dated 19 January 2026):
- A-1 (alice): reviewed at meeting 3, on track at meeting 4 -> reviewed, back.
- A-2 (alice): no review, off track at meetings 4-7 -> not reviewed, not back (four meetings seen).
- B-1 (bob): no review, on track at meeting 4 -> not reviewed, back.
- B-2 (bob): reviewed at meeting 3, two meetings since, still off track -> too early to tell.
Team: after a review 1 of 1 back (B-2 pending); without 1 of 2 (50 %).
"""

import pytest
from django.urls import reverse

from tests.conftest import add_meetings, make_client

PERIOD = "?start=2026-01-01&end=2026-06-30"
REVIEW = {"with_client": "1", "goals_reviewed": "on"}


@pytest.fixture
def course(org, north, alice, bob, login_en):
    def client(code, helper, after_review, before=(10, 10, 10), review=False):
        episode = make_client(org, north, helper, code).episodes.get()
        add_meetings(episode, ors=list(before), srs=[38] * len(before))
        if review:
            url = reverse("episode_review", args=[episode.pk])
            assert login_en(helper).post(url, REVIEW).status_code == 302
        add_meetings(episode, ors=list(after_review), srs=[38] * len(after_review))
        return episode

    client("A-1", alice, [30], review=True)
    client("A-2", alice, [10, 10, 10, 10])
    client("B-1", bob, [30])
    client("B-2", bob, [10, 10], review=True)


def test_the_team_figure_matches_the_worked_example(login_en, carol, course, settings):
    settings.STATISTICS_MIN_CLIENTS = 2
    response = login_en(carol).get(reverse("statistics") + PERIOD)
    team = response.context["review"]["team"]
    assert (team.reviewed.back, team.reviewed.n, team.reviewed.pending) == (1, 1, 1)
    assert team.reviewed.too_few  # 1 < 2
    assert (team.not_reviewed.back, team.not_reviewed.n, team.not_reviewed.pending) == (1, 2, 0)
    assert team.not_reviewed.percent == 50.0 and not team.not_reviewed.too_few
    html = response.content.decode()
    assert "What came of reviews when clients were off track" in html
    footer = html[html.index('<tr data-helper="team" class="team-row"><th scope="row">Team</th>') :]
    assert '<td data-figure="without_review">50 %<br><small>1 / 2</small></td>' in footer
    assert '<td data-figure="pending">1</td>' in footer


def test_helpers_are_listed_by_name_not_by_figure(login_en, carol, alice, bob, course):
    review = login_en(carol).get(reverse("statistics") + PERIOD).context["review"]
    rows = [(r["helper"], r["effect"]) for r in review["helpers"]]
    assert [h for h, _ in rows] == [alice, bob]  # Bob's "without" share (1/1) beats Alice's (0/1)
    alice_row, bob_row = (e for _, e in rows)
    assert (alice_row.reviewed.back, alice_row.reviewed.n) == (1, 1)
    assert (alice_row.not_reviewed.back, alice_row.not_reviewed.n) == (0, 1)
    assert (bob_row.not_reviewed.back, bob_row.not_reviewed.n, bob_row.reviewed.pending) == (
        1,
        1,
        1,
    )


def test_below_the_minimum_the_share_says_too_few(login_en, carol, course):
    html = login_en(carol).get(reverse("statistics") + PERIOD).content.decode()  # default 10
    assert '<td data-figure="without_review"><details class="too-few"><summary>too few' in html


def test_a_period_without_the_reference_meetings_counts_nobody(login_en, carol, course):
    response = login_en(carol).get(reverse("statistics") + "?start=2026-03-01&end=2026-06-30")
    team = response.context["review"]["team"]
    assert team.reviewed.n == team.not_reviewed.n == 0


def test_a_helper_sees_their_own_clients_only(login_en, alice, course):
    review = login_en(alice).get(reverse("statistics") + PERIOD).context["review"]
    assert review["helpers"] == []
    assert (review["team"].reviewed.n, review["team"].not_reviewed.n) == (1, 1)


def test_another_team_and_another_organisation_see_nothing(login_en, erin, oscar, course):
    for persona in (erin, oscar):
        team = login_en(persona).get(reverse("statistics") + PERIOD).context["review"]["team"]
        assert team.reviewed.n + team.not_reviewed.n + team.reviewed.pending == 0
