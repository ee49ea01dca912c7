"""A closed team takes no new clients; an archived client gets no new episode until brought back."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Episode
from tests.clients.test_intake import URL, intake_data


def test_a_closed_team_is_not_offered_and_a_forged_post_is_refused(login, alice, north):
    north.closed_at = timezone.now()
    north.save()
    browser = login(alice)
    page = browser.get(URL)
    # North was Alice's only team: nothing to register a client in (or, with other teams, not
    # North among them).
    form = page.context.get("form")
    assert form is None or north not in form.fields["team"].queryset

    response = browser.post(URL, intake_data(north, alice))
    assert response.status_code == 404  # no team to register in: the intake is not there
    assert not Client.objects.filter(case_code="N-100").exists()


def test_an_archived_client_gets_no_new_episode(login, alice, client_n1):
    episode = client_n1.episodes.get()
    episode.ended_on = episode.started_on
    episode.end_reason = "planned"
    episode.save()
    client_n1.active = False
    client_n1.save()

    response = login(alice).post(
        reverse("episode_start", args=[client_n1.pk]),
        {"started_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "Hent klienten tilbake fra arkivet først." in response.content.decode()
    assert Episode.objects.filter(client=client_n1).count() == 1
