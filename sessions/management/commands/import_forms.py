"""`python manage.py import_forms FILE --organisation SLUG --user USERNAME [--dry-run]`.

The same import as the upload page, from the shell: the file is read and checked, the preview's
counts and every problem are printed; then the valid rows are stored (or, with --dry-run,
nothing). With --all-or-nothing a file with any problem stores nothing. The user is the one
the forms are entered by and whose access decides (a team leader or organisation administrator).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kor.models import Organisation, User
from sessions.imports.readers import read_file
from sessions.imports.service import apply_import, plan_import


class Command(BaseCommand):
    help = "Import forms from a CSV or Excel (.xlsx) file: preview, problems, then store."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--user", required=True, help="Username of the importing leader.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; store nothing.")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="Store nothing if any row has a problem."
        )

    def handle(self, *args, file: str, organisation: str, user: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            org = Organisation.objects.get(slug=organisation)
            person = User.objects.get(username=user, organisation=org)
        except (Organisation.DoesNotExist, User.DoesNotExist):
            raise CommandError("unknown organisation, or no such user in it") from None
        parsed = read_file(path.name, path.read_bytes())
        try:
            plan = plan_import(org, parsed.rows, person, lines=parsed.lines, audit_path="command")
        except PermissionError as error:
            raise CommandError(str(error)) from None
        problems = sorted(parsed.problems + plan.problems, key=lambda p: p.line)
        for name, value in plan.summary().items():
            if name == "problem_lines":
                value = len({p.line for p in problems if p.line})
            self.stdout.write(f"{name}: {value}")
        for problem in problems:
            self.stdout.write(f"line {problem.line}: {problem.message}")
        if options["dry_run"]:
            self.stdout.write("dry run: nothing stored")
            return
        if options["all_or_nothing"] and problems:
            raise CommandError("the file has problems: nothing stored")
        result = apply_import(plan)
        self.stdout.write(
            f"stored: {result.forms} forms, {result.clients} clients, "
            f"{result.episodes} episodes, {result.meetings} meetings"
        )
