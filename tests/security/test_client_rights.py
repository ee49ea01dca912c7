"""The client's rights: export everything, anonymise, erase; only the responsible helper or a
leader of the client's team, and only after typing the case code."""

from __future__ import annotations

import json
import subprocess

import pytest

from clients.models import Client, Episode, Goal, Rater
from sessions.models import FormResponse
from tests.conftest import add_meetings
from tests.security.conftest import verify


@pytest.fixture
def full_client(client_n1, alice):
    client_n1.name = "Kari Nordmann"
    client_n1.forms_unsuitable_note = "Kari prefers talking"
    client_n1.save()
    episode = client_n1.episodes.get()
    Goal.objects.create(episode=episode, text="Sove bedre om natta", set_on=episode.started_on)
    Rater.objects.create(episode=episode, relation="mother", label="Mor Ingrid")
    add_meetings(episode, ors=[12.0, 15.5, 21.0], srs=[36.0, 37.5, 38.0])
    return client_n1


def test_it_exports_everything_as_json(login, alice, full_client):
    response = login(alice).get(f"/clients/{full_client.pk}/export.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    record = json.loads(response.content)
    data = record["data"]
    assert data["clients.client"][0]["name"] == "Kari Nordmann"
    assert {g["text"] for g in data["clients.goal"]} == {"Sove bedre om natta"}
    assert {r["label"] for r in data["clients.rater"]} >= {"Mor Ingrid"}
    totals = sorted(
        r["total"] for r in data["therapy_sessions.formresponse"] if r["instrument"] == "ORS"
    )
    assert totals == [120, 155, 210]
    assert len(data["therapy_sessions.meeting"]) == 3
    assert any(e["action"] == "export" for e in record["access_log"])


def test_the_json_shows_the_outcome_as_the_screen_and_the_report_do(login, alice, full_client):
    from sessions.chart import outcome_panel
    from sessions.outcome import episode_outcome

    record = json.loads(login(alice).get(f"/clients/{full_client.pk}/export.json").content)
    [outcome] = record["outcomes"]
    episode = full_client.episodes.get()
    assert outcome["status"] == episode.status
    client, mother = outcome["raters"]
    assert [f["total"] for f in client["outcome_forms"]] == [12.0, 15.5, 21.0]
    assert client["status"] == episode.raters.get(relation="client").status
    assert mother == mother | {"who": "Mor Ingrid", "status": "none", "outcome_forms": []}
    # The expected line and Target the chart draws.
    traces = outcome_panel(episode_outcome(episode)).figure["data"]
    [line] = [
        t for t in traces if t.get("meta") == {"rater": client["rater_id"], "kind": "expected"}
    ]
    assert [p["meeting"] for p in client["expected"]] == line["x"]
    assert [p["value"] for p in client["expected"]] == line["y"]
    assert client["target"] is not None


def test_it_exports_everything_as_pdf(login, alice, full_client, tmp_path):
    response = login(alice).get(f"/clients/{full_client.pk}/export.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "export.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert "Kari Nordmann" in text
    assert "Sove bedre om natta" in text


def test_a_leader_of_the_team_may_export(login, carol, full_client):
    c = login(carol)
    verify(c, carol)
    assert c.get(f"/clients/{full_client.pk}/export.json").status_code == 200


def test_a_colleague_sharing_the_case_may_not_export_or_anonymise(login, bob, full_client):
    c = login(bob)
    assert c.get(f"/clients/{full_client.pk}/").status_code == 200  # bob may read
    assert c.get(f"/clients/{full_client.pk}/export.json").status_code == 404
    assert c.get(f"/clients/{full_client.pk}/rights/").status_code == 404
    c.post(f"/clients/{full_client.pk}/anonymise/", {"anon-confirm": "N-001"})
    assert Client.objects.get(pk=full_client.pk).name == "Kari Nordmann"


def test_it_asks_for_the_case_code_before_anonymising(login, alice, full_client):
    c = login(alice)
    page = c.get(f"/clients/{full_client.pk}/rights/")
    assert page.status_code == 200
    response = c.post(f"/clients/{full_client.pk}/anonymise/", {"anon-confirm": "N-002"})
    assert response.status_code == 422
    assert Client.objects.get(pk=full_client.pk).anonymised_at is None


def test_it_anonymises_and_keeps_the_scores(login, alice, full_client):
    before = list(
        FormResponse.objects.filter(rater__episode__client=full_client)
        .order_by("id")
        .values_list("total", flat=True)
    )
    status_before = Episode.objects.get(client=full_client).status
    response = login(alice).post(f"/clients/{full_client.pk}/anonymise/", {"anon-confirm": "N-001"})
    assert response.status_code == 302
    client = Client.objects.get(pk=full_client.pk)
    assert client.name == ""
    assert client.case_code == f"ANON-{client.pk}"
    assert client.birth_year == 1990  # rounded down to five years
    assert client.forms_unsuitable_note == ""
    assert client.anonymised_at is not None
    assert not Goal.objects.filter(text__contains="Sove").exists()
    assert not Rater.objects.filter(label="Mor Ingrid").exists()
    after = list(
        FormResponse.objects.filter(rater__episode__client=client)
        .order_by("id")
        .values_list("total", flat=True)
    )
    assert after == before
    episode = Episode.objects.get(client=client)
    assert episode.status == status_before
    assert episode.age_group == "adult"


def test_it_erases_a_client_and_everything_about_them(login, alice, full_client):
    pk = full_client.pk
    response = login(alice).post(f"/clients/{pk}/erase/", {"erase-confirm": "N-001"})
    assert response.status_code == 302
    assert not Client.objects.filter(pk=pk).exists()
    assert not Episode.objects.filter(client_id=pk).exists()
    assert not FormResponse.objects.filter(rater__episode__client_id=pk).exists()


def test_it_refuses_anonymising_by_get(login, alice, full_client):
    assert login(alice).get(f"/clients/{full_client.pk}/anonymise/").status_code == 405
