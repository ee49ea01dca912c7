"""The norms jobs, run with Django's tasks framework like the reports (sessions.reports.tasks):
the view creates a NormsJob and enqueues `run_norms_job(job_id)`; the task writes its progress
to the job row, which the page polls. Whether the requester may still do it is checked when the
task runs, not only when it was asked for.
"""

from __future__ import annotations

import logging

from django.db.models import F
from django.tasks import task
from django.utils import timezone
from django.utils.translation import override

from kor.models import NormsJob
from kor.outcomes import NormsError

from .data import fit_and_store, may_manage_norms, recompute_open

logger = logging.getLogger(__name__)


@task()
def run_norms_job(job_id: str) -> str:
    job = NormsJob.objects.select_related("organisation", "requested_by").get(pk=job_id)
    NormsJob.objects.filter(pk=job.pk).update(state=NormsJob.State.RUNNING)
    try:
        _run(job)
    except NormsError as error:  # too few closed episodes: said plainly, in the user's language
        _fail(job, error.message(job.language))
        return NormsJob.State.FAILED
    except Exception as error:
        logger.exception("norms job %s failed", job.pk)
        _fail(job, f"{type(error).__name__}: {error}")
        raise
    NormsJob.objects.filter(pk=job.pk).update(
        state=NormsJob.State.DONE, done=F("total"), finished_at=timezone.now()
    )
    return NormsJob.State.DONE


def _fail(job: NormsJob, message: str) -> None:
    NormsJob.objects.filter(pk=job.pk).update(
        state=NormsJob.State.FAILED, error=message[:500], finished_at=timezone.now()
    )


def _run(job: NormsJob) -> None:
    user = job.requested_by
    if user.organisation_id != job.organisation_id or not may_manage_norms(user):
        raise PermissionError("the requester may no longer manage the organisation's norms")

    def progress(done: int, total: int) -> None:
        NormsJob.objects.filter(pk=job.pk).update(done=done, total=total)

    with override(job.language):
        if job.kind == NormsJob.Kind.FIT:
            model, _ = fit_and_store(job.organisation, user=user, name=job.name, progress=progress)
            NormsJob.objects.filter(pk=job.pk).update(model=model)
        else:
            result = recompute_open(job.organisation, user=user, progress=progress)
            NormsJob.objects.filter(pk=job.pk).update(result=result)
