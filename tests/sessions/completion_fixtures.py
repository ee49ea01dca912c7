"""A team North with known meetings and forms, for the completion figures (counted by hand in
tests/sessions/test_completion.py)."""

from __future__ import annotations

import datetime

from clients.models import Episode
from sessions.models import FormResponse
from tests.conftest import add_meetings, make_client

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 12, 31)


def _close(client, day=datetime.date(2026, 6, 1), reason="planned"):
    Episode.objects.filter(client=client).update(ended_on=day, end_reason=reason)


def build_team(org, north, alice, bob):
    """alice: A (4 meetings, no SRS in the 4th, closed), B (ORS declined in meeting 1:
    "too distressed"), E (one meeting, both forms). bob: C (ORS in meeting 1 only, the 2nd
    not offered, no SRS, closed), D (no meeting). G: alice's, all in 2025 (outside)."""
    a = make_client(org, north, alice, "N-A")
    add_meetings(a.episodes.get(), ors=[10.0, 12.0, 14.0, 16.0], srs=[36.0, 37.0, 38.0])
    _close(a)
    b = make_client(org, north, alice, "N-B")
    add_meetings(b.episodes.get(), ors=[None, 20.0, 21.0], srs=[36.0, 36.0, 36.0])
    FormResponse.objects.filter(meeting__episode__client=b, status="declined").update(
        declined_reason_code="too_distressed"
    )
    e = make_client(org, north, alice, "N-E")
    add_meetings(e.episodes.get(), ors=[20.0], srs=[38.0])
    c = make_client(org, north, bob, "N-C")
    add_meetings(c.episodes.get(), ors=[15.0, None])
    FormResponse.objects.filter(meeting__episode__client=c, status="declined").update(
        status="not_offered"
    )
    _close(c)
    make_client(org, north, bob, "N-D")
    g = make_client(org, north, alice, "N-G", started=datetime.date(2025, 1, 6))
    add_meetings(g.episodes.get(), ors=[None, None], srs=[])
    _close(g, datetime.date(2025, 6, 1))
    return {"A": a, "B": b, "C": c, "E": e}
