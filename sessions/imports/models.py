"""An import in the background: the uploaded file, the preview and the result (ImportJob).

Defined here beside the import and registered with the sessions app by `sessions.models`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.querysets import ImportJobQuerySet
from kor.models import Organisation

# The preview lists this many problems; the count says how many there are in all.
PROBLEMS_SHOWN = 1000


class ImportJob(models.Model):
    """One uploaded file: checked in the background (the preview), then imported or dropped.

    The file is kept in the row until the import is done or dropped, then emptied: the
    result and the problem list (line numbers and reasons) stay.
    """

    class State(models.TextChoices):
        CHECKING = "checking", _("checking the file")
        PREVIEW = "preview", _("ready to import")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("imported")
        CANCELLED = "cancelled", _("not imported")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CHECKING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        app_label = "therapy_sessions"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def is_busy(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.IMPORTING)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
