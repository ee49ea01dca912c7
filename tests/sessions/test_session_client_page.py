"""The client page as the hub: goals on top, start a meeting, raters, a new episode."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Episode, Goal, Rater
from sessions.models import Meeting
from tests.conftest import add_meetings

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def episode(client_n1) -> Episode:
    return client_n1.episodes.get()


def page(browser, client) -> str:
    response = browser.get(reverse("client_detail", args=[client.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_goals_first_then_the_chart_and_the_meetings(login_en, alice, client_n1, episode):
    Goal.objects.create(episode=episode, text="Sove bedre", set_on=datetime.date(2026, 1, 5))
    add_meetings(episode, ors=[20.0, 23.0])
    html = page(login_en(alice), client_n1)
    assert html.index("«Sove bedre»") < html.index('id="outcome"') < html.index("Meeting 2")
    assert '<script id="chart-data" type="application/json">' in html
    assert "Start meeting" in html


def test_a_leader_reads_the_page_without_the_forms_to_write(login_en, carol, client_n1, episode):
    Goal.objects.create(episode=episode, text="Sove bedre", set_on=datetime.date(2026, 1, 5))
    html = page(login_en(carol), client_n1)
    assert "«Sove bedre»" in html
    assert "Start meeting" not in html and "Add goal" not in html and "Mark as reached" not in html


@pytest.mark.parametrize("persona", ["dave", "oscar", "olga"])
def test_it_is_a_404_for_whoever_is_not_on_the_case(request, login_en, client_n1, persona):
    user = request.getfixturevalue(persona)
    response = login_en(user).get(reverse("client_detail", args=[client_n1.pk]))
    assert response.status_code == 404


def test_it_starts_a_meeting_with_the_next_number(login_en, alice, episode):
    add_meetings(episode, ors=[20.0])
    response = login_en(alice).post(
        reverse("meeting_start", args=[episode.pk]),
        {"date": timezone.localdate().isoformat(), "format": "family"},
    )
    meeting = Meeting.objects.get(episode=episode, number=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("meeting_detail", args=[meeting.pk])
    assert meeting.format == "family" and meeting.helper == alice
    episode.refresh_from_db()
    assert episode.meeting_count == 2


def test_a_colleague_who_shares_the_case_can_start_a_meeting(login_en, bob, episode):
    response = login_en(bob).post(
        reverse("meeting_start", args=[episode.pk]),
        {"date": timezone.localdate().isoformat(), "format": "individual"},
    )
    assert response.status_code == 302
    assert Meeting.objects.get(episode=episode).helper == bob


def test_it_refuses_a_meeting_in_the_future_beside_the_field(login_en, alice, client_n1, episode):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login_en(alice).post(
        reverse("meeting_start", args=[episode.pk]),
        {"date": tomorrow.isoformat(), "format": "couple"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A meeting cannot be dated in the future." in html
    assert f'value="{tomorrow.isoformat()}"' in html  # what was entered stays
    assert '<option value="couple" selected>' in html
    assert not Meeting.objects.exists()


def test_it_refuses_a_meeting_before_the_episode_started(login_en, alice, episode):
    response = login_en(alice).post(
        reverse("meeting_start", args=[episode.pk]), {"date": "2025-12-31", "format": "individual"}
    )
    assert "a meeting cannot be dated before that." in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_refuses_a_meeting_without_a_date(login_en, alice, episode):
    response = login_en(alice).post(
        reverse("meeting_start", args=[episode.pk]), {"date": "", "format": "individual"}
    )
    assert "This field is required." in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("persona", ["carol", "dave", "oscar"])
def test_only_a_helper_on_the_case_may_start_a_meeting(request, login_en, episode, persona):
    user = request.getfixturevalue(persona)
    response = login_en(user).post(
        reverse("meeting_start", args=[episode.pk]),
        {"date": timezone.localdate().isoformat(), "format": "individual"},
    )
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_it_adds_a_goal_in_the_clients_words_and_returns_the_goals_fragment(
    login_en, alice, episode
):
    response = login_en(alice).post(
        reverse("goal_add", args=[episode.pk]), {"text": "Klare skolen"}, **HTMX
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="goals"')
    assert "«Klare skolen»" in html
    goal = Goal.objects.get()
    assert goal.set_on == timezone.localdate() and goal.created_by == alice


def test_it_refuses_an_empty_goal(login_en, alice, episode):
    response = login_en(alice).post(reverse("goal_add", args=[episode.pk]), {"text": ""}, **HTMX)
    assert "This field is required." in response.content.decode()
    assert not Goal.objects.exists()


def test_it_marks_a_goal_reached(login_en, alice, episode):
    goal = Goal.objects.create(episode=episode, text="Sove bedre", set_on=episode.started_on)
    response = login_en(alice).post(reverse("goal_reached", args=[goal.pk]), **HTMX)
    goal.refresh_from_db()
    assert goal.reached_on == timezone.localdate()
    assert "reached" in response.content.decode()


def test_without_htmx_a_goal_redirects_to_a_safe_next_only(login_en, alice, episode):
    browser = login_en(alice)
    response = browser.post(
        reverse("goal_add", args=[episode.pk]), {"text": "Mål", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("client_detail", args=[episode.client_id])


@pytest.mark.parametrize("target", ["//evil.example", "0", "home"])
def test_without_htmx_a_goal_refuses_a_next_that_is_no_path(login_en, alice, episode, target):
    response = login_en(alice).post(
        reverse("goal_add", args=[episode.pk]), {"text": "Mål", "next": target}
    )
    assert response["Location"] == reverse("client_detail", args=[episode.client_id])


def test_without_htmx_a_goal_follows_a_safe_next(login_en, alice, episode):
    response = login_en(alice).post(
        reverse("goal_add", args=[episode.pk]), {"text": "Mål", "next": "/dashboard/"}
    )
    assert response["Location"] == "/dashboard/"


@pytest.mark.parametrize("persona", ["carol", "dave"])
def test_only_a_helper_on_the_case_may_write_goals(request, login_en, episode, persona):
    goal = Goal.objects.create(episode=episode, text="Sove bedre", set_on=episode.started_on)
    browser = login_en(request.getfixturevalue(persona))
    assert browser.post(reverse("goal_add", args=[episode.pk]), {"text": "x"}).status_code == 404
    assert browser.post(reverse("goal_reached", args=[goal.pk])).status_code == 404
    goal.refresh_from_db()
    assert goal.reached_on is None and Goal.objects.count() == 1


def test_it_adds_a_parent_who_rates(login_en, alice, client_n1, episode):
    browser = login_en(alice)
    response = browser.post(
        reverse("rater_add", args=[episode.pk]), {"relation": "mother", "label": "Mor"}
    )
    assert response.status_code == 302
    assert episode.raters.filter(relation=Rater.Relation.MOTHER, label="Mor").exists()
    assert "Mor (mother)" in page(browser, client_n1)


def test_it_does_not_add_a_second_client_rater(login_en, alice, episode):
    login_en(alice).post(reverse("rater_add", args=[episode.pk]), {"relation": "client"})
    assert episode.raters.count() == 1


def test_it_starts_an_episode_when_none_is_open(login_en, alice, client_n1, episode):
    episode.ended_on = datetime.date(2026, 2, 1)
    episode.end_reason = "mutual"
    episode.save()
    browser = login_en(alice)
    assert "Start a new episode" in page(browser, client_n1)
    browser.post(reverse("episode_start", args=[client_n1.pk]), {"started_on": "2026-02-01"})
    new = client_n1.episodes.get(ended_on__isnull=True)
    assert new.age_group == "adult"
    assert new.raters.get().relation == Rater.Relation.CLIENT


def test_it_does_not_start_a_second_open_episode(login_en, alice, client_n1):
    login_en(alice).post(reverse("episode_start", args=[client_n1.pk]))
    assert client_n1.episodes.count() == 1


def test_no_meeting_starts_in_a_closed_episode(login_en, alice, episode):
    episode.ended_on = datetime.date(2026, 2, 1)
    episode.save()
    response = login_en(alice).post(
        reverse("meeting_start", args=[episode.pk]),
        {"date": "2026-01-20", "format": "individual"},
    )
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_a_goal_marked_reached_by_mistake_can_be_unmarked(login_en, alice, episode):
    goal = Goal.objects.create(
        episode=episode, text="Sove bedre", set_on=episode.started_on, reached_on=episode.started_on
    )
    login_en(alice).post(reverse("goal_reached", args=[goal.pk]), {"reached": "0"}, **HTMX)
    goal.refresh_from_db()
    assert goal.reached_on is None


def test_without_htmx_an_empty_goal_says_so_on_the_page_it_came_from(
    login_en, alice, client_n1, episode
):
    browser = login_en(alice)
    next_url = reverse("client_detail", args=[client_n1.pk])
    response = browser.post(
        reverse("goal_add", args=[episode.pk]), {"text": "", "next": next_url}, follow=True
    )
    assert response.redirect_chain[-1][0] == next_url
    assert "The goal was not saved" in response.content.decode()
    assert not Goal.objects.exists()


def test_a_client_without_episodes_shows_how_to_start_one(login_en, alice, client_n1):
    client_n1.episodes.all().delete()
    html = page(login_en(alice), client_n1)
    assert "No open episode of care" in html and 'id="outcome"' not in html


def test_the_open_page_shows_a_form_that_came_by_link_at_its_next_poll(
    login_en, alice, client_n1, episode
):
    """The page polls with what it shows; nothing new is a 204, a save elsewhere (here a form
    from a link) sends the new progress panel, swapped out of band, and the next fingerprint."""
    import re

    from sessions.services import record_form

    add_meetings(episode, ors=[20.0], srs=[38.0])
    browser = login_en(alice)
    html = page(browser, client_n1)
    poll = re.search(r'hx-get="([^"]+/poll/[^"]+)"', html).group(1).replace("&amp;", "&")
    assert browser.get(poll, **HTMX).status_code == 204

    meeting = Meeting.objects.create(
        episode=episode, number=2, date=timezone.localdate(), helper=alice
    )
    record_form(
        meeting=meeting,
        rater=episode.raters.get(),
        instrument="ORS",
        items=[20, 20, 20, 20],
        by=None,
        source="remote",
    )
    response = browser.get(poll, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="outcome"' in body and 'hx-swap-oob="true"' in body
    assert "8.0" in body  # the new ORS in the panel's table
    assert re.search(r'hx-get="([^"]+/poll/[^"]+)"', body).group(1).replace("&amp;", "&") != poll


@pytest.mark.parametrize("persona", ["dave", "oscar", "olga"])
def test_the_poll_is_a_404_for_whoever_is_not_on_the_case(
    request, login_en, client_n1, episode, persona
):
    url = reverse("client_poll", args=[client_n1.pk]) + f"?episode={episode.pk}&fp=x"
    browser = login_en(request.getfixturevalue(persona))
    assert browser.get(url, **HTMX).status_code == 404
    assert (
        browser.get(reverse("client_poll", args=[client_n1.pk]) + "?episode=abc").status_code == 404
    )
