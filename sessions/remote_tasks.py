"""The reminders as a task for the task worker (`manage.py db_worker`): each run schedules the
next one, so `manage.py send_reminders --schedule` once starts a loop the worker keeps going."""

from __future__ import annotations

import datetime

from django.tasks import default_task_backend, task
from django.utils import timezone

from sessions.remote import send_reminders

EVERY = datetime.timedelta(minutes=15)


@task()
def reminders_task() -> list[int]:
    reminded, expired = send_reminders()
    schedule_next()
    return [reminded, expired]


def schedule_next() -> bool:
    """Queue the next run EVERY from now; False where the backend cannot defer (immediate)."""
    if not default_task_backend.supports_defer:
        return False
    reminders_task.using(run_after=timezone.now() + EVERY).enqueue()
    return True
