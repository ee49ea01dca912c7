"""The meeting page: who sees it, which forms it offers, the chart data it carries."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse

from clients.models import Episode, Rater
from kor.models import AuditEvent
from sessions.models import FormResponse, Meeting
from sessions.outcome import refresh_episode
from tests.conftest import add_meetings, make_client
from tests.sessions.test_outcome_read_model import rate

pytestmark = pytest.mark.django_db


def episode_of(client) -> Episode:
    return client.episodes.get()


def new_meeting(episode: Episode, fmt: str = "individual") -> Meeting:
    number = episode.meetings.count() + 1
    return Meeting.objects.create(
        episode=episode,
        number=number,
        date=datetime.date(2026, 3, 1),
        helper=episode.client.responsible_helper,
        format=fmt,
    )


def chart_of(response) -> dict:
    match = re.search(
        r'<script id="chart-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries no chart data"
    return json.loads(match.group(1))


def test_it_shows_the_forms_to_the_responsible_helper(login_en, alice, client_n1):
    meeting = new_meeting(episode_of(client_n1))
    response = login_en(alice).get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ORS" in html and "SRS" in html
    assert 'role="slider"' in html
    assert reverse("save_form", args=[meeting.pk, meeting.episode.raters.get().pk, "ORS"]) in html


def test_it_shows_the_forms_to_a_colleague_who_shares_the_case(login_en, bob, client_n1):
    meeting = new_meeting(episode_of(client_n1))
    response = login_en(bob).get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Save ORS" in response.content.decode()


@pytest.mark.parametrize("persona", ["dave", "oscar", "olga"])
def test_it_is_a_404_for_whoever_is_not_on_the_case(request, login_en, client_n1, persona):
    meeting = new_meeting(episode_of(client_n1))
    user = request.getfixturevalue(persona)
    response = login_en(user).get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 404


def test_it_lets_a_leader_read_but_not_write(login_en, carol, client_n1):
    meeting = new_meeting(episode_of(client_n1))
    rater = meeting.episode.raters.get()
    browser = login_en(carol)
    page = browser.get(reverse("meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    assert "only a helper on the case records forms" in page.content.decode()
    assert "Save ORS" not in page.content.decode()
    save = reverse("save_form", args=[meeting.pk, rater.pk, "ORS"])
    assert browser.post(save, {}).status_code == 404


def test_it_asks_anonymous_users_to_log_in(client, client_n1):
    meeting = new_meeting(episode_of(client_n1))
    response = client.get(reverse("meeting_detail", args=[meeting.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_logs_the_view_in_the_audit_trail(login_en, alice, client_n1):
    meeting = new_meeting(episode_of(client_n1))
    login_en(alice).get(reverse("meeting_detail", args=[meeting.pk]))
    event = AuditEvent.objects.get(action="view", object_type="therapy_sessions.meeting")
    assert event.client_id == client_n1.pk and event.user == alice


def test_it_offers_the_child_forms_for_a_child(login_en, org, north, alice):
    child = make_client(org, north, alice, "N-CH", birth_year=2016, age_group="child")
    meeting = new_meeting(episode_of(child))
    html = login_en(alice).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert "CORS" in html and "CSRS" in html
    assert "Save ORS" not in html


def test_it_offers_a_parent_the_child_outcome_form_and_the_adult_alliance_form(
    login_en, org, north, alice
):
    child = make_client(org, north, alice, "N-CH2", birth_year=2016, age_group="child")
    episode = episode_of(child)
    mother = Rater.objects.create(episode=episode, relation=Rater.Relation.MOTHER)
    meeting = new_meeting(episode, fmt="family")
    html = login_en(alice).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("save_form", args=[meeting.pk, mother.pk, "CORS"]) in html
    assert reverse("save_form", args=[meeting.pk, mother.pk, "SRS"]) in html


def test_it_offers_the_group_form_in_a_group_meeting(login_en, alice, client_n1):
    meeting = new_meeting(episode_of(client_n1), fmt="group")
    rater = meeting.episode.raters.get()
    html = login_en(alice).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("save_form", args=[meeting.pk, rater.pk, "GSRS"]) in html
    assert reverse("save_form", args=[meeting.pk, rater.pk, "SRS"]) not in html


def test_it_carries_the_chart_as_data_with_expected_change_target_and_lines(
    login_en, alice, client_n1
):
    episode = episode_of(client_n1)
    add_meetings(episode, ors=[20.0, 22.0, 23.0], srs=[35.0, 37.0, 38.0])
    meeting = episode.meetings.last()
    figure = chart_of(login_en(alice).get(reverse("meeting_detail", args=[meeting.pk])))
    names = [trace["name"] for trace in figure["data"]]
    ors = next(t for t in figure["data"] if t["name"] == "ORS")
    assert ors["y"] == [20.0, 22.0, 23.0]
    # Item detail on hover: the items as data, written by the browser in the page's language.
    assert ors["customdata"][0] == [5.0, 5.0, 5.0, 5.0]
    assert "Individually: %{customdata[0]:.1f}" in ors["hovertemplate"]
    assert figure["layout"]["separators"][0] == "."
    srs = next(t for t in figure["data"] if t["name"] == "SRS")
    assert srs["y"] == [35.0, 37.0, 38.0]
    expected = next(t for t in figure["data"] if t["name"].startswith("expected"))
    assert [round(y, 1) for y in expected["y"][:3]] == [20.0, 23.1, 25.1]
    assert any(name.startswith("Target 27.") for name in names)  # Target for intake 20
    cutoff = next(t for t in figure["data"] if "25.0" in t["name"])
    assert cutoff["y"] == [25.0, 25.0]
    assert any("36.0" in name for name in names)


def test_a_label_typed_for_a_rater_stays_out_of_the_hover_templates(login_en, alice, client_n1):
    """Plotly reads "%{...}" in a hovertemplate as a field: the series' name (which holds a
    label anyone on the case may type) reaches the hover through the trace's `meta`."""
    episode = episode_of(client_n1)
    father = Rater.objects.create(episode=episode, relation=Rater.Relation.FATHER, label="%{y}")
    add_meetings(episode, ors=[20.0, 22.0, 23.0], srs=[35.0, 37.0, 38.0])
    rate(episode, father, "ORS", [18.0, 19.0, 21.0])
    refresh_episode(episode)
    meeting = episode.meetings.last()
    figure = chart_of(login_en(alice).get(reverse("meeting_detail", args=[meeting.pk])))
    theirs = [t for t in figure["data"] if t.get("meta", {}).get("rater") == father.pk]
    assert any(t["meta"].get("name", "").endswith("%{y}") for t in theirs)
    for trace in theirs:
        templates = trace.get("hovertemplate", "")
        for template in templates if isinstance(templates, list) else [templates]:
            assert "%{y}" not in template.replace("%{y:.1f}", "")


def test_it_shows_status_flags_and_reasons_and_a_table(login_en, alice, client_n1):
    episode = episode_of(client_n1)
    add_meetings(episode, ors=[20.0, 20.5, 21.0], srs=[30.0, 30.0, 30.0])
    meeting = episode.meetings.last()
    html = login_en(alice).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert 'class="badge status-off_track"' in html
    assert "alliance alert" in html
    assert "expected" in html  # the plain-language reason of the off-track status
    assert "<caption" in html and "21.0" in html  # the text alternative of the chart


def test_it_shows_a_declined_form_in_the_chart_and_table_without_counting_it(
    login_en, alice, client_n1
):
    episode = episode_of(client_n1)
    add_meetings(episode, ors=[20.0, None, 24.0])
    meeting = episode.meetings.last()
    response = login_en(alice).get(reverse("meeting_detail", args=[meeting.pk]))
    figure = chart_of(response)
    ors = next(t for t in figure["data"] if t["name"] == "ORS")
    assert ors["x"] == [1, 3] and ors["y"] == [20.0, 24.0]
    skipped = next(t for t in figure["data"] if "not rated" in t["name"])
    assert skipped["x"] == [2]
    # The expected change does not advance for the declined form: rating 2 is at meeting 3.
    expected = next(t for t in figure["data"] if t["name"].startswith("expected"))
    assert expected["x"][:2] == [1, 3]
    assert "declined" in response.content.decode()


def test_it_draws_no_line_for_a_high_intake(login_en, alice, client_n1):
    episode = episode_of(client_n1)
    add_meetings(episode, ors=[34.0, 35.0])
    figure = chart_of(
        login_en(alice).get(reverse("meeting_detail", args=[episode.meetings.last().pk]))
    )
    assert not any(t["name"].startswith("expected") for t in figure["data"])


def test_it_keeps_the_responses_of_another_meeting_apart(login_en, alice, client_n1):
    episode = episode_of(client_n1)
    add_meetings(episode, ors=[20.0])
    second = new_meeting(episode)
    html = login_en(alice).get(reverse("meeting_detail", args=[second.pk])).content.decode()
    assert 'value="5.0"' not in html
    assert FormResponse.objects.filter(meeting=second).count() == 0
