"""Choosing the model in use: the open episodes' statuses follow it, and say which model made them.

The constructed episode: an adult with ORS 20.0, 21.0, 22.0 (three ratings). Worked by hand:
- published model, adult short, intake 20 (KOR-REFERENCE's worked example): ETR(3) = 25.1. Change
  22.0 - 20.0 = 2.0 of the 5.1 expected = 39 % < 50 %: off track.
- the "Gentle" model (I 20, Ix 1, L 1, the rest 0): ETR(3) = 20 + 1 * 2 = 22.0. Change 2.0 of 2.0
  = 100 %, and 22.0 is not below 22.0; three ratings (< 4): on track.
"""

from __future__ import annotations

import pytest

from clients.models import Episode
from kor.models import AuditEvent, NormsJob
from tests.conftest import add_meetings


@pytest.fixture
def episode(client_n1) -> Episode:
    episode = client_n1.episodes.get()
    add_meetings(episode, [20.0, 21.0, 22.0])
    episode.refresh_from_db()
    return episode


def _use(client, model_id=""):
    client.cookies["django_language"] = "en"
    return client.post("/norms/use/", {"model": model_id})


def test_the_published_model_puts_the_constructed_episode_off_track(episode):
    assert (episode.status, episode.status_model) == ("off_track", None)
    assert episode.assessment["expected"] == pytest.approx(25.1, abs=0.05)


def test_choosing_own_norms_recomputes_the_status_as_worked_by_hand(
    login, carol, org, episode, gentle
):
    client = login(carol)
    response = _use(client, gentle.pk)

    job = NormsJob.objects.get()
    assert response["Location"] == f"/norms/jobs/{job.pk}/"
    org.refresh_from_db()
    assert org.trajectory_model == gentle
    episode.refresh_from_db()
    assert (episode.status, episode.status_model) == ("on_track", gentle)
    assert episode.assessment["expected"] == pytest.approx(22.0)
    assert job.result == {"episodes": 1, "changed": 1, "moves": [["off_track", "on_track", 1]]}
    page = client.get(f"/norms/jobs/{job.pk}/").content.decode()
    assert "recomputed; 1 changed" in page
    assert "<tr><td>off track</td><td>on track</td><td>1</td></tr>" in page


def test_switching_back_to_the_published_model(login, olga, org, episode, gentle):
    client = login(olga)
    _use(client, gentle.pk)
    _use(client, "")

    org.refresh_from_db()
    episode.refresh_from_db()
    assert org.trajectory_model is None
    assert (episode.status, episode.status_model) == ("off_track", None)
    assert NormsJob.objects.first().result["moves"] == [["on_track", "off_track", 1]]


def test_a_closed_episode_is_left_as_it_was(login, carol, org, episode, gentle):
    Episode.objects.filter(pk=episode.pk).update(ended_on=episode.started_on)
    _use(login(carol), gentle.pk)

    episode.refresh_from_db()
    assert (episode.status, episode.status_model) == ("off_track", None)
    assert NormsJob.objects.get().result == {"episodes": 0, "changed": 0, "moves": []}


def test_the_switch_is_audited(login, carol, org, episode, gentle):
    _use(login(carol), gentle.pk)

    switch = AuditEvent.objects.get(detail__norms="use")
    assert (switch.user, switch.detail["before"], switch.detail["after"]) == (
        carol, None, gentle.pk,
    )  # fmt: skip
    changed = AuditEvent.objects.get(detail__screen="norms_switch")
    assert (changed.action, changed.client_id) == ("update", episode.client_id)


def test_a_new_form_records_the_model_in_use(login, carol, org, episode, gentle):
    _use(login(carol), gentle.pk)
    add_meetings(Episode.objects.get(pk=episode.pk), [23.0])

    episode.refresh_from_db()
    assert episode.status_model == gentle


def test_a_double_submit_switches_once(login, carol, org, episode, gentle):
    client = login(carol)
    first = _use(client, gentle.pk)
    second = _use(client, gentle.pk)

    assert first["Location"] == second["Location"]
    assert NormsJob.objects.count() == 1
    assert AuditEvent.objects.filter(detail__norms="use").count() == 1
