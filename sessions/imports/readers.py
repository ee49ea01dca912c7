"""Read an uploaded CSV or Excel (.xlsx) file into ImportRows and the problems of its lines.

CSV: UTF-8 (with or without BOM) or Windows-1252 as Excel writes it in Norway; the separator
(semicolon, comma or tab) is found from the header line. Excel: the first sheet, read with
openpyxl in read-only mode (rows streamed, not the whole workbook built in memory).

The header row need not be the first: municipal sheets often carry a title block above the
table, so the first of the top 20 rows that names the case code, date and form columns is the
header. Line numbers in problems are the sheet's own row numbers, as the person sees them in
Excel.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sessions.imports.columns import header_map, row_from_cells
from sessions.imports.problems import Problem
from sessions.imports.rows import ImportRow

HEADER_SEARCH_ROWS = 20


@dataclass
class Parsed:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lines: int = 0  # data lines read (rows of forms, good or bad)


def read_file(name: str, content: bytes) -> Parsed:
    """Read by the file's content (an .xlsx is a zip), whatever its name says."""
    if content[:2] == b"PK" or name.lower().endswith(".xlsx"):
        return read_xlsx(content)
    return read_csv(content)


def read_csv(content: bytes) -> Parsed:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count) if first else ";"
    return _read(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_xlsx(content: bytes) -> Parsed:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return Parsed(problems=[Problem(0, "unreadable_file")])
    try:
        sheet = workbook.worksheets[0]
        return _read(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _read(rows: Iterable[Iterable[Any]]) -> Parsed:
    parsed = Parsed()
    lines: Iterator[tuple[int, list[Any]]] = ((n, list(r)) for n, r in enumerate(rows, 1))
    columns: dict[int, str] = {}
    for number, cells in lines:
        columns = header_map(cells)
        if {"case_code", "meeting_date", "instrument"} <= set(columns.values()):
            break
        if number >= HEADER_SEARCH_ROWS:
            columns = {}
            break
    else:
        columns = {}
    if not columns:
        parsed.problems.append(Problem(0, "no_header"))
        return parsed
    for number, cells in lines:
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue
        parsed.lines += 1
        values = {name: cells[i] if i < len(cells) else None for i, name in columns.items()}
        result = row_from_cells(number, values)
        if isinstance(result, ImportRow):
            parsed.rows.append(result)
        else:
            parsed.problems.extend(result)
    if parsed.lines == 0:
        parsed.problems.append(Problem(0, "empty_file"))
    return parsed
