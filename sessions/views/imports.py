"""Import of forms from a CSV or Excel file: upload, preview (in the background, with a progress
bar), then import the valid rows or nothing.

For team leaders and organisation administrators (kor.access.may_import); anyone else gets a
404. The pages show counts and the problems of the file's own rows, never stored data, so an
organisation administrator can import without reading clinical data (kor.access).
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kor.access import import_teams, may_import
from sessions.imports.forms import ImportUploadForm
from sessions.imports.models import ImportJob
from sessions.imports.problems import Problem
from sessions.imports.tasks import check_import, run_import

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "imports" / "samples"
SAMPLES = {
    "template.csv": "text/csv; charset=utf-8",
    "template.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "asist_sample.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _importer(request: HttpRequest) -> None:
    if not may_import(request.user):
        raise Http404


def get_import_for_user(request: HttpRequest, job_id: uuid.UUID) -> ImportJob:
    """Only the person who started an import sees it, while they may import."""
    return get_object_or_404(ImportJob.objects.visible_to(request.user), pk=job_id)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            organisation_id=request.user.organisation_id,
            requested_by=request.user,
            filename=Path(upload.name).name[:200],
            content=upload.read(),
        )
        result = check_import.enqueue(str(job.pk))
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
        return redirect("import_job", job_id=job.pk)
    jobs = ImportJob.objects.visible_to(request.user).defer("content", "problems")[:10]
    teams = import_teams(request.user)
    return render(request, "imports/upload.html", {"form": form, "jobs": jobs, "teams": teams})


@login_required
@require_GET
def import_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_import_for_user(request, job_id)
    problems = [Problem.from_dict(p) for p in job.problems]
    template = "imports/job.html"
    if request.htmx:
        template += "#import-state"
    return render(request, template, {"job": job, "problems": problems})


@login_required
@require_POST
def import_apply(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Import the valid rows. A second click (or two tabs) starts one import: only the job
    still waiting in its preview moves on."""
    job = get_import_for_user(request, job_id)
    started = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PREVIEW).update(
        state=ImportJob.State.IMPORTING, done=0, total=6
    )
    if started:
        result = run_import.enqueue(str(job.pk))
        ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    return redirect("import_job", job_id=job.pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Import nothing: the file's content is dropped, the preview's problem list kept."""
    job = get_import_for_user(request, job_id)
    ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PREVIEW).update(
        state=ImportJob.State.CANCELLED, content=b"", finished_at=timezone.now()
    )
    return redirect("import_job", job_id=job.pk)


@login_required
@require_GET
def import_sample(request: HttpRequest, name: str) -> HttpResponse:
    _importer(request)
    if name not in SAMPLES:
        raise Http404
    return FileResponse(
        (SAMPLES_DIR / name).open("rb"),
        as_attachment=True,
        filename=name,
        content_type=SAMPLES[name],
    )
