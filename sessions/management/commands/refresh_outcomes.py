"""`python manage.py refresh_outcomes`: recompute the cached outcome of every open episode.

The status, flags and reasons cached on Episode and Rater (for the dashboard) are written by
`refresh_episode` on every save. When the rule or its texts change (as when the reasons began to
name the meeting the user sees, not the count of ratings), existing rows keep the old texts
until their next save: run this once after deploying such a change. Idempotent; each episode in
a transaction of its own, so it can run while people work. `--all` takes closed episodes too.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from clients.models import Episode
from kor.audit import record
from kor.models import AuditEvent
from sessions.outcome import refresh_episode


class Command(BaseCommand):
    help = "Recompute the cached status, flags and reasons of every open episode."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="Closed episodes as well.")

    def handle(self, *args, **options) -> None:
        closed_too: bool = options["all"]
        episodes = Episode.objects.select_related(
            "client__organisation__trajectory_model"
        ).order_by("pk")
        if not closed_too:
            episodes = episodes.filter(ended_on__isnull=True)
        count = 0
        per_organisation: dict[int, int] = {}
        for episode in episodes.iterator(chunk_size=200):
            refresh_episode(episode)
            count += 1
            org = episode.client.organisation_id
            per_organisation[org] = per_organisation.get(org, 0) + 1
        # One row per organisation: the command read and rewrote derived data of its clients.
        for org, n in per_organisation.items():
            record(
                AuditEvent.Action.UPDATE,
                organisation_id=org,
                path="manage.py refresh_outcomes",
                refreshed="clients.episode",
                episodes=n,
                closed_too=closed_too,
            )
        self.stdout.write(f"Refreshed {count} episodes.")
