"""seed_demo builds a realistic demo organisation, the same for the same seed."""

from collections import Counter

import pytest
from django.core.management import call_command

from clients.models import Client, Episode, Rater
from kor.models import Membership, Organisation, User
from sessions.models import FormResponse

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_it_seeds_an_organisation_with_two_teams_a_leader_and_five_helpers():
    output = seed()
    org = Organisation.objects.get(slug="demo")
    assert org.teams.count() == 2
    assert Membership.objects.filter(role="leader").values("user").distinct().count() == 1
    assert Membership.objects.filter(role="helper").count() == 5
    assert Client.objects.filter(organisation=org).count() == 60
    assert "leder" in output and "kor-demo-2026" in output


def test_the_demo_logins_work(client):
    seed()
    assert client.login(username="kari", password="kor-demo-2026")


def test_it_has_every_kind_of_case():
    seed()
    assert set(Episode.objects.values_list("age_group", flat=True)) == {
        "adult",
        "adolescent",
        "child",
        "young_child",
    }
    # a child rated by a parent, and a family case with several raters
    assert Rater.objects.filter(relation="mother", episode__age_group="child").exists()
    raters_per_episode = Counter(Rater.objects.values_list("episode_id", flat=True))
    assert max(raters_per_episode.values()) >= 3
    assert Episode.objects.filter(end_reason="dropout").exists()
    assert Episode.objects.filter(end_reason="planned").exists()
    assert FormResponse.objects.filter(status="declined").exists()


def test_it_has_clients_off_track_and_alliance_alerts():
    seed()
    statuses = set(Episode.objects.filter(ended_on__isnull=True).values_list("status", flat=True))
    assert {"off_track", "on_track", "at_risk"} <= statuses
    assert any("alliance_alert" in e.flags for e in Episode.objects.all())


def test_every_stored_total_is_the_sum_of_its_items():
    seed()
    for form in FormResponse.objects.filter(status="completed", instrument__in=["ORS", "SRS"]):
        assert form.total == sum(form.items)
        assert all(0 <= item <= 100 for item in form.items)


def test_the_same_seed_gives_the_same_data():
    def snapshot(slug: str) -> tuple[list, list]:
        forms = FormResponse.objects.filter(meeting__episode__client__organisation__slug=slug)
        episodes = Episode.objects.filter(client__organisation__slug=slug)
        return (
            list(forms.order_by("id").values_list("instrument", "total", "status")),
            list(episodes.order_by("id").values_list("status", "meeting_count", "end_reason")),
        )

    seed(seed=7, slug="first")
    seed(seed=7, slug="second")
    seed(seed=8, slug="third")
    assert snapshot("first") == snapshot("second")
    assert snapshot("first") != snapshot("third")


def test_if_empty_leaves_an_existing_database_alone():
    seed()
    output = seed(if_empty=True)
    assert "no demo data added" in output
    assert Organisation.objects.count() == 1


def test_it_scales_with_clients_and_helpers():
    seed(clients=400, slug="big")
    org = Organisation.objects.get(slug="big")
    assert Client.objects.filter(organisation=org).count() == 400
    assert User.objects.filter(organisation=org, memberships__role="helper").count() == 8
    assert FormResponse.objects.count() > 3000


def test_every_form_it_stores_is_the_one_the_app_asks_for_and_saves_at_its_url(login):
    """The demo and the app follow one form rule (a parent of a young child fills YCORS), so
    every stored form opens on its meeting page and saves at its URL."""
    from django.urls import reverse

    from sessions.forms import ResponseForm
    from sessions.services import forms_for

    seed()
    forms = list(
        FormResponse.objects.select_related("meeting__episode__client", "rater").order_by("pk")
    )
    wrong = [
        f"{f.instrument} for {f.rater.relation} in a {f.meeting.episode.age_group} episode"
        for f in forms
        if f.instrument not in forms_for(f.meeting.episode, f.rater, f.meeting)
    ]
    assert not wrong, wrong[:5]

    kinds = {}
    for f in forms:
        kinds.setdefault((f.meeting.episode.age_group, f.rater.relation, f.instrument, f.status), f)
    assert ("young_child", "parent", "YCORS", "completed") in kinds
    for form in kinds.values():
        browser = login(form.meeting.episode.client.responsible_helper)
        page = browser.get(reverse("meeting_detail", args=[form.meeting_id])).content.decode()
        assert f'id="form-r{form.rater_id}-{form.instrument}"' in page
        prefix = f"r{form.rater_id}-{form.instrument}-"
        data = {prefix + k: v for k, v in ResponseForm.initial_from(form).items()}
        url = reverse("save_form", args=[form.meeting_id, form.rater_id, form.instrument])
        response = browser.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, form
        # Its own values again: accepted, and nothing changes.
        assert FormResponse.objects.get(pk=form.pk).updated_at == form.updated_at


def test_the_first_helpers_clients_are_made_the_way_a_helper_makes_them():
    """Three clients of each printed helper come in through the intake, meetings entered on past
    dates, forms saved one by one and an ending: their audit trail shows each step."""
    from kor.models import AuditEvent

    seed()
    registered = Client.objects.filter(intake_token__isnull=False)
    assert registered.count() == 15
    assert Client.objects.count() == 60  # the stories are part of the 60, not on top
    kari = registered.filter(responsible_helper__username="kari").order_by("case_code")
    assert [c.case_code for c in kari] == ["K-00046", "K-00047", "K-00048"]
    responder, flat, dropout = (c.episodes.get() for c in kari)
    assert responder.status == "on_track" and responder.meeting_count == 5
    assert flat.status == "off_track" and "alliance_alert" in flat.flags
    assert flat.raters.count() == 2
    assert dropout.end_reason == "dropout" and dropout.ended_on is not None
    trail = Counter(
        AuditEvent.objects.filter(client_id=kari[2].pk, user__username="kari").values_list(
            "action", "object_type"
        )
    )
    assert trail[("create", "clients.client")] == 1
    assert trail[("create", "therapy_sessions.meeting")] == 3
    assert trail[("create", "therapy_sessions.formresponse")] == 6  # ORS and SRS in three meetings
    ended = AuditEvent.objects.get(
        client_id=kari[2].pk, action="update", object_type="clients.episode"
    )
    assert ended.detail["what"] == "episode_end"
    assert ended.detail["after"]["end_reason"] == "dropout"
