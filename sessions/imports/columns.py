"""From a sheet's header and cells to ImportRows: the column names (English and Norwegian) and the
ways dates, numbers and words are written in municipal spreadsheets.

Only the format is handled here (a date written 14.03.2025, a decimal comma, "mor" for mother);
what the values mean (an unknown form, a score out of range) is the service's check, the same
for every source. A word this module does not know is passed on as written, so the service can
name it in its problem.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sessions.imports.problems import Problem
from sessions.imports.rows import ImportRow


def _key(text: Any) -> str:
    """A header or a word as compared: lower case, no punctuation, single spaces."""
    text = re.sub(r"[^\w+\-]+", " ", str(text or "").lower().replace("_", " "))
    return " ".join(text.split())


_ALIASES = {
    "case_code": "case code|casecode|case|client|client code|saksnummer|saksnr|klientnr|"
    "klientnummer|klient|klient id|klientid|kode|bruker id|brukerid",
    "meeting_date": "date|meeting date|dato|møtedato|timedato|samtaledato|dato for møte",
    "instrument": "form|instrument|skjema|skala|skjematype",
    "relation": "rater|relation|rater type|utfylt av|hvem|vurderer|informant|fylt ut av",
    "rater_label": "rater label|label|navn på vurderer|vurderer navn|merknad vurderer",
    "item1": "item 1|item1|i1|skala 1|spm 1|spørsmål 1|ledd 1|individuelt|individually|"
    "relasjon|relationship|meg|me",
    "item2": "item 2|item2|i2|skala 2|spm 2|spørsmål 2|ledd 2|mellommenneskelig|"
    "interpersonally|mål og tema|goals and topics|familie|family",
    "item3": "item 3|item3|i3|skala 3|spm 3|spørsmål 3|ledd 3|sosialt|socially|"
    "tilnærming|tilnærming eller metode|approach|approach or method|skole|school",
    "item4": "item 4|item4|i4|skala 4|spm 4|spørsmål 4|ledd 4|generelt|overall|alt i alt",
    "total": "total|sum|totalskår|total score|skår|poeng|sum skår|totalsum",
    "status": "status|form status|skjemastatus",
    "declined_reason": "reason declined|declined reason|reason|årsak|grunn|begrunnelse|"
    "årsak ikke utfylt",
    "helper": "helper|behandler|terapeut|hjelper|saksbehandler|kontaktperson|username|e-mail|"
    "email|epost|e-post",
    "team": "team|enhet|avdeling|tjeneste",
    "age_group": "age group|aldersgruppe",
    "episode_start": "episode start|forløp start|forløpsstart|start forløp|startdato|oppstart",
    "episode_end": "episode end|forløp slutt|forløpsslutt|slutt forløp|sluttdato|avsluttet",
    "end_reason": "end reason|avslutningsårsak|sluttårsak|årsak avslutning|avslutningsgrunn",
}
HEADERS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases.split("|")}
REQUIRED = ("case_code", "meeting_date", "instrument")


def header_map(cells: list[Any]) -> dict[int, str]:
    """{column index: field} for the cells of a header row (unknown columns left out)."""
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        name = HEADERS.get(_key(cell))
        if name and name not in found.values():
            found[index] = name
    return found


def is_header(cells: list[Any]) -> bool:
    return set(REQUIRED) <= set(header_map(cells).values())


def _words(pairs: str) -> dict[str, str]:
    return {word: value for value, words in _pairs(pairs) for word in words}


def _pairs(text: str):
    for part in text.split(";"):
        value, words = part.split("=")
        yield value.strip(), [w.strip() for w in words.split("|")]


RELATIONS = _words(
    "client=client|klient|klienten|selv|bruker|pasient|self;mother=mother|mor;"
    "father=father|far;parent=parent|forelder|foresatt|omsorgsperson;"
    "partner=partner|ektefelle|samboer|kjæreste;sibling=sibling|søsken;teacher=teacher|lærer;"
    "other=other|annen|andre|annet"
)
STATUSES = _words(
    "completed=completed|utfylt|fullført|fylt ut;declined=declined|avslått|ønsket ikke|nektet|"
    "ville ikke;not_offered=not offered|not offered|ikke tilbudt|ikke gitt"
)
AGE_GROUPS = _words(
    "adult=adult|voksen|18+|adult 18+;adolescent=adolescent|ungdom|13-17|adolescent 13-17;"
    "child=child|barn|6-12|child 6-12;young_child=young child|små barn|småbarn|0-5|"
    "young child 5 and under"
)
END_REASONS = _words(
    "planned=planned|planned ending|planlagt|planlagt avslutning|etter avtale|enighet|"
    "mål nådd;dropout=dropout|client dropped out|frafall|droppet ut|avbrutt|uteble;"
    "referred=referred|referred on|henvist|henvist videre;moved=moved|flyttet;"
    "died=died|død;other=other|annet|annen"
)


def _word(value: Any, vocabulary: dict[str, str]) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    if text in vocabulary:
        return vocabulary[text]
    return vocabulary.get(_key(text), text)


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%d-%m-%Y", "%Y.%m.%d")


def parse_date(value: Any) -> dt.date | None:
    """A date as a sheet holds it; None when empty; ValueError when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().split(" ")[0].split("T")[0]
    if not text:
        return None
    # The two common ways first, without strptime (100,000 rows: seconds saved).
    if len(text) == 10 and text[2] == "." and text[5] == ".":
        return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return dt.date.fromisoformat(text)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_number(value: Any) -> float | None:
    """A score with a decimal comma or point; None when empty; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    return float(text)


def _text(cells: dict[str, Any], name: str) -> str:
    value = cells.get(name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a case code typed as a number in Excel: 1042, not 1042.0
    return str(value).strip() if value is not None else ""


def _value(cells, name, parse, problems, line):
    try:
        return parse(cells.get(name))
    except (ValueError, TypeError):
        code = "bad_date" if parse is parse_date else "bad_number"
        problems.append(Problem(line, code, {"column": name, "value": str(cells.get(name))}))
        return None


def row_from_cells(line: int, cells: dict[str, Any]) -> ImportRow | list[Problem]:
    """One sheet row (cells by field name) as an ImportRow, or the problems that stop it."""
    problems: list[Problem] = []
    for name in ("case_code", "meeting_date", "instrument"):
        if not _text(cells, name):
            problems.append(Problem(line, "missing_value", {"column": name}))
    meeting_date = _value(cells, "meeting_date", parse_date, problems, line)
    items = tuple(_value(cells, f"item{k}", parse_number, problems, line) for k in range(1, 5))
    total = _value(cells, "total", parse_number, problems, line)
    start = _value(cells, "episode_start", parse_date, problems, line)
    end = _value(cells, "episode_end", parse_date, problems, line)
    if problems:
        return problems
    while items and items[-1] is None:
        items = items[:-1]
    return ImportRow(
        line=line,
        case_code=_text(cells, "case_code"),
        meeting_date=meeting_date,
        instrument=_text(cells, "instrument").upper().replace(" ", ""),
        relation=_word(cells.get("relation"), RELATIONS) or "client",
        rater_label=_text(cells, "rater_label"),
        items=items,
        total=total,
        status=_word(cells.get("status"), STATUSES) or "completed",
        declined_reason=_text(cells, "declined_reason"),
        helper=_text(cells, "helper"),
        team=_text(cells, "team"),
        age_group=_word(cells.get("age_group"), AGE_GROUPS),
        episode_start=start,
        episode_end=end,
        end_reason=_word(cells.get("end_reason"), END_REASONS),
    )
