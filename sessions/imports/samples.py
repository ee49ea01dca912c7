"""The template and the sample files offered on the import page (sessions/imports/samples/).

`python -m sessions.imports.samples` writes them again. The names of teams and helpers are
those of the demo organisation (`manage.py seed_demo`), so the demo's leader can import them.

The "ASIST-style" sample is this project's own reading of the spreadsheets Norwegian
municipalities keep for KOR (we found no published layout): a title block above the table,
Norwegian column names, one row per form, dates as dd.mm.yyyy, decimal commas, the rater in
words ("klient", "mor"), the episode's start and end with the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"

TEMPLATE_HEADER = [
    "case code", "date", "form", "rater", "rater label", "item 1", "item 2", "item 3",
    "item 4", "total", "helper", "team", "age group", "episode start", "episode end",
    "end reason", "status", "reason declined",
]  # fmt: skip
TEMPLATE_ROWS = [
    ["IMP-001", "2025-01-13", "ORS", "client", "", "4.5", "5.0", "6.1", "4.8", "", "kari",
     "Rask psykisk helsehjelp", "adult", "2025-01-13", "", "", "", ""],
    ["IMP-001", "2025-01-13", "SRS", "client", "", "9.0", "8.5", "9.2", "9.0", "", "kari",
     "Rask psykisk helsehjelp", "adult", "2025-01-13", "", "", "", ""],
    ["IMP-001", "2025-01-20", "ORS", "client", "", "", "", "", "", "24.3", "kari",
     "Rask psykisk helsehjelp", "adult", "2025-01-13", "", "", "", ""],
    ["IMP-001", "2025-01-20", "SRS", "client", "", "", "", "", "", "", "kari",
     "Rask psykisk helsehjelp", "adult", "2025-01-13", "", "", "declined", "no time"],
]  # fmt: skip

ASIST_TITLE = [
    ["KOR – registrering av ORS/SRS"],
    ["Enhet: Familieteamet", None, "Eksportert: 03.02.2025"],
    [],
]
ASIST_HEADER = [
    "Klientnr", "Dato", "Skjema", "Utfylt av", "Vurderer navn", "Skala 1", "Skala 2",
    "Skala 3", "Skala 4", "Sum", "Behandler", "Team", "Aldersgruppe", "Forløp start",
    "Forløp slutt", "Avslutningsårsak",
]  # fmt: skip


def _asist_rows() -> list[list]:
    rows = []
    start = dt.date(2024, 9, 2)
    plans = [
        ("FT-2024-017", "barn", "ingrid", [(3.1, 4.0, 2.5, 3.4), (4.0, 4.2, 3.9, 4.1)]),
        ("FT-2024-021", "voksen", "ingrid", [(2.0, 3.5, 4.0, 3.0), (4.5, 5.1, 5.0, 4.4)]),
    ]
    for n, (code, group, helper, scores) in enumerate(plans):
        outcome, alliance = ("CORS", "CSRS") if group == "barn" else ("ORS", "SRS")
        first = start + dt.timedelta(days=7 * n)
        for k, items in enumerate(scores):
            day = first + dt.timedelta(weeks=2 * k)
            end = first + dt.timedelta(weeks=6) if code == "FT-2024-021" else None
            common = [helper, "Familieteamet", group, first, end, "planlagt" if end else None]
            for form, who, label, values in (
                (outcome, "klient", None, items),
                (outcome, "mor", "Mor", tuple(min(10.0, v + 1.2) for v in items)),
                (alliance, "klient", None, (8.5, 9.0, 8.8, 9.1)),
            ):
                if form == outcome and who == "mor" and group != "barn":
                    continue
                cells = [str(v).replace(".", ",") for v in values]  # decimal commas, as text
                total = str(round(sum(values), 1)).replace(".", ",")
                rows.append([code, day, form, who, label, *cells, total, *common])
    return rows


def write_samples(directory: Path = SAMPLES_DIR) -> None:
    from openpyxl import Workbook

    directory.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows([TEMPLATE_HEADER, *TEMPLATE_ROWS])
    (directory / "template.csv").write_text(out.getvalue(), encoding="utf-8")

    book = Workbook()
    sheet = book.active
    sheet.title = "Forms"
    for line in [TEMPLATE_HEADER, *TEMPLATE_ROWS]:
        sheet.append(line)
    book.save(directory / "template.xlsx")

    book = Workbook()
    sheet = book.active
    sheet.title = "KOR"
    for line in [*ASIST_TITLE, ASIST_HEADER, *_asist_rows()]:
        sheet.append(line)
    for row in sheet.iter_rows(min_row=5):
        for cell in (row[1], row[13], row[14]):
            cell.number_format = "DD.MM.YYYY"
    book.save(directory / "asist_sample.xlsx")


if __name__ == "__main__":
    write_samples()
