"""The service's own norms: fit them, read their calibration, choose the model in use.

For the organisation's administrators and team leaders (`may_manage_norms`); anyone else gets a
404, as for an object they may not see. The pages show aggregates only: coefficients, per-meeting
means and shares, counts of statuses; the fit's reads are in each client's audit trail.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.models import Status
from kor.models import NormsJob, Organisation, TrajectoryModel
from sessions.norms import report
from sessions.norms.data import MIN_RATERS, closed_episodes, may_manage_norms, models_of
from sessions.norms.data import choose_model as choose
from sessions.norms.forms import FitForm, UseForm
from sessions.norms.tasks import run_norms_job


def _organisation(request: HttpRequest) -> Organisation:
    """The user's organisation, when they may manage its norms; 404 otherwise."""
    if not may_manage_norms(request.user):
        raise Http404
    return Organisation.objects.select_related("trajectory_model").get(
        pk=request.user.organisation_id
    )


# The same request again within this time is a double submit: it is shown the first one's job.
SAME_REQUEST = datetime.timedelta(seconds=10)


def _start(request: HttpRequest, organisation: Organisation, kind: str, **fields) -> NormsJob:
    same = NormsJob.objects.filter(
        organisation=organisation,
        requested_by=request.user,
        kind=kind,
        created_at__gte=timezone.now() - SAME_REQUEST,
        **fields,
    ).first()
    if same is not None:
        return same
    job = NormsJob.objects.create(
        organisation=organisation,
        requested_by=request.user,
        kind=kind,
        language=(get_language() or "nb")[:5],
        **fields,
    )
    result = run_norms_job.enqueue(str(job.pk))
    NormsJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    return job


@login_required
@require_http_methods(["GET", "POST"])
def norms(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = FitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = _start(request, organisation, NormsJob.Kind.FIT, name=form.cleaned_data["name"])
        return redirect("norms_job", job_id=job.pk)
    closed = closed_episodes(organisation).count()
    jobs = NormsJob.objects.filter(organisation=organisation).select_related("model")[:5]
    return render(
        request,
        "sessions/norms.html",
        {
            "organisation": organisation,
            "in_use": organisation.trajectory_model,
            "models": models_of(organisation),
            "form": form,
            "closed": closed,
            "min_raters": MIN_RATERS,
            "too_few": closed < MIN_RATERS,
            "jobs": jobs,
        },
    )


@login_required
@require_GET
def norms_model(request: HttpRequest, model_id: int) -> HttpResponse:
    organisation = _organisation(request)
    model = get_object_or_404(models_of(organisation), pk=model_id)
    rows = report.calibration_rows(model)
    return render(
        request,
        "sessions/norms_model.html",
        {
            "model": model,
            "in_use": organisation.trajectory_model_id == model.pk,
            "summary": report.summary(model),
            "rows": report.table(rows),
            "chart": report.chart_data(rows),
        },
    )


@login_required
@require_POST
def norms_use(request: HttpRequest) -> HttpResponse:
    """Choose the model in use (empty: the published one) and recompute the open episodes."""
    organisation = _organisation(request)
    form = UseForm(request.POST)
    if not form.is_valid():
        raise Http404
    model: TrajectoryModel | None = None
    if form.cleaned_data["model"]:
        model = get_object_or_404(models_of(organisation), pk=form.cleaned_data["model"])
    if organisation.trajectory_model_id != (model.pk if model else None):
        choose(organisation, model, user=request.user, path=request.path)
    job = _start(request, organisation, NormsJob.Kind.SWITCH, model=model)
    return redirect("norms_job", job_id=job.pk)


@login_required
@require_GET
def norms_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    organisation = _organisation(request)
    job = get_object_or_404(
        NormsJob.objects.filter(organisation=organisation).select_related("model"), pk=job_id
    )
    moves = [
        {"before": Status(a).label, "after": Status(b).label, "count": n, "same": a == b}
        for a, b, n in job.result.get("moves", [])
    ]
    template = "sessions/norms_job.html"
    if request.htmx:
        template += "#job-progress"
    return render(request, template, {"job": job, "moves": moves})
