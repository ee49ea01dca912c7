"""The organisation administrator's view of the bulk exports: which token started one, how far
it is (a progress bar that htmx refreshes), how many resources it holds. No download here: an
administrator manages people and tokens, not clinical data; the files go to the token."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kor.orgadmin.people import require_org_admin
from sessions.models import FhirExportJob

SHOWN = 20


@login_required
@require_GET
def api_exports(request: HttpRequest) -> HttpResponse:
    require_org_admin(request)
    jobs = list(
        FhirExportJob.objects.filter(organisation_id=request.user.organisation_id)
        .select_related("token")
        .order_by("-created_at")[:SHOWN]
    )
    template = "orgadmin/api_exports.html"
    if request.htmx:
        template += "#export-list"
    running = any(not job.is_finished for job in jobs)
    return render(request, template, {"jobs": jobs, "running": running})
