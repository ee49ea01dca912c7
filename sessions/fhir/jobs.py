"""The bulk export, built in the background (Django tasks, like sessions.reports.tasks).

One NDJSON file per resource type (a resource a line) under MEDIA_ROOT/fhir-exports/<job id>/.
What the files hold is decided when the task runs, with the token's access at that moment: a
token revoked or expired since the kick-off gets nothing.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from clients.models import Client
from sessions.fhir.bundles import client_resources
from sessions.models import FhirExportJob

logger = logging.getLogger(__name__)

EXPORT_DIR = "fhir-exports"
TYPES = (
    "Patient",
    "RelatedPerson",
    "EpisodeOfCare",
    "Encounter",
    "QuestionnaireResponse",
    "Observation",
)


def export_dir(job_id) -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORT_DIR / str(job_id)


def file_path(job_id, resource_type: str) -> Path:
    return export_dir(job_id) / f"{resource_type}.ndjson"


@task()
def build_export(job_id: str) -> int:
    job = FhirExportJob.objects.select_related("token").get(pk=job_id)
    FhirExportJob.objects.filter(pk=job.pk).update(state=FhirExportJob.State.RUNNING)
    try:
        lines = _build(job)
    except Exception as error:
        logger.exception("FHIR export %s failed", job.pk)
        shutil.rmtree(export_dir(job.pk), ignore_errors=True)
        FhirExportJob.objects.filter(pk=job.pk).update(
            state=FhirExportJob.State.FAILED,
            error=f"{type(error).__name__}: {error}"[:300],
            finished_at=timezone.now(),
        )
        raise
    return lines


def _build(job: FhirExportJob) -> int:
    clients = (
        Client.objects.readable_by_token(job.token).select_related("organisation").order_by("pk")
    )
    if job.token is None or not job.token.is_usable:
        raise PermissionError("the token was revoked or has expired")
    ids = list(clients.values_list("pk", flat=True))
    FhirExportJob.objects.filter(pk=job.pk).update(total=len(ids), done=0, client_ids=ids)
    wanted = set(job.types or TYPES)
    folder = export_dir(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys(sorted(wanted), 0)
    handles = {t: file_path(job.pk, t).open("w", encoding="utf-8") for t in counts}
    try:
        for k, client in enumerate(clients.iterator(chunk_size=200), 1):
            for resource in client_resources(client):
                kind = resource.get_resource_type()
                if kind in handles:
                    handles[kind].write(resource.model_dump_json() + "\n")
                    counts[kind] += 1
            if k % 10 == 0 or k == len(ids):
                FhirExportJob.objects.filter(pk=job.pk).update(done=k)
    finally:
        for handle in handles.values():
            handle.close()
    FhirExportJob.objects.filter(pk=job.pk).update(
        state=FhirExportJob.State.DONE,
        done=len(ids),
        files=counts,
        finished_at=timezone.now(),
    )
    return sum(counts.values())
