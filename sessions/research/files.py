"""The files of a research export: the data as CSV and Parquet, and the data dictionary, in a zip.

The dictionary is Markdown in the language of the person exporting (gettext); the column names
stay English in every language, so scripts that read them keep working.
"""

from __future__ import annotations

import io
import zipfile

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from django.utils.translation import gettext as _

from kor.outcomes.anonymity import MEETING_BANDS

from .data import COLUMNS, QUASI_IDENTIFIERS, ResearchExport

_INT = ("meeting_number", "days_since_start", "episode_days")
_FLOAT = ("item1", "item2", "item3", "item4", "total")
_BOOL = ("episode_closed", "coarsened")


def schema() -> pa.Schema:
    def kind(name: str) -> pa.DataType:
        if name in _INT:
            return pa.int32()
        if name in _FLOAT:
            return pa.float64()
        if name in _BOOL:
            return pa.bool_()
        return pa.string()

    return pa.schema([(name, kind(name)) for name in COLUMNS])


def column_descriptions() -> dict[str, str]:
    """Every column, described in the current language."""
    bands = ", ".join(f"{low}–{high}" if high else f"{low}+" for low, high in MEETING_BANDS)
    return {
        "client_id": _("Random id of the client, new in every export, the same in all its rows."),
        "episode_id": _("Random id of the episode of care (a client may have several)."),
        "rater_id": _("Random id of the person rating (the client, or a parent or partner)."),
        "team": _("Random id of the team, new in every export."),
        "age_group": _(
            "Age group of the client when the episode started: adult (18+), adolescent (13–17), "
            "child (6–12), young_child (5 and under)."
        ),
        "year": _(
            "Year the episode started; a two-year band (e.g. 2024–2025) where the row was "
            "coarsened."
        ),
        "meetings": _(
            "Number of meetings in the episode (so far, if open); a band (%(bands)s) where the "
            "row was coarsened."
        )
        % {"bands": bands},
        "instrument": _("The form: ORS, SRS, CORS, CSRS, YCORS, YCSRS or GSRS."),
        "rater_relation": _(
            "Who rated: client, mother, father, parent, partner, sibling, teacher or other."
        ),
        "meeting_number": _("Number of the meeting in the episode, 1 for the first (intake)."),
        "days_since_start": _("Days from the start of the episode to the meeting."),
        "item1": _("First item in cm (0.0–10.0); empty unless completed."),
        "item2": _("Second item in cm (0.0–10.0); empty unless completed."),
        "item3": _("Third item in cm (0.0–10.0); empty unless completed."),
        "item4": _("Fourth item in cm (0.0–10.0); empty unless completed."),
        "total": _("Total in cm (0.0–40.0), the sum of the items; empty unless completed."),
        "status": _("completed, declined or not_offered."),
        "declined_reason_code": _(
            "Why the form was not filled in, as a code: did_not_want, too_distressed, language, "
            "does_not_fit, no_time, other; empty when none was chosen. Free text is never "
            "exported."
        ),
        "source": _("Where the form was entered: meeting, remote (link) or import."),
        "episode_closed": _("true when the episode has ended."),
        "episode_days": _("Days from the start to the end of the episode; empty while open."),
        "end_reason": _(
            "Why the episode ended: planned, dropout, referred, moved, died, other; empty while "
            "open."
        ),
        "coarsened": _("true when year and number of meetings were coarsened into bands."),
    }


def data_dictionary(export: ResearchExport) -> str:
    a = export.anonymity
    clients = _("clients")
    facts = [
        (_("Period of the meetings"), f"{export.period_start} – {export.period_end}"),
        (_("Rows"), f"{len(export.records)} ({clients}: {export.clients_in_file})"),
        ("k", str(a.k)),
        (_("Rows coarsened"), f"{a.coarsened_records} ({clients}: {len(a.coarsened_subjects)})"),
        (_("Rows suppressed"), f"{a.suppressed_records} ({clients}: {len(a.suppressed_subjects)})"),
    ]
    lines = [
        "# " + _("Research export: data dictionary"),
        "",
        _(
            "One row per form (completed, declined or not offered) of the meetings held in the "
            "period. No case codes, names, birth years, dates or free text. The ids are random "
            "and new in every export: two exports cannot be linked."
        ),
        "",
        "## " + _("This export"),
        "",
        *(f"- {label}: {value}" for label, value in facts),
        "",
        "## " + _("k-anonymity"),
        "",
        _(
            "Every combination of %(columns)s is shared by at least k clients. Rows whose "
            "combination had fewer were coarsened (year to a two-year band, number of meetings "
            "to a band); rows still in a combination of fewer than k clients were left out."
        )
        % {"columns": ", ".join(QUASI_IDENTIFIERS)},
        "",
        "## " + _("Columns"),
        "",
        "| " + _("column") + " | " + _("type") + " | " + _("description") + " |",
        "|---|---|---|",
    ]
    types = {f.name: str(f.type) for f in schema()}
    for name, text in column_descriptions().items():
        lines.append(f"| `{name}` | {types[name]} | {text} |")
    lines += [
        "",
        _("Files: data.csv (UTF-8, comma, decimal point) and data.parquet (the same rows)."),
        "",
    ]
    return "\n".join(lines)


def table(export: ResearchExport) -> pa.Table:
    return pa.Table.from_pylist(
        [{name: record[name] for name in COLUMNS} for record in export.records], schema=schema()
    )


def to_csv(data: pa.Table) -> bytes:
    """UTF-8, comma, a header row; empty for no value, true/false, a decimal point."""
    out = io.BytesIO()
    pa_csv.write_csv(data, out)
    return out.getvalue()


def to_parquet(data: pa.Table) -> bytes:
    out = io.BytesIO()
    pq.write_table(data, out)
    return out.getvalue()


def to_zip(export: ResearchExport) -> bytes:
    data = table(export)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.csv", to_csv(data))
        archive.writestr("data.parquet", to_parquet(data))
        archive.writestr("data_dictionary.md", data_dictionary(export))
    return buffer.getvalue()
