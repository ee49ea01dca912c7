"""Ending an episode: who may, what is checked, what is stored, and that it leaves the caseload
and enters the period's statistics; reopening one ended by mistake."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Episode
from kor.models import AuditEvent
from sessions import statistics as stats
from sessions.episodes import end_episode
from sessions.models import FormResponse, Meeting
from tests.conftest import add_meetings

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def episode(client_n1) -> Episode:
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[14.0, 15.0, 14.5], first_date=datetime.date(2026, 1, 5))
    return episode


def end(browser, episode, **data):
    values = {"ended_on": TODAY().isoformat(), "end_reason": "dropout"} | data
    return browser.post(reverse("episode_end", args=[episode.pk]), values)


def test_it_ends_the_episode_as_a_dropout(login_en, alice, episode):
    response = end(login_en(alice), episode, ended_on="2026-03-01")
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.ended_on, episode.end_reason) == (datetime.date(2026, 3, 1), "dropout")
    assert episode.ended_by == alice and episode.ended_at is not None
    event = AuditEvent.objects.get(action="update", detail__what="episode_end")
    assert event.detail["before"]["ended_on"] is None
    assert event.detail["after"] == {
        "ended_on": "2026-03-01",
        "end_reason": "dropout",
        "end_reason_text": "",
    }


def test_the_colleague_sharing_the_case_may_end_it(login_en, bob, episode):
    end(login_en(bob), episode)
    episode.refresh_from_db()
    assert episode.ended_on == TODAY()


@pytest.mark.parametrize("persona", ["carol", "dave", "erin", "oscar", "olga"])
def test_whoever_is_not_a_helper_on_the_case_gets_a_404_and_changes_nothing(
    request, login_en, episode, persona
):
    # The team's leader reads the case but writes only as a helper on it (DESIGN: access).
    browser = login_en(request.getfixturevalue(persona))
    assert browser.get(reverse("episode_end", args=[episode.pk])).status_code == 404
    assert end(browser, episode, item1="5", item2="5", item3="5", item4="5").status_code == 404
    episode.refresh_from_db()
    assert episode.ended_on is None and episode.meetings.count() == 3
    assert not AuditEvent.objects.filter(detail__what="episode_end").exists()


def test_the_page_offers_every_end_reason_and_the_last_ors(login_en, alice, episode):
    html = login_en(alice).get(reverse("episode_end", args=[episode.pk])).content.decode()
    for label in ["Planned ending", "Client dropped out", "Referred on", "Moved", "Died", "Other"]:
        assert label in html
    assert "A last ORS (optional)" in html and 'name="item4"' in html


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"ended_on": "2099-01-01"}, "ended_on", "Et forløp kan ikke avsluttes fram i tid."),
        ({"ended_on": "2025-12-31"}, "ended_on", "Forløpet startet 05.01.2026"),
        ({"ended_on": "2026-01-15"}, "ended_on", "Siste møte var 19.01.2026"),
        ({"ended_on": "31.02.2026"}, "ended_on", "Skriv en dato, for eksempel 2026-03-01."),
        ({"ended_on": ""}, "ended_on", "Skriv datoen forløpet ble avsluttet."),
        ({"end_reason": ""}, "end_reason", "Velg hvorfor forløpet ble avsluttet."),
        ({"end_reason": "mutual"}, "end_reason", "Velg et gyldig valg."),
        ({"end_reason": "other"}, "end_reason_text", "Skriv med noen få ord hvorfor"),
        ({"item1": "5"}, "item2", "Fyll inn alle linjene i skjemaet, eller ingen av dem."),
        (
            {"item1": "11", "item2": "5", "item3": "5", "item4": "5"},
            "item1",
            "Bruk et tall fra 0 til 10.",
        ),
        (
            {"item1": "abc", "item2": "5", "item3": "5", "item4": "5"},
            "item1",
            "Skriv et tall",
        ),
    ],
)
def test_bad_input_is_named_beside_the_field_in_norwegian_and_nothing_is_stored(
    login, alice, episode, data, field, message
):
    response = end(login(alice), episode, **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    error = html[html.index(f'id="id_{field}-error"') :][:300]
    assert message in error
    assert "Forløpet ble ikke avsluttet" in html
    # What was typed is kept.
    for key, value in data.items():
        if value and key != "end_reason":
            assert f'value="{value}"' in html
    episode.refresh_from_db()
    assert episode.ended_on is None and episode.meetings.count() == 3


def test_other_needs_a_text_and_keeps_it(login_en, alice, episode):
    end(login_en(alice), episode, end_reason="other", end_reason_text="Ønsket pause")
    episode.refresh_from_db()
    assert (episode.end_reason, episode.end_reason_text) == ("other", "Ønsket pause")


def test_a_last_ors_is_saved_in_a_final_meeting_on_the_end_date(login_en, alice, episode):
    end(login_en(alice), episode, item1="4", item2="4,5", item3="3", item4="4")
    episode.refresh_from_db()
    final = Meeting.objects.get(episode=episode, number=4)
    assert final.date == TODAY() and final.helper == alice
    form = FormResponse.objects.get(meeting=final)
    assert (form.instrument, form.total) == ("ORS", 155)
    assert episode.meeting_count == 4 and str(episode.latest_ors) == "15.5"


def test_a_double_submit_gives_one_end_and_one_final_meeting(login_en, alice, episode):
    browser = login_en(alice)
    first = end(browser, episode, item1="4", item2="4", item3="4", item4="4")
    second = end(browser, episode, end_reason="planned", item1="9", item2="9", item3="9", item4="9")
    assert first.status_code == second.status_code == 302
    episode.refresh_from_db()
    assert episode.end_reason == "dropout"
    assert episode.meetings.count() == 4 and FormResponse.objects.filter(total=160).count() == 1
    assert AuditEvent.objects.filter(detail__what="episode_end").count() == 1


def test_the_service_is_idempotent_too(alice, episode):
    first = end_episode(episode=episode, ended_on=TODAY(), reason="planned", by=alice)
    again = end_episode(episode=episode, ended_on=TODAY(), reason="dropout", by=alice)
    assert first.changed and not again.changed
    assert Episode.objects.get(pk=episode.pk).end_reason == "planned"


def test_it_leaves_the_caseload_and_enters_the_period_dropout_count(
    login_en, alice, carol, client_n1, episode
):
    # The leader's team dashboard before and after (the caseload is the helper's own).
    assert "N-001" in login_en(carol).get(reverse("team_dashboard")).content.decode()
    assert "N-001" in login_en(alice).get(reverse("caseload")).content.decode()
    end(login_en(alice), episode)
    assert "N-001" not in login_en(alice).get(reverse("caseload")).content.decode()
    assert "N-001" not in login_en(carol).get(reverse("team_dashboard")).content.decode()
    figures = stats.team_statistics(
        Episode.objects.all(), TODAY() - datetime.timedelta(days=30), TODAY()
    )
    assert (figures["closed"], figures["summary"]["dropouts"]) == (1, 1)


@pytest.mark.parametrize(
    "reason, dropouts, known",
    [("planned", 0, 1), ("dropout", 1, 1), ("referred", 0, 1), ("moved", 0, 1), ("other", 0, 1)],
)
def test_only_a_dropout_counts_as_one(alice, episode, reason, dropouts, known):
    end_episode(episode=episode, ended_on=TODAY(), reason=reason, reason_text="x", by=alice)
    summary = stats.team_statistics(Episode.objects.all(), TODAY(), TODAY())["summary"]
    assert (summary["dropouts"], summary["with_end_reason"]) == (dropouts, known)


def test_a_death_is_left_out_of_the_dropout_figure(alice, episode):
    end_episode(episode=episode, ended_on=TODAY(), reason="died", by=alice)
    summary = stats.team_statistics(Episode.objects.all(), TODAY(), TODAY())["summary"]
    assert (summary["dropouts"], summary["with_end_reason"]) == (0, 0)


def test_it_is_reopened_within_the_set_time_and_audited(login_en, alice, client_n1, episode):
    browser = login_en(alice)
    end(browser, episode)
    assert (
        "Reopen the episode"
        in browser.get(reverse("client_detail", args=[client_n1.pk])).content.decode()
    )
    response = browser.post(reverse("episode_reopen", args=[episode.pk]))
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.ended_on is None and episode.end_reason == ""
    event = AuditEvent.objects.get(detail__what="episode_reopen")
    assert event.detail["before"]["end_reason"] == "dropout"
    assert event.detail["after"]["ended_on"] is None


def test_after_the_set_time_it_stays_ended(login_en, alice, client_n1, episode, settings):
    settings.EPISODE_REOPEN_DAYS = 14
    end_episode(
        episode=episode,
        ended_on=datetime.date(2026, 2, 1),
        reason="planned",
        by=alice,
        at=timezone.now() - datetime.timedelta(days=15),
    )
    browser = login_en(alice)
    html = browser.get(reverse("client_detail", args=[client_n1.pk])).content.decode()
    assert "Reopen the episode" not in html and "Start a new episode" in html
    response = browser.post(reverse("episode_reopen", args=[episode.pk]), follow=True)
    assert "can no longer be reopened" in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).ended_on == datetime.date(2026, 2, 1)


@pytest.mark.parametrize("persona", ["carol", "dave", "oscar", "olga"])
def test_only_a_helper_on_the_case_reopens(request, login_en, alice, episode, persona):
    end_episode(episode=episode, ended_on=TODAY(), reason="planned", by=alice)
    browser = login_en(request.getfixturevalue(persona))
    assert browser.post(reverse("episode_reopen", args=[episode.pk])).status_code == 404
    assert Episode.objects.get(pk=episode.pk).ended_on == TODAY()


def test_a_new_episode_keeps_the_old_one_with_its_own_chart(login_en, alice, client_n1, episode):
    end_episode(episode=episode, ended_on=datetime.date(2026, 2, 1), reason="planned", by=alice)
    browser = login_en(alice)
    browser.post(reverse("episode_start", args=[client_n1.pk]), {"started_on": "2026-03-01"})
    new = client_n1.episodes.get(ended_on__isnull=True)
    assert new.started_on == datetime.date(2026, 3, 1)
    url = reverse("client_detail", args=[client_n1.pk])
    html = browser.get(url).content.decode()
    assert "No meetings yet" in html and f'href="?episode={episode.pk}"' in html
    # The earlier episode's page shows its own chart and meetings, and cannot be reopened.
    html = browser.get(url, {"episode": episode.pk}).content.decode()
    assert "Meeting 3" in html and '<script id="chart-data"' in html
    assert "planned ending" in html and "Reopen the episode" not in html
    # Another client's episode id shows this client's current episode, nothing else.
    assert browser.get(url, {"episode": 1001}).status_code == 200
