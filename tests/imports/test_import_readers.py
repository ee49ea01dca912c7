"""Reading CSV and Excel files: Norwegian and English headers, decimal commas, parse problems."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from openpyxl import Workbook

from sessions.imports.readers import read_csv, read_file, read_xlsx

SAMPLES = Path(__file__).resolve().parents[2] / "sessions" / "imports" / "samples"


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_reads_norwegian_headers_semicolons_and_decimal_commas():
    content = (
        "Klientnr;Dato;Skjema;Utfylt av;Vurderer navn;Skala 1;Skala 2;Skala 3;Skala 4;Sum;"
        "Behandler;Aldersgruppe;Forløp start;Avslutningsårsak\n"
        "K-1;14.03.2025;ors;mor;Mor;4,5;5;6,1;4,8;20,4;kari;ungdom;01.03.2025;frafall\n"
    ).encode("cp1252")
    parsed = read_csv(content)
    assert parsed.problems == []
    row = parsed.rows[0]
    assert (row.line, row.case_code, row.meeting_date) == (2, "K-1", datetime.date(2025, 3, 14))
    assert (row.instrument, row.relation, row.rater_label) == ("ORS", "mother", "Mor")
    assert row.items == (4.5, 5.0, 6.1, 4.8) and row.total == 20.4
    assert (row.age_group, row.end_reason) == ("adolescent", "dropout")
    assert row.episode_start == datetime.date(2025, 3, 1)


def test_it_reads_english_headers_with_commas_and_a_total_only():
    parsed = read_csv(b"case code,date,form,total\nA-1,2025-03-14,SRS,36.5\n")
    assert parsed.problems == []
    assert parsed.rows[0].items == () and parsed.rows[0].total == 36.5


def test_it_reports_bad_dates_numbers_and_missing_values_by_line():
    parsed = read_csv(
        b"case code;date;form;item 1\n"
        b"A-1;31.02.2025;ORS;5\nA-2;2025-03-01;ORS;fem\n;2025-03-01;ORS;1\n"
    )
    assert [(p.line, p.code) for p in parsed.problems] == [
        (2, "bad_date"),
        (3, "bad_number"),
        (4, "missing_value"),
    ]
    assert parsed.rows == [] and parsed.lines == 3
    assert "fem" in parsed.problems[1].message


def test_a_file_without_the_needed_columns_is_one_problem():
    parsed = read_csv(b"name;score\nA;3\n")
    assert [(p.line, p.code) for p in parsed.problems] == [(0, "no_header")]


def test_a_broken_excel_file_is_one_problem():
    parsed = read_xlsx(b"PK\x03\x04 not really a zip")
    assert [p.code for p in parsed.problems] == ["unreadable_file"]


def test_it_reads_excel_with_real_dates_and_numbers_below_a_title_block():
    content = xlsx(
        [
            ["KOR-registrering"],
            [],
            [
                "Saksnummer",
                "Dato",
                "Skjema",
                "Individuelt",
                "Mellommenneskelig",
                "Sosialt",
                "Generelt",
            ],
            [1042, datetime.datetime(2025, 2, 3), "ORS", 4, 5.5, 6, 7],
        ]
    )
    parsed = read_file("sheet.xlsx", content)
    assert parsed.problems == []
    row = parsed.rows[0]
    assert (row.line, row.case_code, row.meeting_date) == (4, "1042", datetime.date(2025, 2, 3))
    assert row.items == (4.0, 5.5, 6.0, 7.0)


def test_the_samples_in_the_repository_read_without_problems():
    for name, rows in (("template.csv", 4), ("template.xlsx", 4), ("asist_sample.xlsx", 10)):
        parsed = read_file(name, (SAMPLES / name).read_bytes())
        assert parsed.problems == [] and len(parsed.rows) == rows, name
