"""`python manage.py bench fhir`: the bulk NDJSON export and a page of the search API.

Seeds (once, with --keepdb) a demo organisation of 500 clients, then times, warm:
- the bulk export of the whole organisation (every resource type, the status series included);
- one page of 200 QuestionnaireResponses through the API (token check, query, audit, JSON).
"""

from __future__ import annotations

import datetime
import tempfile
import time

from django.test import Client as Browser
from django.test.utils import override_settings
from django.utils import timezone

from kor.api_tokens import create_token
from kor.models import Organisation, User
from sessions.fhir.jobs import build_export
from sessions.models import FhirExportJob, FormResponse

SLUG = "bench-fhir"
CLIENTS = 500


def _seed(out) -> Organisation:
    from kor.demo import seed

    org = Organisation.objects.filter(slug=SLUG).first()
    if org is not None:
        return org
    result = seed(clients=CLIENTS, seed=11, name="Bench FHIR", slug=SLUG, helpers=10, teams=2)
    out.write(f"# seeded {result.clients} clients, {result.responses} forms")
    return result.organisation


def run(out, options) -> None:
    org = _seed(out)
    admin = User.objects.filter(organisation=org).first()
    token, secret = create_token(
        org,
        name="bench",
        expires_on=timezone.localdate() + datetime.timedelta(days=1),
        by=admin,
    )
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        job = FhirExportJob.objects.create(organisation=org, token=token)
        started = time.perf_counter()
        lines = build_export.call(str(job.pk))
        seconds = time.perf_counter() - started
    job.refresh_from_db()
    out.write(f"# bulk export: {job.total} clients, {lines} resources in {seconds:.1f} s")
    out.write(f"fhir_export_clients_per_s: {job.total / seconds:.1f} clients/s")

    browser = Browser(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = "/fhir/QuestionnaireResponse?_count=200"
    browser.get(url)  # warm
    times = []
    for page in range(1, 6):
        started = time.perf_counter()
        response = browser.get(f"{url}&page={page}")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    forms = FormResponse.objects.filter(meeting__episode__client__organisation=org).count()
    out.write(f"# search: {forms} forms in the organisation, 5 pages of 200")
    out.write(f"fhir_search_page_200_ms: {1000 * sorted(times)[2]:.0f} ms")
