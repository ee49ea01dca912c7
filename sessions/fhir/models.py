"""The bulk export job of the FHIR API (its migration is the sessions app's: app label
therapy_sessions, registered through sessions.models)."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from kor.jobs import JobProgress, JobState


class FhirExportJob(JobProgress, models.Model):
    """A bulk export of an organisation's data as NDJSON (FHIR Bulk Data style), started with an
    API token and built in the background (sessions.fhir.jobs). Its files lie under
    MEDIA_ROOT/fhir-exports/<id>/ and are served only to a usable token of the organisation."""

    State = JobState

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("kor.Organisation", on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(
        "kor.ApiToken", on_delete=models.SET_NULL, null=True, related_name="exports"
    )
    request_url = models.CharField(max_length=500, blank=True)
    types = models.JSONField(default=list, blank=True)  # empty: every type
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    files = models.JSONField(default=dict, blank=True)  # resource type -> number of lines
    # The clients whose data the files hold, for the audit trail when they are downloaded.
    client_ids = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("FHIR export")
        verbose_name_plural = _("FHIR exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.created_at:%Y-%m-%d %H:%M} ({self.state})"
