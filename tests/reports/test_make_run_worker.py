"""`make run` (SQLite, the embedded default) makes team reports the way production does: outside
the request, in the task worker it starts beside the server, so the page shows the progress bar
at once instead of holding the browser for the whole report (issue 13)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from clients.models import ReportJob

from .team_fixtures import END, START, build_north

ROOT = Path(__file__).resolve().parents[2]
WORKER_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_recipe() -> str:
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^run:.*?\n((?:\t.*\n)+)", makefile, re.M)
    assert match, "the Makefile has no run target"
    return match.group(1)


def test_make_run_starts_the_task_worker_beside_the_server():
    recipe = _run_recipe()

    assert "TASKS_IN_WORKER=1" in recipe
    worker, server = recipe.index("db_worker"), recipe.index("runserver")
    assert worker < server
    assert re.search(r"db_worker[^\n]*&", recipe), "the worker runs in the background"
    assert "trap" in recipe, "the worker stops with the server"


def test_the_settings_of_make_run_queue_tasks_for_the_worker():
    env = {**os.environ, "DEBUG": "1", "TASKS_IN_WORKER": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "kor.settings"
    code = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); {code}",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "django_tasks_db.DatabaseBackend"


@pytest.mark.django_db(transaction=True)
def test_asking_for_the_combined_pdf_returns_at_once_with_the_progress_page(
    login, org, north, alice, bob, carol
):
    build_north(org, north, alice, bob)
    browser = login(carol)
    browser.cookies["django_language"] = "en"
    form = {
        "team": north.pk,
        "period_start": START.isoformat(),
        "period_end": END.isoformat(),
        "kind": "clients_pdf",
        "language": "en",
    }
    browser.get("/reports/team/")  # the first request imports the app (seconds, cold): not timed
    with override_settings(TASKS=WORKER_BACKEND):
        began = time.monotonic()
        response = browser.post("/reports/team/", form, follow=True)
        took = time.monotonic() - began

        job = ReportJob.objects.get()
        assert job.state == "queued"  # not made inside the request
        assert took < 2, f"the request took {took:.1f} s"
        page = response.content.decode()
        assert "<progress" in page and "Waiting to start" in page
        assert 'hx-trigger="every 1s"' in page  # and it keeps asking

        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert job.state == "done", job.error
    assert "The report is ready." in browser.get(f"/reports/jobs/{job.pk}/").content.decode()
