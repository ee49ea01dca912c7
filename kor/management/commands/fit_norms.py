"""`python manage.py fit_norms --organisation SLUG [--dry-run] [--use] [--name NAME]`.

Fits the organisation's own expected-change norms on its closed episodes and prints the
calibration summary. Without --dry-run the model is stored as the organisation's next version,
not in use until chosen (on the Own norms page, or here with --use, which also recomputes the
status of every open episode and prints how many changed). --dry-run stores and audits nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kor.models import Organisation
from kor.outcomes import NormsError
from sessions.norms.data import choose_model, fit_and_store, recompute_open


class Command(BaseCommand):
    help = "Fit an organisation's own expected-change norms on its closed episodes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's short name.")
        parser.add_argument("--name", default="", help="The model's name (default: Own norms).")
        parser.add_argument("--dry-run", action="store_true", help="Fit and report; store nothing.")
        parser.add_argument(
            "--use", action="store_true", help="Make the new model the one in use at once."
        )

    def handle(self, *args, organisation: str, name: str, dry_run: bool, use: bool, **options):
        if dry_run and use:
            raise CommandError("--dry-run and --use exclude each other.")
        try:
            org = Organisation.objects.get(slug=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation with the short name {organisation!r}.") from None
        try:
            model, calibration = fit_and_store(org, name=name, dry_run=dry_run)
        except NormsError as error:
            raise CommandError(str(error)) from None
        self._summary(calibration)
        if dry_run:
            self.stdout.write("Dry run: nothing stored.")
            return
        self.stdout.write(f"Stored {model.name}, version {model.version} (id {model.pk}).")
        if not use:
            self.stdout.write("Not in use until chosen on the Own norms page (or with --use).")
            return
        choose_model(org, model, user=None, path="manage.py fit_norms --use")
        result = recompute_open(org)
        self.stdout.write(
            f"In use. {result['episodes']} open episodes recomputed; {result['changed']} changed."
        )
        for before, after, count in result["moves"]:
            if before != after:
                self.stdout.write(f"  {before} -> {after}: {count}")

    def _summary(self, calibration: dict) -> None:
        own, published = calibration["own"], calibration["published"]
        self.stdout.write(
            f"Fitted on {own['raters']} closed episodes, {own['points']} ratings after the intake."
        )
        for fit in own["sets"]:
            self.stdout.write(f"  {fit['note']}")
        self.stdout.write(
            "Share of ratings below the 25th percentile line (about 0.25 when it fits): "
            f"own {own['share_below']:.3f}, published {published['share_below']:.3f}"
        )
        self.stdout.write("meeting      n  observed  own  published")
        for m, p in zip(own["meetings"], published["meetings"], strict=True):
            self.stdout.write(
                f"{m['meeting']:7d} {m['n']:6d} {m['mean_observed']:9.1f} "
                f"{m['mean_expected']:4.1f} {p['mean_expected']:10.1f}"
            )
