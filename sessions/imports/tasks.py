"""Imports in the background, with Django's tasks framework (as sessions.reports.tasks).

The upload creates an ImportJob holding the file and enqueues `check_import`: it reads the file
and makes the preview (counts and problems), writing its progress to the job, which the page
polls. When the person chooses to import the valid rows, `run_import` reads and checks the file
again (the stored data may have changed since the preview) and stores them. The person's own
access decides, when each task runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db.models import F
from django.tasks import task
from django.utils import timezone

from sessions.imports.models import PROBLEMS_SHOWN, ImportJob
from sessions.imports.plan import ImportPlan
from sessions.imports.problems import Problem
from sessions.imports.readers import read_file
from sessions.imports.service import apply_import, plan_import

logger = logging.getLogger(__name__)


def _progress(job_id) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(done=done, total=total)

    return report


def _plan(job: ImportJob) -> tuple[ImportPlan, list[Problem]]:
    parsed = read_file(job.filename, bytes(job.content))
    ImportJob.objects.filter(pk=job.pk).update(done=0, total=max(parsed.lines, 1))
    plan = plan_import(
        job.organisation,
        parsed.rows,
        job.requested_by,
        lines=parsed.lines,
        progress=_progress(job.pk),
        audit_path=f"import:{job.pk}",
    )
    problems = sorted(parsed.problems + plan.problems, key=lambda p: p.line)
    return plan, problems


def _failed(job_id, error: Exception) -> None:
    logger.exception("import job %s failed", job_id)
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportJob.State.FAILED,
        error=f"{type(error).__name__}: {error}"[:300],
        content=b"",
        finished_at=timezone.now(),
    )


def _load(job_id: str) -> ImportJob:
    return ImportJob.objects.select_related("organisation", "requested_by").get(pk=job_id)


@task()
def check_import(job_id: str) -> None:
    """The preview: read and check the file; nothing is stored."""
    job = _load(job_id)
    try:
        plan, problems = _plan(job)
    except Exception as error:
        _failed(job.pk, error)
        raise
    summary = plan.summary() | {"problem_lines": len({p.line for p in problems if p.line})}
    ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.CHECKING).update(
        state=ImportJob.State.PREVIEW,
        summary=summary,
        problems=[p.to_dict() for p in problems[:PROBLEMS_SHOWN]],
        problem_count=len(problems),
        done=F("total"),
    )


@task()
def run_import(job_id: str) -> None:
    """Store the valid rows (checked again now), then drop the file's content."""
    job = _load(job_id)
    try:
        plan, problems = _plan(job)
        ImportJob.objects.filter(pk=job.pk).update(done=0, total=6)
        result = apply_import(
            plan, only_valid=True, progress=_progress(job.pk), detail={"job": str(job.pk)}
        )
    except Exception as error:
        _failed(job.pk, error)
        raise
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.DONE,
        result=result.to_dict() | {"problems": len({p.line for p in problems if p.line})},
        problems=[p.to_dict() for p in problems[:PROBLEMS_SHOWN]],
        problem_count=len(problems),
        content=b"",
        done=F("total"),
        finished_at=timezone.now(),
    )
