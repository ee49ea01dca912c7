"""The read-only FHIR API, for every endpoint: a token of the organisation reads; no token, an
expired, a revoked and another organisation's token read nothing; every read is in the
client's audit trail."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaire import Questionnaire

from kor.api_tokens import revoke_token
from kor.models import ApiToken, AuditEvent
from sessions.models import FormResponse
from tests.conftest import add_meetings
from tests.interop.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org, other_org, client_n1, client_x1, token_for):
    add_meetings(client_n1.episodes.get(), ors=[20.0, 24.0], srs=[36.0, 38.0])
    add_meetings(client_x1.episodes.get(), ors=[10.0], srs=[30.0])
    _, own = token_for(org)
    _, foreign = token_for(other_org)
    return {"own": own, "foreign": foreign}


def endpoints(client_n1) -> list[str]:
    return [
        reverse("fhir_questionnaires"),
        reverse("fhir_questionnaire", args=["ors"]),
        reverse("fhir_questionnaire_responses") + f"?patient={client_n1.pk}",
        reverse("fhir_patient", args=[client_n1.pk]),
        reverse("fhir_export"),
    ]


def issue(response) -> str:
    assert response["Content-Type"] == "application/fhir+json"
    return OperationOutcome.model_validate_json(response.content).issue[0].code


def test_the_capability_statement_is_public_and_says_what_is_offered(client):
    response = client.get(reverse("fhir_metadata"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    statement = CapabilityStatement.model_validate_json(response.content)
    offered = {r.type for r in statement.rest[0].resource}
    assert offered == {"Questionnaire", "QuestionnaireResponse", "Patient"}


def test_no_token_is_a_401_on_every_endpoint(client, world, client_n1):
    for url in endpoints(client_n1):
        response = client.get(url)
        assert response.status_code == 401, url
        assert issue(response) == "login"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_logged_in_session_opens_nothing(login, alice, world, client_n1):
    browser = login(alice)
    for url in endpoints(client_n1):
        assert browser.get(url).status_code == 401, url


def test_an_expired_token_is_refused(client, org, world, client_n1, token_for):
    token, secret = token_for(org)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    for url in endpoints(client_n1):
        assert client.get(url, headers=bearer(secret)).status_code == 401, url


def test_a_revoked_token_is_refused(client, org, olga, world, client_n1, token_for):
    token, secret = token_for(org)
    assert client.get(reverse("fhir_questionnaires"), headers=bearer(secret)).status_code == 200
    revoke_token(token, by=olga)
    for url in endpoints(client_n1):
        assert client.get(url, headers=bearer(secret)).status_code == 401, url


def test_a_made_up_token_is_refused(client, world, client_n1):
    for secret in ("kor_" + "x" * 43, "nonsense", world["own"] + "x"):
        assert client.get(endpoints(client_n1)[0], headers=bearer(secret)).status_code == 401


def test_another_organisations_token_never_sees_this_organisations_data(client, world, client_n1):
    headers = bearer(world["foreign"])
    response = client.get(reverse("fhir_patient", args=[client_n1.pk]), headers=headers)
    assert response.status_code == 404
    assert issue(response) == "not-found"
    assert b"N-001" not in response.content
    url = reverse("fhir_questionnaire_responses")
    for query in (f"?patient={client_n1.pk}", ""):
        bundle = Bundle.model_validate_json(client.get(url + query, headers=headers).content)
        patients = {e.resource.subject.reference for e in bundle.entry or []}
        assert f"Patient/{client_n1.pk}" not in patients
    # Its own client, and only that one, in a search without a patient.
    assert bundle.total == 2


def test_a_token_reads_its_organisations_patient_and_forms(client, world, client_n1):
    headers = bearer(world["own"])
    response = client.get(reverse("fhir_patient", args=[client_n1.pk]), headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert "no-store" in response["Cache-Control"]
    assert Patient.model_validate_json(response.content).identifier[0].value == "N-001"

    url = reverse("fhir_questionnaire_responses") + f"?patient=Patient/{client_n1.pk}"
    bundle = Bundle.model_validate_json(client.get(url, headers=headers).content)
    assert bundle.type == "searchset"
    assert bundle.total == 4
    instruments = sorted(e.resource.questionnaire.rsplit("/", 1)[1] for e in bundle.entry)
    assert instruments == ["ors", "ors", "srs", "srs"]


def test_the_questionnaires_are_read_and_searched(client, world):
    headers = bearer(world["own"])
    bundle = Bundle.model_validate_json(
        client.get(reverse("fhir_questionnaires"), headers=headers).content
    )
    assert bundle.total == 7
    one = client.get(reverse("fhir_questionnaire", args=["cors"]), headers=headers)
    assert Questionnaire.model_validate_json(one.content).code[0].code == "718458005"
    missing = client.get(reverse("fhir_questionnaire", args=["bdi"]), headers=headers)
    assert missing.status_code == 404


def test_the_search_pages_with_next_links_and_filters_by_last_update(client, world, client_n1):
    headers = bearer(world["own"])
    url = reverse("fhir_questionnaire_responses") + f"?patient={client_n1.pk}&_count=3"
    first = Bundle.model_validate_json(client.get(url, headers=headers).content)
    assert len(first.entry) == 3
    links = {link.relation: link.url for link in first.link}
    assert links["next"].startswith("http://testserver/fhir/QuestionnaireResponse?")
    second = Bundle.model_validate_json(client.get(links["next"], headers=headers).content)
    assert len(second.entry) == 1
    assert "next" not in {link.relation for link in second.link}

    FormResponse.objects.filter(meeting__episode__client=client_n1).update(
        updated_at=timezone.make_aware(datetime.datetime(2026, 2, 1, 12))
    )
    one = FormResponse.objects.filter(meeting__episode__client=client_n1).first()
    FormResponse.objects.filter(pk=one.pk).update(
        updated_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 12))
    )
    since = reverse("fhir_questionnaire_responses") + "?_lastUpdated=gt2026-02-15T00:00:00Z"
    bundle = Bundle.model_validate_json(client.get(since, headers=headers).content)
    assert [e.resource.id for e in bundle.entry] == [str(one.pk)]
    day = reverse("fhir_questionnaire_responses") + "?_lastUpdated=gt2026-02-01"
    assert Bundle.model_validate_json(client.get(day, headers=headers).content).total == 1


@pytest.mark.parametrize(
    "query", ["patient=abc", "_lastUpdated=gtyesterday", "_count=0", "_count=5000"]
)
def test_bad_search_parameters_are_an_operation_outcome(client, world, query):
    url = reverse("fhir_questionnaire_responses") + "?" + query
    response = client.get(url, headers=bearer(world["own"]))
    assert response.status_code == 400
    assert issue(response) == "invalid"


def test_every_read_is_in_the_clients_audit_trail(client, org, world, client_n1):
    headers = bearer(world["own"])
    client.get(reverse("fhir_patient", args=[client_n1.pk]), headers=headers)
    client.get(
        reverse("fhir_questionnaire_responses") + f"?patient={client_n1.pk}", headers=headers
    )
    rows = AuditEvent.objects.filter(client_id=client_n1.pk, action="view")
    assert [r.detail["resource"] for r in rows.order_by("id")] == [
        "Patient",
        "QuestionnaireResponse",
    ]
    assert all(r.organisation_id == org.pk and r.user_id is None for r in rows)
    assert rows.first().detail["username"] == "API: Journal"


def test_the_organisations_review_shows_the_api_reads(client, login, olga, world, client_n1):
    client.get(reverse("fhir_patient", args=[client_n1.pk]), headers=bearer(world["own"]))
    page = login(olga).get(reverse("client_audit", args=[client_n1.pk]))
    assert page.status_code == 200
    assert "API: Journal" in page.content.decode()


def test_a_token_is_rate_limited(client, world, settings):
    settings.API_RATE_PER_MINUTE = 3
    url = reverse("fhir_questionnaires")
    answers = [client.get(url, headers=bearer(world["own"])).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_the_api_answers_only_get(client, world):
    response = client.put(reverse("fhir_questionnaires"), headers=bearer(world["own"]))
    assert response.status_code == 405
    assert json.loads(client.get(reverse("fhir_metadata")).content)["kind"] == "instance"


def test_the_export_kick_off_needs_the_token_not_a_csrf_cookie(
    org, alice, token_for, settings, tmp_path
):
    from django.test import Client as Browser

    settings.MEDIA_ROOT = tmp_path
    browser = Browser(enforce_csrf_checks=True)
    _, secret = token_for(org)
    assert browser.post(reverse("fhir_export"), headers=bearer(secret)).status_code == 202
    # A logged-in browser session without a token starts nothing, CSRF or not.
    browser.force_login(alice)
    assert browser.post(reverse("fhir_export")).status_code == 401
