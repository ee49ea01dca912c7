"""Data quality and completion: a small team with known meetings and forms, counted by hand."""

from __future__ import annotations

import pytest
from django.utils import translation

from clients.models import Episode
from sessions.completion import Completion, Share, completion
from sessions.models import FormResponse
from tests.conftest import add_meetings, make_client
from tests.sessions.completion_fixtures import END, START, build_team


@pytest.fixture
def team(org, north, alice, bob):
    return build_team(org, north, alice, bob)


def test_the_team_shares_by_hand(team, north):
    figures, _ = completion(Episode.objects.filter(client__team=north), START, END)

    assert figures.outcome == Share(8, 10)  # A 4, B 2 of 3, E 1, C 1 of 2
    assert figures.alliance == Share(7, 10)  # A 3 of 4, B 3, E 1, C 0 of 2
    assert figures.intake == Share(3, 4)  # A, C, E; B declined in meeting 1; D has no meeting
    assert figures.last == Share(1, 2)  # A closed with a score; C's last was not offered
    assert figures.not_filled == {("declined", "too_distressed"): 1, ("not_offered", ""): 1}
    assert (figures.declined, figures.not_offered) == (1, 1)
    assert figures.remote_completed == 0
    assert figures.remote_sent is None


def test_the_shares_per_responsible_helper(team, north, alice, bob):
    _, per_helper = completion(Episode.objects.filter(client__team=north), START, END)

    assert set(per_helper) == {alice.pk, bob.pk}
    a, b = per_helper[alice.pk], per_helper[bob.pk]
    assert (a.outcome, a.alliance, a.intake, a.last) == (
        Share(7, 8),
        Share(7, 8),
        Share(2, 3),
        Share(1, 1),
    )
    assert (b.outcome, b.alliance, b.intake, b.last) == (
        Share(1, 2),
        Share(0, 2),
        Share(1, 1),
        Share(0, 1),
    )
    assert (
        sum(per_helper.values(), Completion())
        == completion(Episode.objects.filter(client__team=north), START, END)[0]
    )


def test_more_than_a_fifth_missing_is_a_warning_exactly_a_fifth_is_not(team, north):
    figures, _ = completion(Episode.objects.filter(client__team=north), START, END)

    assert figures.outcome.pct == 80.0 and not figures.outcome.warn  # 2 of 10 missing
    assert figures.alliance.warn and figures.intake.warn and figures.last.warn
    with translation.override("en"):
        text = " ".join(figures.warnings)
    assert "1 of 4 episodes have no intake score" in text
    assert "1 of 2 closed episodes have no score in their last meeting" in text
    assert "Only 7 of 10 meetings have an alliance form" in text
    assert "outcome form" not in text


def test_remote_forms_completed_are_counted(team, north):
    FormResponse.objects.filter(meeting__episode__client=team["E"]).update(source="remote")
    figures, _ = completion(Episode.objects.filter(client__team=north), START, END)
    assert figures.remote_completed == 2


def test_the_reasons_are_named(team, north):
    figures, _ = completion(Episode.objects.filter(client__team=north), START, END)
    with translation.override("en"):
        assert [(r["status"], r["label"], r["count"]) for r in figures.reasons] == [
            ("declined", "Too distressed today", 1),
            ("not_offered", "no reason chosen", 1),
        ]


def test_an_empty_period_counts_nothing(team, north):
    figures, per_helper = completion(Episode.objects.filter(client__team=north), END, START)
    assert figures == Completion() and per_helper == {}
    assert figures.warnings == []


def test_the_number_of_queries_does_not_grow_with_the_data(
    team, org, north, alice, django_assert_num_queries
):
    with django_assert_num_queries(4):
        completion(Episode.objects.filter(client__team=north), START, END)
    for k in range(5):
        more = make_client(org, north, alice, f"N-M{k}")
        add_meetings(more.episodes.get(), ors=[10.0, 11.0], srs=[35.0], refresh=False)
    with django_assert_num_queries(4):
        completion(Episode.objects.filter(client__team=north), START, END)


def test_remote_forms_completed_against_forms_sent_by_link(team, north, alice):
    """E's meeting: a link asking for both forms (2 sent); its ORS came back by link (1)."""
    from sessions.models import Meeting
    from sessions.remote import create_link

    meeting = Meeting.objects.get(episode__client=team["E"])
    rater = meeting.episode.raters.get()
    create_link(meeting=meeting, rater=rater, part="both", channel="screen", contact="", by=alice)
    FormResponse.objects.filter(meeting=meeting, instrument="ORS").update(source="remote")

    figures, per_helper = completion(Episode.objects.filter(client__team=north), START, END)

    assert (figures.remote_completed, figures.remote_sent) == (1, 2)
    assert (per_helper[alice.pk].remote_completed, per_helper[alice.pk].remote_sent) == (1, 2)
