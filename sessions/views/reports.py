"""Reports: a client's progress report as PDF, and a team's reports built in the background."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from clients.models import Client, Episode, ReportJob
from kor.access import teams_led_by
from kor.audit import audit, audit_many
from sessions.reports.data import client_report_data
from sessions.reports.forms import TeamReportForm
from sessions.reports.pdf import client_report_pdf, report_language
from sessions.reports.tasks import (
    COMBINED_MAX_CLIENTS,
    build_report,
    clients_in_period,
    report_path,
    too_many_for_one_pdf,
)


def _no_store(response: HttpResponse) -> HttpResponse:
    # Health data: no copy in a browser's or a proxy's cache.
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def client_report(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(
        Client.objects.visible_to(request.user).select_related("team", "responsible_helper"),
        pk=client_id,
    )
    episode = None
    if request.GET.get("episode"):
        try:
            episode = client.episodes.get(pk=request.GET["episode"])
        except (Episode.DoesNotExist, ValueError):
            raise Http404 from None
    lang = report_language(request.GET.get("lang") or get_language())
    data = client_report_data(client, episode)
    content = client_report_pdf(data, printed_by=str(request.user), lang=lang)
    audit(request, "print", data.episode or client, client_id=client.pk, report="client", lang=lang)
    filename = f"{client.case_code}-{timezone.localdate():%Y-%m-%d}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return _no_store(response)


def get_job_for_user(request: HttpRequest, job_id: uuid.UUID) -> ReportJob:
    """Only the person who asked for a report sees it, and only while they lead the team."""
    return get_object_or_404(
        ReportJob.objects.visible_to(request.user).select_related("team"), pk=job_id
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_reports(request: HttpRequest) -> HttpResponse:
    teams = teams_led_by(request.user)
    form = TeamReportForm(request.POST or None, teams=teams, language=get_language() or "nb")
    if request.method == "POST" and form.is_valid() and _fits(request, form):
        job = ReportJob.objects.create(
            requested_by=request.user,
            team=form.cleaned_data["team"],
            kind=form.cleaned_data["kind"],
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
            hide_helpers=form.cleaned_data["hide_helpers"],
            language=form.cleaned_data["language"],
        )
        result = build_report.enqueue(str(job.pk))
        ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
        return redirect("report_job", job_id=job.pk)
    jobs = ReportJob.objects.visible_to(request.user).select_related("team")[:10]
    return render(
        request,
        "reports/team_reports.html",
        {"form": form, "jobs": jobs, "leads_teams": teams.exists()},
    )


def _fits(request: HttpRequest, form: TeamReportForm) -> bool:
    """A combined PDF is refused up front when it would hold too many clients."""
    data = form.cleaned_data
    if data["kind"] != ReportJob.Kind.CLIENTS_PDF:
        return True
    count = clients_in_period(request.user, data["team"], data["period_start"], data["period_end"])
    if count > COMBINED_MAX_CLIENTS:
        form.add_error("kind", too_many_for_one_pdf(count))
        return False
    return True


@login_required
@require_GET
def report_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(request, job_id)
    template = "reports/job.html"
    if request.htmx:
        template += "#job-progress"
    return render(request, template, {"job": job})


@login_required
@require_GET
@never_cache
def report_download(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(request, job_id)
    if job.state != ReportJob.State.DONE or not job.file:
        raise Http404
    path = report_path(job.file.removeprefix("reports/"))
    if not path.is_file():
        raise Http404
    _audit_print(request, job)
    content_type = "application/zip" if path.suffix == ".zip" else "application/pdf"
    filename = f"{job.team.name}-{job.period_start:%Y%m%d}-{job.period_end:%Y%m%d}{path.suffix}"
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    return _no_store(response)


def _audit_print(request: HttpRequest, job: ReportJob) -> None:
    """One row for the report, and one for every client whose data it shows, so that a client's
    audit trail lists the team report too."""
    detail = {"report": job.kind, "job": str(job.pk), "team": job.team_id}
    audit(request, "print", job, **detail)
    # Stand-ins that carry only the id: nothing is loaded, and a client erased since the
    # report was built still gets the row.
    audit_many(request, "print", [Client(pk=client_id) for client_id in job.client_ids], **detail)
