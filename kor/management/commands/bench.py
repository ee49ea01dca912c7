"""`python manage.py bench NAME`: run a benchmark in a database of its own and print figures.

Each benchmark module has `run(out, options) -> None` and prints lines `name: value unit`.
Web benchmarks also print the floor of the same run (`kor.bench`) and their figures as
multiples of it (`<figure>_x_floor`), so that runs on different machines can be compared.
The benchmark never touches the configured database: it creates `<name>_bench` next to it
(a separate file on SQLite), and drops it afterwards unless --keepdb is given, so a second run
can reuse the seeded data.
"""

from __future__ import annotations

import importlib
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

BENCHMARKS = {
    "session": "sessions.bench",
    "dashboard": "clients.bench",
    "reports": "sessions.reports.bench",
    "norms": "sessions.norms.bench",
    "review": "sessions.review_bench",
    "import": "sessions.imports.bench",
    "fhir": "sessions.fhir.bench",
}


class Command(BaseCommand):
    help = (
        "Run a benchmark (session, dashboard, reports, norms, review, import, fhir, all) "
        "in a database of its own."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", default=["all"], choices=[*BENCHMARKS, "all"])
        parser.add_argument(
            "--clients",
            type=int,
            default=50_000,
            help="Size of the organisation the benchmark seeds.",
        )
        parser.add_argument(
            "--keepdb", action="store_true", help="Keep the benchmark database for the next run."
        )

    def handle(self, *args, names: list[str], keepdb: bool, **options) -> None:
        names = list(BENCHMARKS) if "all" in names else names
        creation = connection.creation
        # Borrow the test-database machinery: it names the database apart from the real one
        # (test_<name>), creates it and runs the migrations there.
        connection.settings_dict["TEST"] = {
            **connection.settings_dict.get("TEST", {}),
            "NAME": _bench_name(connection.settings_dict),
        }
        original = connection.settings_dict["NAME"]
        started = time.perf_counter()
        bench_db = creation.create_test_db(verbosity=0, autoclobber=True, keepdb=keepdb)
        self.stdout.write(
            f"# database: {connection.vendor} {bench_db} "
            f"(ready in {time.perf_counter() - started:.1f} s)"
        )
        try:
            for name in names:
                module = importlib.import_module(BENCHMARKS[name])
                self.stdout.write(f"# bench {name}")
                module.run(self.stdout, {"keepdb": keepdb, **options})
        finally:
            if not keepdb:
                creation.destroy_test_db(original, verbosity=0, keepdb=False)


def _bench_name(settings_dict: dict) -> str:
    name = str(settings_dict["NAME"])
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return name.removesuffix(".sqlite3") + "_bench.sqlite3"
    return f"{name}_bench"
