"""The off-track review on the client page: who may write it, what is stored, bad input."""

import pytest
from django.urls import reverse

from kor.models import AuditEvent
from sessions.models import OffTrackReview
from tests.conftest import add_meetings

GOOD = {"with_client": "1", "talked_progress": "on", "goals_reviewed": "on", "plan": "Meet weekly"}


@pytest.fixture
def off_track(client_n1):
    """N-001 off track since meeting 3 (intake 10, no change)."""
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[10, 10, 10], srs=[38, 38, 38])
    episode.refresh_from_db()
    assert episode.status == "off_track"
    return episode


def review_url(episode) -> str:
    return reverse("episode_review", args=[episode.pk])


def test_the_client_page_offers_the_review_to_the_helper(login_en, alice, off_track):
    response = login_en(alice).get(reverse("client_detail", args=[off_track.client_id]))
    html = response.content.decode()
    assert "Off track now, signalling since meeting 3: 1 meeting in a row" in html
    assert "not yet reviewed" in html
    assert f'action="{review_url(off_track)}"' in html
    assert "<legend>What has been done? Tick all that apply.</legend>" in html
    assert html.count('type="checkbox"') >= 7


def test_the_helper_saves_a_review_with_the_latest_meeting_audited(login_en, alice, off_track):
    response = login_en(alice).post(review_url(off_track), GOOD)
    assert response.status_code == 302
    review = OffTrackReview.objects.get()
    assert (review.meeting.number, review.meeting_number, review.trigger) == (3, 3, "off_track")
    assert review.created_by == alice and review.with_client
    assert review.points == ["talked_progress", "goals_reviewed"]
    assert AuditEvent.objects.filter(
        action="create",
        object_type="therapy_sessions.offtrackreview",
        client_id=off_track.client_id,
    ).exists()
    off_track.refresh_from_db()
    assert off_track.assessment["review"]["reviewed"] == 3
    page = login_en(alice).get(reverse("client_detail", args=[off_track.client_id]))
    html = page.content.decode()
    assert "reviewed at meeting 3" in html and "Meet weekly" in html
    assert "We went through the goals again" in html


def test_a_colleague_the_client_is_shared_with_may_review(login_en, bob, off_track):
    assert login_en(bob).post(review_url(off_track), GOOD).status_code == 302
    assert OffTrackReview.objects.get().created_by == bob


@pytest.mark.parametrize("persona", ["carol", "erin", "dave", "olga", "oscar"])
def test_anyone_who_may_not_write_the_episode_gets_a_404_and_stores_nothing(
    request, login_en, off_track, persona
):
    browser = login_en(request.getfixturevalue(persona))
    assert browser.get(review_url(off_track)).status_code == 404
    assert browser.post(review_url(off_track), GOOD).status_code == 404
    assert not OffTrackReview.objects.exists()


def test_the_leader_sees_the_reviews_but_no_form(login_en, alice, carol, off_track):
    login_en(alice).post(review_url(off_track), GOOD)
    html = (
        login_en(carol).get(reverse("client_detail", args=[off_track.client_id])).content.decode()
    )
    assert "Reviews of this episode" in html and "Meet weekly" in html
    assert f'action="{review_url(off_track)}"' not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"with_client": "1"}, "Tick at least one point or write the plan"),
        ({"talked_progress": "on"}, "Say whether the review was done with the client."),
        ({"with_client": "1", "plan": "x" * 2001}, "at most 2000 characters"),
        ({"with_client": "0", "plan": "Ask about\x00 school"}, "Null characters are not allowed."),
    ],
)
def test_bad_input_says_what_is_wrong_keeps_what_was_typed_and_stores_nothing(
    login_en, alice, off_track, data, message
):
    response = login_en(alice).post(review_url(off_track), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if "school" in data.get("plan", ""):
        assert "Ask about school</textarea>" in html
    assert not OffTrackReview.objects.exists()


def test_a_double_submit_stores_one_review(login_en, alice, off_track):
    browser = login_en(alice)
    browser.post(review_url(off_track), GOOD)
    browser.post(review_url(off_track), GOOD | {"plan": "Meet weekly, ask the school"})
    review = OffTrackReview.objects.get()
    assert review.plan == "Meet weekly, ask the school"
    assert AuditEvent.objects.filter(action="update", object_id=str(review.pk)).count() == 1


def test_an_episode_that_does_not_signal_has_nothing_to_review(login_en, alice, client_n1):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[15, 22, 26], srs=[38, 38, 38])
    browser = login_en(alice)
    assert (
        "Review of the course"
        not in browser.get(reverse("client_detail", args=[client_n1.pk])).content.decode()
    )
    assert browser.post(review_url(episode), GOOD).status_code == 409
    assert not OffTrackReview.objects.exists()


def test_an_alliance_alert_alone_is_offered_a_review(login_en, alice, client_n1):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[15, 22, 26], srs=[38, 38, 30])
    assert login_en(alice).post(review_url(episode), GOOD).status_code == 302
    assert OffTrackReview.objects.get().trigger == "alliance_alert"


def test_the_review_is_in_the_clients_export_and_its_plan_goes_with_anonymising(
    login_en, alice, off_track
):
    import json

    from kor.rights import anonymise_client

    login_en(alice).post(review_url(off_track), GOOD | {"plan": "Ring Kari's sister"})
    record = json.loads(login_en(alice).get(f"/clients/{off_track.client_id}/export.json").content)
    exported = record["data"]["therapy_sessions.offtrackreview"]
    assert [(r["meeting_number"], r["plan"]) for r in exported] == [(3, "Ring Kari's sister")]
    anonymise_client(off_track.client)
    review = OffTrackReview.objects.get()
    assert review.plan == "" and review.goals_reviewed  # the points stay for the statistics
