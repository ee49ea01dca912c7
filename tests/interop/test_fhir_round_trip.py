"""The round trip: a client's forms exported as FHIR, read back and imported into an empty
organisation through the import service, give the same scores, statuses and flags."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from clients.models import Client
from kor.models import Membership, Organisation, Team
from sessions.fhir.bundles import client_resources, collection
from sessions.fhir.reader import rows_from_bundle, rows_from_resources
from sessions.imports.service import import_rows
from sessions.models import FormResponse
from sessions.outcome import episode_outcome
from tests.conftest import add_meetings, make_user
from tests.interop.conftest import bearer

pytestmark = pytest.mark.django_db


def forms_of(client: Client) -> list[tuple]:
    forms = FormResponse.objects.filter(meeting__episode__client=client).select_related(
        "meeting", "rater"
    )
    return sorted(
        (
            f.meeting.date,
            f.meeting.number,
            f.rater.relation,
            f.rater.label,
            f.instrument,
            f.status,
            tuple(f.items),
            f.total,
        )
        for f in forms
    )


def outcome_of(client: Client) -> tuple:
    episode = client.episodes.get()
    outcome = episode_outcome(episode)
    raters = sorted(
        (r.rater.relation, r.rater.label, r.status, tuple(sorted(r.flags)), tuple(r.ors))
        for r in outcome.raters
    )
    return episode.status, tuple(sorted(episode.flags)), outcome.status, raters


def test_a_family_exported_as_fhir_and_imported_elsewhere_is_the_same(family):
    bundle = collection(client_resources(family), base="https://kor.test/fhir").model_dump_json()

    elsewhere = Organisation.objects.create(name="Ny kommune", slug="ny")
    team = Team.objects.create(organisation=elsewhere, name="Familieteamet")
    leader = make_user("lena", elsewhere, team, Membership.Role.LEADER)
    plan, _result = import_rows(elsewhere, rows_from_bundle(bundle), leader)
    assert [p.message for p in plan.problems] == []

    copy = Client.objects.get(organisation=elsewhere, case_code="F-010")
    assert forms_of(copy) == forms_of(family)
    assert outcome_of(copy) == outcome_of(family)
    assert FormResponse.objects.filter(meeting__episode__client=copy, source="import").count() == (
        FormResponse.objects.filter(meeting__episode__client=family).count()
    )

    # The same bundle again stores nothing more (the import is idempotent).
    again, _ = import_rows(elsewhere, rows_from_bundle(bundle), leader)
    assert forms_of(copy) == forms_of(family)
    assert [p.message for p in again.problems] == []


def test_the_bulk_export_files_import_into_an_empty_organisation(
    client, org, client_n1, token_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    add_meetings(client_n1.episodes.get(), ors=[14.0, None, 16.5, 13.0], srs=[33.0, 36.0, 35.0])
    _, secret = token_for(org)
    status_url = client.post(reverse("fhir_export"), headers=bearer(secret))["Content-Location"]
    manifest = json.loads(client.get(status_url, headers=bearer(secret)).content)
    lines = []
    for output in manifest["output"]:
        body = b"".join(client.get(output["url"], headers=bearer(secret)).streaming_content)
        lines += [json.loads(line) for line in body.decode().splitlines()]

    elsewhere = Organisation.objects.create(name="Ny kommune", slug="ny")
    team = Team.objects.create(organisation=elsewhere, name="Voksen")
    leader = make_user("lena", elsewhere, team, Membership.Role.LEADER)
    plan, _result = import_rows(elsewhere, rows_from_resources(lines), leader)
    assert [p.message for p in plan.problems] == []
    copy = Client.objects.get(organisation=elsewhere, case_code="N-001")
    assert forms_of(copy) == forms_of(client_n1)
    assert outcome_of(copy) == outcome_of(client_n1)
