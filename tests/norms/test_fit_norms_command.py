"""`manage.py fit_norms --organisation SLUG [--dry-run] [--use]`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from kor.models import AuditEvent, TrajectoryModel


def _run(*args) -> str:
    out = io.StringIO()
    call_command("fit_norms", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_calibration_and_stores_nothing(org, closed_north):
    out = _run("--organisation", "nord", "--dry-run")

    assert "Fitted on 240 closed episodes" in out
    assert "Share of ratings below the 25th percentile line" in out
    assert "meeting      n  observed  own  published" in out
    assert "Dry run: nothing stored." in out
    assert not TrajectoryModel.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_stores_the_next_version_not_in_use(org, closed_north):
    _run("--organisation", "nord")
    out = _run("--organisation", "nord", "--name", "Spring")

    assert "Stored Spring, version 2" in out
    assert "Not in use until chosen" in out
    assert list(TrajectoryModel.objects.values_list("version", flat=True)) == [2, 1]
    org.refresh_from_db()
    assert org.trajectory_model is None


def test_use_makes_it_the_model_in_use_and_recomputes(org, closed_north, client_n1):
    out = _run("--organisation", "nord", "--use")

    org.refresh_from_db()
    assert org.trajectory_model == TrajectoryModel.objects.get()
    assert "In use. 1 open episodes recomputed" in out
    assert AuditEvent.objects.filter(detail__norms="use", user=None).exists()


def test_too_few_closed_episodes_is_an_error_that_says_so(org):
    with pytest.raises(CommandError, match="Own norms need at least 200 raters"):
        _run("--organisation", "nord")


def test_an_unknown_organisation_is_an_error(db):
    with pytest.raises(CommandError, match="No organisation with the short name 'nowhere'"):
        _run("--organisation", "nowhere")
