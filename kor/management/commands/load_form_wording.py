"""`python manage.py load_form_wording <organisation> <file.json>`: the service's own form text.

The forms show the project's own plain-language instructions and line-end words by default. A
service that holds a licence for the authors' wording loads it from a JSON file in the shape that
kor.outcomes.wording describes; `--clear` goes back to the project's text, `--example` prints
the project's text in that shape, as a file to start from.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kor.models import Organisation
from kor.outcomes.wording import DEFAULT_WORDING, WordingError, check_overrides


def default_as_json() -> dict:
    return {
        code: {
            "instruction": {"nb": form.instruction.nb, "en": form.instruction.en},
            "items": {
                key: {
                    "low": {"nb": ends.low.nb, "en": ends.low.en},
                    "high": {"nb": ends.high.nb, "en": ends.high.en},
                }
                for key, ends in form.items.items()
            },
        }
        for code, form in DEFAULT_WORDING.items()
    }


class Command(BaseCommand):
    help = "Load an organisation's own (licensed) form wording from a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", nargs="?", help="The organisation's short name.")
        parser.add_argument("file", nargs="?", help="The JSON file with the wording.")
        parser.add_argument(
            "--clear", action="store_true", help="Go back to the project's own text."
        )
        parser.add_argument(
            "--example", action="store_true", help="Print the project's own text as JSON."
        )

    def handle(self, *args, organisation, file, clear: bool, example: bool, **options) -> None:
        if example:
            self.stdout.write(json.dumps(default_as_json(), ensure_ascii=False, indent=2))
            return
        if not organisation:
            raise CommandError("Name the organisation (its short name).")
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation with the short name {organisation!r}.")
        if clear:
            org.form_wording = {}
        else:
            if not file:
                raise CommandError("Give the JSON file to load, or --clear.")
            try:
                data = json.loads(Path(file).read_text(encoding="utf-8"))
                org.form_wording = check_overrides(data)
            except (OSError, json.JSONDecodeError, WordingError) as error:
                raise CommandError(f"{file}: {error}") from None
        org.save(update_fields=["form_wording"])
        what = "the project's own text" if clear else f"the wording in {file}"
        self.stdout.write(f"{org.name}: the forms now show {what}.")
