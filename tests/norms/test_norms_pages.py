"""The Own norms pages: who may, fitting in the background, the calibration report."""

from __future__ import annotations

import re

import pytest

from kor.models import AuditEvent, NormsJob, TrajectoryModel

from .conftest import CLOSED


def _fit(client, name="", lang="en"):
    client.cookies["django_language"] = lang
    return client.post("/norms/", {"name": name})


@pytest.mark.parametrize("persona", ["alice", "bob", "dave", "oscar"])
def test_a_helper_or_another_organisation_gets_no_norms_page(persona, request, login, gentle):
    client = login(request.getfixturevalue(persona))

    assert client.get("/norms/").status_code == 404
    assert client.get(f"/norms/models/{gentle.pk}/").status_code == 404
    assert client.post("/norms/use/", {"model": gentle.pk}).status_code == 404
    assert client.post("/norms/", {"name": "x"}).status_code == 404
    assert not NormsJob.objects.exists()


@pytest.mark.parametrize("persona", ["carol", "erin", "olga"])
def test_leaders_and_the_org_admin_see_the_page(persona, request, login, org, gentle):
    client = login(request.getfixturevalue(persona))
    client.cookies["django_language"] = "en"
    response = client.get("/norms/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "The published model (2023)" in text
    assert "Gentle, version 1" in text
    assert "never a client" in text


def test_another_organisations_model_is_not_found(login, carol, foreign_model):
    client = login(carol)

    assert client.get(f"/norms/models/{foreign_model.pk}/").status_code == 404
    assert client.post("/norms/use/", {"model": foreign_model.pk}).status_code == 404


def test_it_says_when_there_are_too_few_closed_episodes(login, carol, client_n1):
    client = login(carol)
    client.cookies["django_language"] = "en"
    page = client.get("/norms/").content.decode()

    assert "has 0 closed episodes" in page
    assert "Too few closed episodes to fit own norms yet" in page
    assert 'name="name"' not in page


def test_a_fit_with_too_few_fails_with_a_message_in_the_users_language(login, carol, north):
    response = _fit(login(carol), lang="nb")

    job = NormsJob.objects.get()
    assert response.status_code == 302
    assert job.state == NormsJob.State.FAILED
    assert "Egne normer krever minst 200" in job.error
    page = login(carol).get(f"/norms/jobs/{job.pk}/").content.decode()
    assert "Egne normer krever minst 200" in page
    assert "Jobben kunne ikke gjøres." in page
    assert not TrajectoryModel.objects.exists()


def test_a_leader_fits_own_norms_in_the_background(login, carol, org, closed_north):
    client = login(carol)
    response = _fit(client, name="Nord 2026")

    job = NormsJob.objects.get()
    assert response["Location"] == f"/norms/jobs/{job.pk}/"
    assert (job.kind, job.state, job.done, job.total) == ("fit", "done", 3, 3)
    model = job.model
    assert (model.organisation, model.source, model.version, model.name) == (
        org, "fitted", 1, "Nord 2026",
    )  # fmt: skip
    assert model.calibration["own"]["raters"] == CLOSED
    assert model.calibration["published"]["meetings"]
    org.refresh_from_db()
    assert org.trajectory_model is None  # stored, not in use until chosen
    page = client.get(f"/norms/jobs/{job.pk}/").content.decode()
    assert "Nord 2026, version 1 is fitted and stored" in page
    assert f"/norms/models/{model.pk}/" in page


def test_each_fit_is_the_next_version(login, carol, olga, org, closed_north):
    _fit(login(carol))
    _fit(login(olga))

    assert list(TrajectoryModel.objects.values_list("version", "name")) == [
        (2, "Own norms"),
        (1, "Own norms"),
    ]


def test_the_fit_is_audited_and_in_each_clients_trail(login, carol, closed_north):
    _fit(login(carol))

    model = TrajectoryModel.objects.get()
    assert AuditEvent.objects.filter(
        action="create", object_type="kor.trajectorymodel", object_id=str(model.pk), user=carol
    ).exists()
    reads = AuditEvent.objects.filter(action="view", detail__screen="norms_fit", user=carol)
    assert set(reads.values_list("client_id", flat=True)) == {e.client_id for e in closed_north}


def test_the_progress_partial_polls_until_done(login, carol, org):
    job = NormsJob.objects.create(organisation=org, requested_by=carol, kind="fit", total=3, done=1)
    client = login(carol)

    partial = client.get(f"/norms/jobs/{job.pk}/", headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert text.lstrip().startswith('<div id="job-progress"')
    assert 'hx-trigger="every 1s"' in text
    assert '<progress id="job-progress-bar" max="3" value="1">' in text
    NormsJob.objects.filter(pk=job.pk).update(state="failed", error="Too few.")
    done = client.get(f"/norms/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done
    assert "Too few." in done


def test_another_organisations_job_is_not_found(login, oscar, carol, org):
    job = NormsJob.objects.create(organisation=org, requested_by=carol, kind="fit")

    assert login(oscar).get(f"/norms/jobs/{job.pk}/").status_code == 404


def test_the_calibration_report_has_charts_data_and_a_table(login, olga, carol, closed_north):
    _fit(login(carol))
    model = TrajectoryModel.objects.get()
    client = login(olga)
    client.cookies["django_language"] = "en"

    page = client.get(f"/norms/models/{model.pk}/").content.decode()

    assert 'id="norms-predicted"' in page and 'id="norms-below"' in page
    assert '<script id="norms-chart-data" type="application/json">' in page
    assert "js/norms-chart.js" in page and "plotly-basic.min.js" in page
    assert not re.search(r"<script(?![^>]*(src=|application/json))", page)  # no inline script
    assert "style=" not in page
    rows = re.findall(r'<tr><th scope="row">(\d+)</th>', page)
    assert rows[:3] == ["2", "3", "4"]  # one row per meeting after the intake
    assert "Use this model" in page


def test_a_double_submit_fits_once(login, carol, closed_north):
    client = login(carol)
    first = _fit(client, name="Once")
    second = _fit(client, name="Once")

    assert first["Location"] == second["Location"]
    assert NormsJob.objects.count() == 1
    assert TrajectoryModel.objects.count() == 1
