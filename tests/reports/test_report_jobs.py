"""Team reports in the background: the form, the task's progress, the download, and who may."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import call_command
from django.test import override_settings

from clients.models import ReportJob
from kor.models import AuditEvent
from sessions.reports import tasks

from .conftest import pdf_info, pdf_text
from .team_fixtures import END, START, build_north


@pytest.fixture
def north_clients(org, north, alice, bob, carol):
    return build_north(org, north, alice, bob)


def _post(client, team, kind, **extra):
    client.cookies["django_language"] = "en"  # the page in English, as chosen with the switch
    return client.post(
        "/reports/team/",
        {
            "team": team.pk,
            "period_start": START.isoformat(),
            "period_end": END.isoformat(),
            "kind": kind,
            "language": "en",
            **extra,
        },
    )


def test_it_shows_the_form_to_a_team_leader(login, carol, north):
    response = login(carol).get("/reports/team/")

    assert response.status_code == 200
    assert b'name="period_start"' in response.content
    assert b"North" in response.content


def test_it_tells_a_helper_that_team_reports_are_for_leaders(login, alice, north):
    response = login(alice).get("/reports/team/")

    assert response.status_code == 200
    assert b'name="period_start"' not in response.content


def test_it_refuses_a_team_the_user_does_not_lead(login, erin, north, north_clients):
    response = _post(login(erin), north, "team")

    assert response.status_code == 200  # the form again, with an error
    assert not ReportJob.objects.exists()


def test_it_refuses_a_period_that_ends_before_it_starts(login, carol, north):
    response = _post(login(carol), north, "team", period_end="2025-01-01")

    assert response.status_code == 200
    assert not ReportJob.objects.exists()


def test_it_builds_the_team_report_and_offers_the_download(login, carol, north, north_clients):
    browser = login(carol)
    response = _post(browser, north, "team")
    job = ReportJob.objects.get()

    assert response.status_code == 302
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert (job.state, job.done, job.total) == ("done", 2, 2)
    page = browser.get(response["Location"])
    assert f"/reports/jobs/{job.pk}/download/".encode() in page.content

    download = browser.get(f"/reports/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    text = pdf_text(b"".join(download.streaming_content))
    assert "Team report: North" in text
    assert "N-F" in text


def test_it_logs_the_download_for_every_client_it_shows(login, carol, north, north_clients):
    browser = login(carol)
    _post(browser, north, "team")
    job = ReportJob.objects.get()
    assert not AuditEvent.objects.filter(action="print").exists()  # not before it is fetched

    b"".join(browser.get(f"/reports/jobs/{job.pk}/download/").streaming_content)
    printed = AuditEvent.objects.filter(action="print", user=carol)
    assert printed.filter(object_type="clients.reportjob").count() == 1
    assert set(printed.exclude(client_id=None).values_list("client_id", flat=True)) == {
        north_clients["F"].pk
    }


def test_it_puts_one_pdf_per_client_in_a_zip(login, carol, north, north_clients):
    browser = login(carol)
    _post(browser, north, "clients_zip")
    job = ReportJob.objects.get()
    assert job.state == "done", job.error

    download = browser.get(f"/reports/jobs/{job.pk}/download/")
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    # Every North client with an episode in 2026; N-G's ended in 2025.
    assert sorted(archive.namelist()) == [f"N-{c}.pdf" for c in "ABCDEF"]
    assert "Progress report: N-C" in pdf_text(archive.read("N-C.pdf"))
    assert AuditEvent.objects.filter(action="print", client_id__isnull=False).count() == 6


def test_it_puts_every_client_in_one_combined_pdf(login, carol, north, north_clients):
    browser = login(carol)
    _post(browser, north, "clients_pdf")
    job = ReportJob.objects.get()
    assert (job.state, job.done, job.total) == ("done", 7, 7), job.error

    pdf = b"".join(browser.get(f"/reports/jobs/{job.pk}/download/").streaming_content)
    text = pdf_text(pdf)
    for code in "ABCDEF":
        assert f"Progress report: N-{code}" in text
    info = pdf_info(pdf)
    assert "Progress reports, team North" in info
    assert "Tagged:          yes" in info


def test_it_sends_a_big_team_to_the_zip_instead_of_one_pdf(
    login, carol, north, north_clients, monkeypatch
):
    monkeypatch.setattr(tasks, "COMBINED_MAX_CLIENTS", 5)
    monkeypatch.setattr("sessions.views.reports.COMBINED_MAX_CLIENTS", 5)
    response = _post(login(carol), north, "clients_pdf")

    assert response.status_code == 200
    assert "6 clients are too many for one PDF (at most 5)" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_the_task_reports_progress_and_finishes(monkeypatch, carol, north, north_clients):
    seen = []
    record = tasks._progress

    def watch(job, done, total=None):
        record(job, done, total)
        seen.append(ReportJob.objects.values_list("done", "total").get(pk=job.pk))

    monkeypatch.setattr(tasks, "_progress", watch)
    job = ReportJob.objects.create(
        requested_by=carol,
        team=north,
        kind="clients_zip",
        period_start=START,
        period_end=END,
        language="en",
    )
    result = tasks.build_report.enqueue(str(job.pk))
    job.refresh_from_db()

    assert seen == [(k, 6) for k in range(1, 7)]
    assert result.status == "SUCCESSFUL"
    assert (job.state, job.done, job.total, job.finished_at is not None) == ("done", 6, 6, True)
    assert result.return_value == job.file


def test_the_page_polls_while_the_task_runs(login, carol, north):
    job = ReportJob.objects.create(
        requested_by=carol,
        team=north,
        kind="clients_zip",
        period_start=START,
        period_end=END,
        state="running",
        done=3,
        total=8,
    )
    fragment = login(carol).get(f"/reports/jobs/{job.pk}/", headers={"HX-Request": "true"})
    html = fragment.content.decode()

    assert html.lstrip().startswith('<div id="job-progress"')
    assert 'hx-trigger="every 1s"' in html
    assert '<progress id="job-progress-bar" max="8" value="3">' in html
    assert "<html" not in html  # the fragment only

    ReportJob.objects.filter(pk=job.pk).update(state="done", done=8, file="reports/x.zip")
    html = login(carol).get(f"/reports/jobs/{job.pk}/", headers={"HX-Request": "true"}).content
    assert b"hx-trigger" not in html  # polling stops
    assert f"/reports/jobs/{job.pk}/download/".encode() in html


def test_it_says_so_when_a_report_fails(login, carol, north, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(tasks, "team_report_data", broken)
    browser = login(carol)
    _post(browser, north, "team")
    job = ReportJob.objects.get()

    assert job.state == "failed"
    page = browser.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert "the disk is full" in page
    assert browser.get(f"/reports/jobs/{job.pk}/download/").status_code == 404


@pytest.mark.parametrize("persona", ["alice", "erin", "oscar"])
def test_another_user_gets_404_for_the_report(request, login, carol, north, north_clients, persona):
    _post(login(carol), north, "team")
    job = ReportJob.objects.get()
    other = login(request.getfixturevalue(persona))

    assert other.get(f"/reports/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/reports/jobs/{job.pk}/download/").status_code == 404


def test_a_leader_who_left_the_team_loses_the_report(login, carol, north, north_clients):
    _post(login(carol), north, "team")
    job = ReportJob.objects.get()
    carol.memberships.all().delete()

    assert login(carol).get(f"/reports/jobs/{job.pk}/download/").status_code == 404


def test_the_file_is_not_under_a_public_url(settings, carol, north, north_clients, login):
    _post(login(carol), north, "team")
    job = ReportJob.objects.get()

    assert (settings.MEDIA_ROOT / job.file).is_file()
    assert login(carol).get(f"/media/{job.file}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_task(org, north, alice, bob, carol):
    """Production: the database backend queues the task and `db_worker` runs it."""
    build_north(org, north, alice, bob)
    job = ReportJob.objects.create(
        requested_by=carol, team=north, kind="team", period_start=START, period_end=END
    )
    backend = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=backend):
        result = tasks.build_report.enqueue(str(job.pk))
        job.refresh_from_db()
        assert job.state == "queued"  # nothing runs until the worker does
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        result.refresh()
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert result.status == "SUCCESSFUL"
