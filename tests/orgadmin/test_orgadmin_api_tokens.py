"""API tokens in the organisation administration: made (shown once, stored hashed), listed,
revoked; only by an organisation administrator, and each change audited."""

from __future__ import annotations

import datetime
import hashlib
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from kor.models import ApiToken
from sessions.models import FhirExportJob
from tests.orgadmin.conftest import administration_events

pytestmark = pytest.mark.django_db

URL = "/organisation/api-tokens/"


def make(browser, name="Journal", days=30, nonce=None):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return browser.post(
        URL, {"name": name, "expires_on": day.isoformat(), "nonce": str(nonce or uuid.uuid4())}
    )


def test_it_shows_a_new_token_once_and_stores_only_its_hash(as_olga, org, client):
    response = make(as_olga)
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert secret.startswith("kor_") and secret in response.text
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    assert (token.organisation, token.scope) == (org, "read")
    assert secret not in as_olga.get(URL).text  # shown once
    assert administration_events("api_token_created").get().object_id == str(token.pk)
    # ... and it opens the API.
    api = client.get("/fhir/Questionnaire", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200


def test_the_same_form_sent_twice_makes_one_token(as_olga):
    nonce = uuid.uuid4()
    make(as_olga, nonce=nonce)
    again = make(as_olga, nonce=nonce)
    assert again.status_code == 302
    assert ApiToken.objects.count() == 1
    assert administration_events("api_token_created").count() == 1


@pytest.mark.parametrize("days", [-1, 400])
def test_a_last_day_in_the_past_or_too_far_is_refused_beside_the_field(as_olga, days):
    response = make(as_olga, name="Kept name", days=days)
    assert response.status_code == 400
    assert 'id="id_expires_on_error"' in response.text and 'value="Kept name"' in response.text
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token(as_olga, client):
    secret = make(as_olga).context["secret"]
    token = ApiToken.objects.get()
    response = as_olga.post(reverse("orgadmin_api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert administration_events("api_token_revoked").count() == 1
    page = as_olga.get(URL).text
    assert "trukket tilbake" in page  # the badge, in bokmål
    assert reverse("orgadmin_api_token_revoke", args=[token.pk]) not in page  # no button
    api = client.get("/fhir/Questionnaire", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401


def test_another_organisations_administrator_cannot_revoke_it(as_olga, login, otto):
    make(as_olga)
    token = ApiToken.objects.get()
    browser = login(otto)
    assert browser.post(reverse("orgadmin_api_token_revoke", args=[token.pk])).status_code == 404
    assert "Journal" not in browser.get(URL).text
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_helpers_and_leaders_do_not_reach_the_token_pages(persona, request, login, as_olga):
    make(as_olga)
    token = ApiToken.objects.get()
    browser = login(request.getfixturevalue(persona))
    assert browser.get(URL).status_code == 404
    assert make(browser).status_code == 404
    assert browser.post(reverse("orgadmin_api_token_revoke", args=[token.pk])).status_code == 404
    assert browser.get(reverse("orgadmin_api_exports")).status_code == 404
    assert ApiToken.objects.count() == 1


def test_the_exports_page_shows_progress_without_files(as_olga, org):
    make(as_olga)
    FhirExportJob.objects.create(
        organisation=org, token=ApiToken.objects.get(), state="running", done=3, total=12
    )
    page = as_olga.get(reverse("orgadmin_api_exports"))
    assert '<progress id="export-' in page.text and 'value="3"' in page.text
    assert 'hx-trigger="every 2s"' in page.text
    assert "$export-file" not in page.text
    fragment = as_olga.get(reverse("orgadmin_api_exports"), headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="export-list"')
