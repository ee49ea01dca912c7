"""`python manage.py client_report CASE_CODE -o FILE.pdf`: one client's progress report.

For an administrator at the server: there is no user to check access against, so the command
reads any client and leaves an audit row that says it was printed from the command line.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.models import Client, Episode
from kor.audit import record
from kor.models import AuditEvent
from sessions.reports.data import client_report_data
from sessions.reports.pdf import LANGUAGES, client_report_pdf


class Command(BaseCommand):
    help = "Write a client's progress report as PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("case_code")
        parser.add_argument("-o", "--output", required=True, help="The PDF file to write.")
        parser.add_argument("--org", help="Organisation short name, where codes repeat.")
        parser.add_argument("--lang", choices=LANGUAGES, default="nb")
        parser.add_argument("--episode", type=int, help="Episode id (default: the latest).")
        parser.add_argument(
            "--printed-by", default="manage.py client_report", help="Shown in the footer."
        )

    def handle(self, *args, case_code: str, output: str, org: str | None, **options) -> None:
        clients = Client.objects.filter(case_code=case_code).select_related(
            "organisation", "team", "responsible_helper"
        )
        if org:
            clients = clients.filter(organisation__slug=org)
        found = list(clients[:2])
        if not found:
            raise CommandError(f"No client with case code {case_code!r}.")
        if len(found) > 1:
            raise CommandError(f"Case code {case_code!r} is used in several organisations: --org.")
        client = found[0]
        episode = None
        if options["episode"]:
            try:
                episode = Episode.objects.get(client=client, pk=options["episode"])
            except Episode.DoesNotExist:
                missing = options["episode"]
                raise CommandError(f"Client {case_code} has no episode {missing}.") from None
        data = client_report_data(client, episode)
        content = client_report_pdf(data, printed_by=options["printed_by"], lang=options["lang"])
        Path(output).write_bytes(content)
        record(
            AuditEvent.Action.PRINT,
            client,
            organisation_id=client.organisation_id,
            path="manage.py client_report",
            report="client",
            lang=options["lang"],
            output=str(output),
        )
        self.stdout.write(f"Wrote {output} ({len(content) // 1024} kB)")
