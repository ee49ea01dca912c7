"""Bulk Data export, in the style of FHIR Bulk Data Access (async request pattern):

    GET|POST /fhir/$export                 202 Accepted, Content-Location: the status URL
    GET /fhir/$export-status/<job>         202 with X-Progress while running; 200 and the
                                           manifest (files, counts) when done
    GET /fhir/$export-file/<job>/<Type>    the NDJSON file (application/fhir+ndjson)

Every call needs a usable token of the job's organisation; a job of another organisation is a
404. Each file download writes an audit row for every client in the export.
"""

from __future__ import annotations

import json
import uuid

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from sessions.fhir import codes
from sessions.fhir.auth import api_view, outcome
from sessions.fhir.jobs import TYPES, build_export, file_path
from sessions.fhir.views import audit_reads
from sessions.models import FhirExportJob


def _job(request: HttpRequest, job_id: uuid.UUID) -> FhirExportJob | None:
    return FhirExportJob.objects.filter(
        pk=job_id, organisation_id=request.api_token.organisation_id
    ).first()


@api_view("GET", "POST")
def kick_off(request: HttpRequest) -> HttpResponse:
    wanted = [t for t in request.GET.get("_type", "").split(",") if t]
    if unknown := [t for t in wanted if t not in TYPES]:
        return outcome(400, "not-supported", f"_type: {', '.join(unknown)} is not exported.")
    token = request.api_token
    job = FhirExportJob.objects.create(
        organisation_id=token.organisation_id,
        token=token,
        types=wanted,
        request_url=request.build_absolute_uri()[:500],
    )
    result = build_export.enqueue(str(job.pk))
    FhirExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    status_url = request.build_absolute_uri(reverse("fhir_export_status", args=[job.pk]))
    response = HttpResponse(status=202)
    response["Content-Location"] = status_url
    add_never_cache_headers(response)
    return response


@api_view("GET")
def export_status(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = _job(request, job_id)
    if job is None:
        return outcome(404, "not-found", "No such export.")
    if job.state == FhirExportJob.State.FAILED:
        return outcome(500, "exception", "The export failed.")
    if not job.is_finished:
        response = HttpResponse(status=202)
        response["X-Progress"] = f"{job.done} of {job.total} clients ({job.percent} %)"
        response["Retry-After"] = "5"
        add_never_cache_headers(response)
        return response
    manifest = {
        "transactionTime": job.finished_at.isoformat(),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {
                "type": kind,
                "url": request.build_absolute_uri(reverse("fhir_export_file", args=[job.pk, kind])),
                "count": count,
            }
            for kind, count in job.files.items()
        ],
        "error": [],
    }
    # The manifest is plain JSON defined by the Bulk Data spec, not a FHIR resource.
    response = HttpResponse(json.dumps(manifest), content_type="application/json")
    add_never_cache_headers(response)
    return response


@api_view("GET")
def export_file(request: HttpRequest, job_id: uuid.UUID, resource_type: str) -> HttpResponse:
    job = _job(request, job_id)
    if job is None or job.state != FhirExportJob.State.DONE or resource_type not in job.files:
        return outcome(404, "not-found", "No such file.")
    path = file_path(job.pk, resource_type)
    if not path.is_file():
        return outcome(404, "not-found", "The file is gone.")
    audit_reads(request, job.client_ids, f"$export {resource_type}")
    response = FileResponse(path.open("rb"), content_type=codes.NDJSON)
    add_never_cache_headers(response)
    return response
