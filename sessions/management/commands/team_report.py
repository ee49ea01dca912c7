"""`python manage.py team_report TEAM --from DATE --to DATE -o FILE.pdf`: a team's report."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.models import Client
from kor.audit import record_many
from kor.models import AuditEvent, Team
from sessions.reports.data import team_report_data
from sessions.reports.pdf import LANGUAGES, team_report_pdf


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Write a team's report for a period as PDF: outcome statistics and clients off track."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("team", help="The team's name (or id).")
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")
        parser.add_argument("--org", help="Organisation short name, where team names repeat.")
        parser.add_argument("--lang", choices=LANGUAGES, default="nb")
        parser.add_argument(
            "--hide-helpers", action="store_true", help="Number the helpers instead of naming them."
        )
        parser.add_argument(
            "--printed-by", default="manage.py team_report", help="Shown in the footer."
        )

    def handle(self, *args, team: str, start: str, end: str, output: str, **options) -> None:
        begin, finish = _date(start), _date(end)
        if finish < begin:
            raise CommandError("--to is before --from.")
        teams = Team.objects.select_related("organisation")
        if options["org"]:
            teams = teams.filter(organisation__slug=options["org"])
        found = list(teams.filter(name=team)[:2]) or (
            list(teams.filter(pk=team)[:1]) if team.isdigit() else []
        )
        if not found:
            raise CommandError(f"No team {team!r}.")
        if len(found) > 1:
            raise CommandError(f"Several teams are called {team!r}: give --org.")
        chosen = found[0]
        data = team_report_data(chosen, begin, finish, hide_helpers=options["hide_helpers"])
        content = team_report_pdf(data, printed_by=options["printed_by"], lang=options["lang"])
        Path(output).write_bytes(content)
        # The team, and every client the report names (stand-ins that carry only the id).
        record_many(
            AuditEvent.Action.PRINT,
            [chosen, *(Client(pk=e.client_id) for e in data.off_track)],
            organisation_id=chosen.organisation_id,
            path="manage.py team_report",
            **{"report": "team", "from": start, "to": end},
        )
        self.stdout.write(f"Wrote {output} ({len(content) // 1024} kB)")
