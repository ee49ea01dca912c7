"""The write services: one transaction for the form, the status and the audit row; numbering
and idempotency under concurrent requests; the plotly bundle is served from here."""

from __future__ import annotations

import datetime
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse

from kor.models import AuditEvent
from sessions.models import FormResponse
from sessions.services import StaleForm, record_form, start_meeting, version_of


@pytest.mark.django_db
def test_it_wants_items_or_declined_not_both(meeting, alice):
    rater = meeting.episode.raters.get()
    with pytest.raises(ValueError):
        record_form(meeting=meeting, rater=rater, instrument="ORS", by=alice)
    with pytest.raises(ValueError):
        record_form(
            meeting=meeting,
            rater=rater,
            instrument="ORS",
            items=[1, 2, 3, 4],
            declined="declined",
            by=alice,
        )


@pytest.mark.django_db
def test_it_saves_the_form_the_status_and_the_audit_together(meeting, alice):
    rater = meeting.episode.raters.get()
    recorded = record_form(
        meeting=meeting, rater=rater, instrument="ORS", items=[50, 50, 50, 50], by=alice
    )
    assert recorded.created and recorded.changed
    meeting.episode.refresh_from_db()
    assert meeting.episode.status == "intake"
    assert AuditEvent.objects.filter(object_id=str(recorded.response.pk), action="create").exists()


# transaction=True: the save is the outermost transaction here, as in a command or a task.
@pytest.mark.django_db(transaction=True)
def test_a_failing_status_refresh_leaves_no_half_save(meeting, alice, monkeypatch):
    import sessions.services

    def broken(episode):
        raise RuntimeError("engine down")

    monkeypatch.setattr(sessions.services, "refresh_episode", broken)
    rater = meeting.episode.raters.get()
    with pytest.raises(RuntimeError):
        record_form(
            meeting=meeting, rater=rater, instrument="ORS", items=[50, 50, 50, 50], by=alice
        )
    assert not FormResponse.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_a_current_one_accepted(meeting, alice, bob):
    rater = meeting.episode.raters.get()
    first = record_form(
        meeting=meeting,
        rater=rater,
        instrument="ORS",
        items=[50, 50, 50, 50],
        by=alice,
        version="new",
    )
    with pytest.raises(StaleForm):
        record_form(
            meeting=meeting,
            rater=rater,
            instrument="ORS",
            items=[10, 10, 10, 10],
            by=bob,
            version="new",
        )
    record_form(
        meeting=meeting,
        rater=rater,
        instrument="ORS",
        items=[10, 10, 10, 10],
        by=bob,
        version=version_of(first.response),
    )
    assert FormResponse.objects.get().total == 40


@pytest.mark.django_db
def test_meetings_are_numbered_one_after_another(client_n1, alice):
    episode = client_n1.episodes.get()
    numbers = [
        start_meeting(
            episode=episode, date=datetime.date(2026, 3, d), format="individual", helper=alice
        ).number
        for d in (1, 8, 15)
    ]
    assert numbers == [1, 2, 3]


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="real row locks need PostgreSQL (SQLite serialises all writes anyway)",
)
@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_at_once_store_one_form(meeting, alice):
    rater = meeting.episode.raters.get()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(items):
        try:
            barrier.wait()
            record_form(
                meeting=meeting, rater=rater, instrument="ORS", items=items, by=alice, version="new"
            )
            outcomes.append("saved")
        except StaleForm:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=([v] * 4,)) for v in (30, 70)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale"]
    assert FormResponse.objects.filter(meeting=meeting).count() == 1
    assert connection.vendor == "postgresql"


def test_plotly_is_served_from_this_app_not_a_cdn():
    bundle = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly" / "plotly-basic.min.js"
    assert bundle.stat().st_size < 1_300_000  # the basic bundle, not the 4.8 MB full one
    assert b"plotly.js (basic - minified) v4" in bundle.read_bytes()[:200]
    assert (bundle.parent / "LICENSE").exists()
    scripts = (
        Path(settings.BASE_DIR) / "templates" / "sessions" / "_chart_scripts.html"
    ).read_text()
    assert "{% static 'vendor/plotly/plotly-basic.min.js' %}" in scripts and "http" not in scripts


@pytest.mark.django_db
def test_the_page_has_no_inline_script(login_en, alice, meeting):
    from tests.conftest import add_meetings

    add_meetings(meeting.episode, ors=[20.0])
    html = login_en(alice).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html and "onclick" not in html
