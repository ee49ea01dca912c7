"""The bulk export in the style of FHIR Bulk Data: kick-off, status with progress, NDJSON files
downloaded by a token of the organisation only, every client of the export audited."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class

from kor.api_tokens import revoke_token
from kor.models import AuditEvent
from sessions.models import FhirExportJob
from tests.conftest import add_meetings
from tests.interop.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def exported(client, org, client_n1, client_s1, client_x1, token_for):
    for c in (client_n1, client_s1, client_x1):
        add_meetings(c.episodes.get(), ors=[18.0, 22.0], srs=[35.0, 38.0])
    token, secret = token_for(org)
    response = client.post(reverse("fhir_export"), headers=bearer(secret))
    return token, secret, response


def test_the_kick_off_answers_202_with_the_status_url(exported):
    _token, _secret, response = exported
    assert response.status_code == 202
    job = FhirExportJob.objects.get()
    assert response["Content-Location"] == (
        f"http://testserver{reverse('fhir_export_status', args=[job.pk])}"
    )


def test_the_files_hold_the_organisations_clients_only_and_validate(client, exported, client_x1):
    _token, secret, response = exported
    status = client.get(response["Content-Location"], headers=bearer(secret))
    assert status.status_code == 200
    manifest = json.loads(status.content)
    assert manifest["requiresAccessToken"] is True
    counts = {o["type"]: o["count"] for o in manifest["output"]}
    assert counts["Patient"] == 2 and counts["QuestionnaireResponse"] == 8
    for output in manifest["output"]:
        file = client.get(output["url"], headers=bearer(secret))
        assert file["Content-Type"] == "application/fhir+ndjson"
        lines = b"".join(file.streaming_content).decode().splitlines()
        assert len(lines) == output["count"]
        for line in lines:
            data = json.loads(line)
            get_fhir_model_class(data["resourceType"]).model_validate(data)
            assert "X-001" not in line and f'Patient/{client_x1.pk}"' not in line


def test_a_download_is_in_every_exported_clients_trail(client, exported, client_n1, client_s1):
    _token, secret, response = exported
    manifest = json.loads(client.get(response["Content-Location"], headers=bearer(secret)).content)
    patients = next(o for o in manifest["output"] if o["type"] == "Patient")
    b"".join(client.get(patients["url"], headers=bearer(secret)).streaming_content)
    audited = set(
        AuditEvent.objects.filter(detail__resource="$export Patient").values_list(
            "client_id", flat=True
        )
    )
    assert audited == {client_n1.pk, client_s1.pk}


def test_another_organisations_token_gets_neither_status_nor_files(
    client, other_org, exported, token_for
):
    _token, secret, response = exported
    manifest = json.loads(client.get(response["Content-Location"], headers=bearer(secret)).content)
    _, foreign = token_for(other_org)
    assert client.get(response["Content-Location"], headers=bearer(foreign)).status_code == 404
    for output in manifest["output"]:
        assert client.get(output["url"], headers=bearer(foreign)).status_code == 404
        assert client.get(output["url"]).status_code == 401


def test_a_revoked_token_gets_no_files(client, olga, exported):
    token, secret, response = exported
    manifest = json.loads(client.get(response["Content-Location"], headers=bearer(secret)).content)
    revoke_token(token, by=olga)
    assert client.get(manifest["output"][0]["url"], headers=bearer(secret)).status_code == 401


def test_a_running_export_says_how_far_it_is(client, exported):
    _token, secret, response = exported
    FhirExportJob.objects.update(state=FhirExportJob.State.RUNNING, done=1, total=2)
    status = client.get(response["Content-Location"], headers=bearer(secret))
    assert status.status_code == 202
    assert status["X-Progress"] == "1 of 2 clients (50 %)"


def test_an_unknown_type_is_refused(client, org, token_for):
    _, secret = token_for(org)
    response = client.get(reverse("fhir_export") + "?_type=Medication", headers=bearer(secret))
    assert response.status_code == 400
    assert not FhirExportJob.objects.exists()
