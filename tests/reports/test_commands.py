"""`manage.py client_report` and `manage.py team_report`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from kor.models import AuditEvent
from tests.conftest import add_meetings, make_client

from .conftest import pdf_text
from .team_fixtures import build_north


def test_client_report_writes_the_pdf(tmp_path, client_n1):
    add_meetings(client_n1.episodes.get(), ors=[14.2, 16.0, 15.1], srs=[35.0, 36.0, 37.0])
    out = tmp_path / "n1.pdf"
    call_command("client_report", "N-001", "-o", str(out), "--lang", "en", stdout=None)

    text = pdf_text(out.read_bytes())
    assert "Progress report: N-001" in text
    assert "15.1" in text
    event = AuditEvent.objects.get(action="print")
    assert (event.client_id, event.path) == (client_n1.pk, "manage.py client_report")


def test_client_report_says_which_code_is_unknown(tmp_path, client_n1):
    with pytest.raises(CommandError, match="No client with case code 'N-999'"):
        call_command("client_report", "N-999", "-o", str(tmp_path / "x.pdf"))


def test_client_report_asks_for_the_organisation_when_codes_repeat(
    tmp_path, client_n1, other_org, oscar
):
    make_client(other_org, oscar.memberships.get().team, oscar, "N-001")
    with pytest.raises(CommandError, match="--org"):
        call_command("client_report", "N-001", "-o", str(tmp_path / "x.pdf"))
    call_command("client_report", "N-001", "--org", "nord", "-o", str(tmp_path / "x.pdf"))
    assert (tmp_path / "x.pdf").stat().st_size > 1000


def test_team_report_writes_the_pdf(tmp_path, org, north, alice, bob):
    build_north(org, north, alice, bob)
    out = tmp_path / "north.pdf"
    call_command(
        "team_report",
        "North",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "-o",
        str(out),
        "--lang",
        "en",
        "--hide-helpers",
    )

    text = pdf_text(out.read_bytes())
    assert "Team report: North" in text
    assert "N-F" in text
    assert "Alice" not in text
    assert AuditEvent.objects.filter(action="print", path="manage.py team_report").count() == 2


def test_team_report_rejects_a_bad_date(tmp_path, north):
    with pytest.raises(CommandError, match="Not a date"):
        call_command("team_report", "North", "--from", "1 May", "--to", "2026-12-31", "-o", "x.pdf")
