"""The anonymised research export: what is in the zip, what never is, k, audit and personas.

Team North, k = 5, every meeting with an ORS and an SRS:
    A0-A4: adults, started 2026, 4 meetings each: one combination of 5 clients, kept as is (40 rows)
    B0-B4: adults, started 2026, 3, 3, 5, 5, 5 meetings: combinations of 2 and 3 clients, which
           coarsened ("2026–2027", "3–5") are one of 5: kept coarsened (42 rows)
    U:     a child (CORS/CSRS), 2 meetings: alone even coarsened: suppressed (4 rows)
S-001 of team South has forms too: never in North's export.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile

import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from kor.models import AuditEvent
from tests.conftest import add_meetings, make_client

URL = "/reports/research/"


@pytest.fixture
def north_forms(org, north, alice, bob, client_s1):
    for k in range(5):
        c = make_client(org, north, alice, f"N-A{k}")
        add_meetings(c.episodes.get(), ors=[10.0, 12.0, 14.0, 16.0], srs=[36.0] * 4)
    for k, meetings in enumerate([3, 3, 5, 5, 5]):
        c = make_client(org, north, bob, f"N-B{k}")
        add_meetings(c.episodes.get(), ors=[20.0] * meetings, srs=[38.0] * meetings)
    u = make_client(org, north, alice, "N-U", birth_year=2016, age_group="child")
    add_meetings(u.episodes.get(), ors=[18.0, 19.0], srs=[30.0, 31.0])
    add_meetings(client_s1.episodes.get(), ors=[10.0, 30.0], srs=[35.0, 35.0])


def _post(browser, north, **extra):
    data = {"teams": [north.pk], "period_start": "2026-01-01", "period_end": "2026-12-31", "k": 5}
    return browser.post(reverse("research_export"), data | extra)


def _files(response) -> dict[str, bytes]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rows(files) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files["data.csv"].decode())))


def test_it_exports_every_form_coarsened_or_suppressed_to_k(login, carol, north, north_forms):
    browser = login(carol)
    browser.cookies["django_language"] = "en"
    files = _files(_post(browser, north))

    assert set(files) == {"data.csv", "data.parquet", "data_dictionary.md"}
    rows = _rows(files)
    assert len(rows) == 82  # 40 as they are, 42 coarsened; U's 4 left out
    plain = [r for r in rows if r["coarsened"] == "false"]
    coarse = [r for r in rows if r["coarsened"] == "true"]
    assert len(plain) == 40 and {(r["year"], r["meetings"]) for r in plain} == {("2026", "4")}
    assert len(coarse) == 42 and {(r["year"], r["meetings"]) for r in coarse} == {
        ("2026–2027", "3–5")
    }
    assert {r["instrument"] for r in rows} == {"ORS", "SRS"}  # the child's CORS is gone
    assert len({r["client_id"] for r in rows}) == 10
    assert len({r["team"] for r in rows}) == 1
    dictionary = files["data_dictionary.md"].decode()
    assert "- k: 5" in dictionary
    assert "Rows coarsened: 42 (clients: 5)" in dictionary
    assert "Rows suppressed: 4 (clients: 1)" in dictionary


def test_the_parquet_file_holds_the_same_rows(login, carol, north, north_forms):
    files = _files(_post(login(carol), north))
    table = pq.read_table(io.BytesIO(files["data.parquet"])).to_pylist()
    rows = _rows(files)

    assert len(table) == len(rows)
    first, row = table[0], rows[0]
    assert first["client_id"] == row["client_id"] and first["total"] == float(row["total"])
    assert first["days_since_start"] == int(row["days_since_start"])


def test_nothing_names_or_dates_a_client(login, carol, north, north_forms):
    text = _files(_post(login(carol), north))["data.csv"].decode()

    assert not re.search(r"N-[ABU]\d?|S-001|North|Alice|Bob", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no date anywhere
    assert "1990" not in text  # no birth year


def test_ids_are_stable_within_an_export_and_new_in_the_next(login, carol, north, north_forms):
    browser = login(carol)
    first, second = _rows(_files(_post(browser, north))), _rows(_files(_post(browser, north)))

    per_client: dict[str, set[str]] = {}
    for r in first:
        per_client.setdefault(r["client_id"], set()).add(r["episode_id"])
    assert all(len(episodes) == 1 for episodes in per_client.values())
    a_client = [r for r in first if r["client_id"] == first[0]["client_id"]]
    assert [r["days_since_start"] for r in a_client if r["instrument"] == "ORS"] == [
        str(7 * n) for n in range(len(a_client) // 2)
    ]
    assert not {r["client_id"] for r in first} & {r["client_id"] for r in second}
    assert first[0]["team"] != second[0]["team"]


def test_every_client_read_has_a_row_in_its_trail(login, carol, north, north_forms):
    _post(login(carol), north)

    rows = AuditEvent.objects.filter(action="export", user=carol)
    assert rows.filter(client_id__isnull=True).count() == 1  # the export itself
    read = set(rows.exclude(client_id__isnull=True).values_list("client_id", flat=True))
    assert len(read) == 11  # the ten in the file and U, whose forms were read and left out
    assert rows.first().detail["suppressed_records"] == 4


def test_a_smaller_k_keeps_more_as_it_was(login, carol, north, north_forms):
    rows = _rows(_files(_post(login(carol), north, k=2)))
    assert len(rows) == 86 - 4  # U is still alone; B's pairs and triples stand as they are
    assert {r["meetings"] for r in rows} == {"3", "4", "5"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("k", "1"), ("k", "x"), ("period_end", "2025-01-01"), ("teams", "")],
)
def test_bad_input_gives_a_message_and_no_file(login, carol, north, north_forms, field, value):
    response = _post(login(carol), north, **{field: value})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert 'class="field-error"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "olga", "oscar"])
def test_only_a_team_leader_reaches_it(request, login, persona, north, north_forms):
    browser = login(request.getfixturevalue(persona))

    assert browser.get(reverse("research_export")).status_code == 404
    assert _post(browser, north).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_leader_of_another_team_cannot_export_north(login, erin, north, south, north_forms):
    browser = login(erin)
    page = browser.get(reverse("research_export")).content.decode()
    assert "South" in page and "North" not in page

    response = _post(browser, north)
    assert response["Content-Type"].startswith("text/html")  # refused choice, no file
    assert not AuditEvent.objects.filter(action="export").exists()

    rows = _rows(_files(_post(browser, south, teams=[south.pk], k=2)))
    assert rows == []  # S-001 alone: suppressed, never North's rows


def test_anonymous_is_sent_to_log_in(db, client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_reads_the_forms_in_one_query_however_many(
    carol, north, north_forms, django_assert_num_queries
):
    from clients.models import Episode
    from sessions.research.data import research_export

    episodes = Episode.objects.visible_to(carol).in_teams([north.pk])
    with django_assert_num_queries(1):
        export = research_export(
            episodes, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), k=5
        )
    assert export.read_records == 86


def test_the_data_dictionary_speaks_the_exporters_language(login, carol, north, north_forms):
    dictionary = _files(_post(login(carol), north))["data_dictionary.md"].decode()

    assert dictionary.startswith("# Forskningseksport: datakatalog")
    assert "Rader grovere inndelt: 42 (klienter: 5)" in dictionary
    assert "| `days_since_start` | int32 | Dager fra forløpets start til samtalen. |" in dictionary
