"""A team North with closed and open episodes whose statistics are easy to check by hand."""

from __future__ import annotations

import datetime

from clients.models import Episode
from tests.conftest import add_meetings, make_client

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 12, 31)


def closed(org, team, helper, code, ors, end_reason="mutual", ended=None):
    client = make_client(org, team, helper, code)
    episode = client.episodes.get()
    add_meetings(episode, ors=ors, srs=[37.0] * len(ors))
    Episode.objects.filter(pk=episode.pk).update(
        ended_on=ended or datetime.date(2026, 5, 1), end_reason=end_reason
    )
    return client


def build_north(org, north, alice, bob) -> dict[str, object]:
    """Closed in 2026: A, B (alice), C, D (bob), E (alice); open and off track: F (alice);
    closed in 2025: G (not counted)."""
    clients = {
        "A": closed(org, north, alice, "N-A", [12.0, 15.0, 19.0, 22.0]),  # reliable change
        "B": closed(org, north, alice, "N-B", [20.0, 27.0], "goal_reached"),  # and significant
        "C": closed(org, north, bob, "N-C", [25.0, 18.0], "dropout"),  # deterioration
        "D": closed(org, north, bob, "N-D", [33.0, 35.0]),  # high intake: left out
        "E": closed(org, north, alice, "N-E", [18.0]),  # one rating: left out
    }
    f = make_client(org, north, alice, "N-F")
    add_meetings(f.episodes.get(), ors=[14.2, 16.0, 15.1, 14.8, 15.5, 16.1])
    clients["F"] = f
    g = make_client(org, north, alice, "N-G", started=datetime.date(2025, 1, 6))
    add_meetings(g.episodes.get(), ors=[10.0, 30.0])
    Episode.objects.filter(client=g).update(ended_on=datetime.date(2025, 6, 1), end_reason="mutual")
    clients["G"] = g
    return clients
