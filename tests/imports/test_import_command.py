"""`manage.py import_forms`: the same preview and import from the shell."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from sessions.models import FormResponse

CSV = (
    "case code;date;form;item 1;item 2;item 3;item 4;team\n"
    "N-100;2026-03-02;ORS;4,5;5;6,1;4,8;North\n"
    "N-100;2026-03-02;BAD;4,5;5;6,1;4,8;North\n"
)


@pytest.fixture
def sheet(tmp_path):
    path = tmp_path / "forms.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_forms", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_preview_and_stores_nothing(carol, org, sheet):
    text = run(str(sheet), "--organisation", org.slug, "--user", carol.username, "--dry-run")
    assert "forms_new: 1" in text and "problem_lines: 1" in text
    assert "line 3: " in text and "BAD" in text
    assert "dry run: nothing stored" in text
    assert FormResponse.objects.count() == 0


def test_it_imports_the_valid_rows_and_a_second_run_creates_nothing(carol, org, sheet):
    args = (str(sheet), "--organisation", org.slug, "--user", carol.username)
    assert "stored: 1 forms, 1 clients" in run(*args)
    text = run(*args)
    assert "forms_matched: 1" in text and "stored: 0 forms" in text
    assert FormResponse.objects.get().source == "import"


def test_all_or_nothing_refuses_a_file_with_problems(carol, org, sheet):
    with pytest.raises(CommandError, match="nothing stored"):
        run(str(sheet), "--organisation", org.slug, "--user", carol.username, "--all-or-nothing")
    assert FormResponse.objects.count() == 0


def test_a_helper_cannot_import_from_the_shell_either(alice, org, sheet):
    with pytest.raises(CommandError, match="leader"):
        run(str(sheet), "--organisation", org.slug, "--user", alice.username)


def test_it_reads_the_excel_sample(org, sheet, tmp_path):
    from pathlib import Path

    from kor.models import Team
    from tests.conftest import make_user

    team = Team.objects.create(organisation=org, name="Familieteamet")
    leader = make_user("lena", org, team, "leader")
    make_user("ingrid", org, team)
    sample = Path(__file__).resolve().parents[2] / "sessions/imports/samples/asist_sample.xlsx"
    text = run(str(sample), "--organisation", org.slug, "--user", leader.username)
    assert "problem_lines: 0" in text and "stored: 10 forms, 2 clients" in text
    assert (
        FormResponse.objects.filter(meeting__episode__client__case_code="FT-2024-017").count() == 6
    )
