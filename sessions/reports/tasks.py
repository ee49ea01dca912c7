"""Reports built in the background with Django's tasks framework.

The view creates a ReportJob and enqueues `build_report(job_id)`. In production the database
backend's worker (`python manage.py db_worker`) runs it; in development and tests the immediate
backend runs it at once. The task writes its progress to the job row, which the page polls.
What the file may show is decided here, with the requester's own access
(`Episode.objects.visible_to`), when the task runs, not when it was asked for.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from clients.models import Episode, ReportJob
from kor.access import teams_led_by

from . import pdf
from .data import client_report_data, episodes_in_period, team_report_data

logger = logging.getLogger(__name__)

REPORTS_DIR = "reports"

# A combined PDF keeps every client's laid-out pages in memory until it is written (about 3 MB a
# client), so it is offered up to this many clients; a zip of one PDF per client has no limit.
COMBINED_MAX_CLIENTS = 150


def report_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / REPORTS_DIR / name


@task()
def build_report(job_id: str) -> str:
    """Build the job's file; returns its path relative to MEDIA_ROOT."""
    job = ReportJob.objects.select_related("team__organisation", "requested_by").get(pk=job_id)
    ReportJob.objects.filter(pk=job.pk).update(state=ReportJob.State.RUNNING)
    try:
        name = _build(job)
    except Exception as error:
        logger.exception("report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            state=ReportJob.State.FAILED,
            error=f"{type(error).__name__}: {error}"[:300],
            finished_at=timezone.now(),
        )
        raise
    ReportJob.objects.filter(pk=job.pk).update(
        state=ReportJob.State.DONE, done=F("total"), file=name, finished_at=timezone.now()
    )
    return name


def _build(job: ReportJob) -> str:
    user = job.requested_by
    if not teams_led_by(user).filter(pk=job.team_id).exists():
        raise PermissionError("the requester no longer leads this team")
    visible = Episode.objects.visible_to(user)
    printed_by = str(user)
    if job.kind == ReportJob.Kind.TEAM:
        return _team(job, visible, printed_by)
    return _clients(job, visible, printed_by)


def _progress(job: ReportJob, done: int, total: int | None = None) -> None:
    fields = {"done": done} if total is None else {"done": done, "total": total}
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def _team(job: ReportJob, visible, printed_by: str) -> str:
    _progress(job, 0, 2)
    data = team_report_data(
        job.team,
        job.period_start,
        job.period_end,
        episodes=visible,
        hide_helpers=job.hide_helpers,
    )
    ReportJob.objects.filter(pk=job.pk).update(
        done=1, client_ids=sorted({e.client_id for e in data.off_track})
    )
    content = pdf.team_report_pdf(data, printed_by=printed_by, lang=job.language)
    return _save(job, content, "pdf")


def latest_episodes_in_period(job: ReportJob, visible) -> list[Episode]:
    """Per client of the team, the latest episode open at some time in the period."""
    episodes = (
        episodes_in_period(visible.in_teams([job.team_id]), job.period_start, job.period_end)
        .select_related("client__organisation", "client__team", "client__responsible_helper")
        .order_by("client__case_code", "-started_on", "-pk")
    )
    latest: dict[int, Episode] = {}
    for episode in episodes:
        latest.setdefault(episode.client_id, episode)
    return list(latest.values())


def _clients(job: ReportJob, visible, printed_by: str) -> str:
    episodes = latest_episodes_in_period(job, visible)
    combined = job.kind == ReportJob.Kind.CLIENTS_PDF
    total = len(episodes) + (1 if combined else 0)
    ReportJob.objects.filter(pk=job.pk).update(
        total=total, done=0, client_ids=[e.client_id for e in episodes]
    )
    if not episodes:
        raise ValueError(_("No clients of the team had an episode in the period."))
    if combined and len(episodes) > COMBINED_MAX_CLIENTS:
        raise ValueError(too_many_for_one_pdf(len(episodes)))
    documents = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for k, episode in enumerate(episodes, 1):
            data = client_report_data(episode.client, episode)
            document = pdf.client_report_document(data, printed_by=printed_by, lang=job.language)
            if combined:
                documents.append(document)
            else:
                archive.writestr(f"{episode.client.case_code}.pdf", pdf.write_pdf(document))
            _progress(job, k)
    if not combined:
        return _save(job, buffer.getvalue(), "zip")
    with override(job.language):
        title = _("Progress reports, team %(team)s") % {"team": job.team.name}
    content = pdf.write_pdf(pdf.combine(documents, title=title, lang=job.language))
    return _save(job, content, "pdf")


def too_many_for_one_pdf(count: int) -> str:
    return _(
        "%(count)s clients are too many for one PDF (at most %(max)s): "
        "choose one PDF per client (zip)."
    ) % {"count": count, "max": COMBINED_MAX_CLIENTS}


def clients_in_period(user, team, start, end) -> int:
    """How many clients of the team the user may see had an episode in the period."""
    visible = Episode.objects.visible_to(user).in_teams([team.pk])
    episodes = episodes_in_period(visible, start, end)
    return episodes.values("client_id").distinct().count()


def _save(job: ReportJob, content: bytes, extension: str) -> str:
    name = f"{REPORTS_DIR}/{job.pk}.{extension}"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return name
