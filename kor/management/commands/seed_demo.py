"""`python manage.py seed_demo`: a demo organisation with realistic, deterministic data."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kor import demo
from kor.models import Organisation


class Command(BaseCommand):
    help = "Create a demo organisation with teams, helpers, clients, meetings and forms."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=60, help="How many clients (60).")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: same seed, same data."
        )
        parser.add_argument(
            "--helpers",
            type=int,
            default=None,
            help="How many helpers (default: 5, or one per 50 clients).",
        )
        parser.add_argument("--slug", default="demo", help="Short name of the organisation.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has an organisation.",
        )

    def handle(
        self,
        *args,
        clients: int,
        seed: int,
        helpers: int | None,
        slug: str,
        if_empty: bool,
        **options,
    ) -> None:
        if if_empty and Organisation.objects.exists():
            self.stdout.write("The database has data already; no demo data added.")
            return
        if clients < 1:
            raise CommandError("--clients must be at least 1.")
        if Organisation.objects.filter(slug=slug).exists():
            raise CommandError(f"An organisation '{slug}' exists already; choose another --slug.")
        verbose = options["verbosity"] > 1 or clients >= 5000
        result = demo.seed(
            clients=clients,
            seed=seed,
            helpers=helpers,
            slug=slug,
            name="Demo kommune" if slug == "demo" else f"Demo {slug}",
            progress=(lambda line: self.stdout.write(f"  {line}")) if verbose else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {result.organisation.name}: {result.clients} clients, {result.episodes} "
                f"episodes, {result.meetings} meetings, {result.responses} forms "
                f"in {result.seconds:.1f} s."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, role in result.logins:
            self.stdout.write(f"  {username:<10} {role}")
