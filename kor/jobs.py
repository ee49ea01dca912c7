"""What every background job with a progress bar shares (team reports, norms fits, FHIR exports)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    """Where a queued job is: the states of every JobProgress model (`State = JobState`)."""

    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class JobProgress:
    """For a model with `state` (State.DONE and State.FAILED among its choices), `done` and
    `total`: whether it has finished, and how far it got for the progress bar."""

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
