"""The read-only FHIR API: metadata, Questionnaire, QuestionnaireResponse search, Patient.

Everything a token reads is looked up through `readable_by_token` (its organisation only; 404
otherwise) and every client whose data is answered gets a row in their audit trail.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from clients.models import Client
from kor.audit import record_many
from kor.outcomes.instruments import INSTRUMENTS
from sessions.fhir import search
from sessions.fhir.auth import api_view, fhir_response, outcome
from sessions.fhir.bundles import searchset
from sessions.fhir.capability import capability_statement
from sessions.fhir.people import patient
from sessions.fhir.questionnaires import all_questionnaires, questionnaire
from sessions.fhir.responses import questionnaire_response
from sessions.models import FormResponse


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("fhir_metadata")).removesuffix("/metadata")


def audit_reads(request: HttpRequest, client_ids, resource: str) -> None:
    """One audit row per client whose data the answer holds, in the client's trail."""
    token = request.api_token
    record_many(
        "view",
        [Client(pk=pk) for pk in sorted(set(client_ids))],
        request=request,
        organisation_id=token.organisation_id,
        api_token=token.pk,
        username=f"API: {token.name}",
        resource=resource,
    )


@api_view("GET", token=False)
def metadata(request: HttpRequest) -> HttpResponse:
    # Public, as FHIR clients expect: it says what the server can do, nothing of anyone's data.
    return fhir_response(capability_statement(base_url(request)))


@api_view("GET")
def questionnaires(request: HttpRequest) -> HttpResponse:
    found = all_questionnaires()
    links = {"self": request.build_absolute_uri()}
    return fhir_response(searchset(found, total=len(found), links=links, base=base_url(request)))


@api_view("GET")
def questionnaire_read(request: HttpRequest, questionnaire_id: str) -> HttpResponse:
    code = questionnaire_id.upper()
    if code not in INSTRUMENTS:
        return outcome(404, "not-found", f"Questionnaire/{questionnaire_id} is not known.")
    return fhir_response(questionnaire(code))


@api_view("GET")
def patient_read(request: HttpRequest, patient_id: int) -> HttpResponse:
    client = (
        Client.objects.readable_by_token(request.api_token)
        .select_related("organisation")
        .filter(pk=patient_id)
        .first()
    )
    if client is None:
        return outcome(404, "not-found", f"Patient/{patient_id} is not known.")
    audit_reads(request, [client.pk], "Patient")
    return fhir_response(patient(client))


@api_view("GET")
def questionnaire_responses(request: HttpRequest) -> HttpResponse:
    try:
        forms, per_page = _search(request)
    except search.SearchError as error:
        return outcome(400, "invalid", str(error))
    page = Paginator(forms, per_page).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    audit_reads(request, [f.meeting.episode.client_id for f in rows], "QuestionnaireResponse")
    resources = [questionnaire_response(f, f.meeting.episode.client_id) for f in rows]
    bundle = searchset(
        resources, total=page.paginator.count, links=_links(request, page), base=base_url(request)
    )
    return fhir_response(bundle)


def _search(request: HttpRequest):
    forms = (
        FormResponse.objects.readable_by_token(request.api_token)
        .select_related("meeting__episode", "rater")
        .order_by("updated_at", "pk")
    )
    if request.GET.get("patient"):
        forms = forms.filter(meeting__episode__client_id=search.patient_id(request.GET["patient"]))
    if values := request.GET.getlist("_lastUpdated"):
        forms = forms.filter(search.last_updated(values))
    return forms, search.count(request.GET.get("_count"))


def _links(request: HttpRequest, page) -> dict[str, str]:
    def at(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    links = {"self": at(page.number)}
    if page.has_next():
        links["next"] = at(page.next_page_number())
    if page.has_previous():
        links["previous"] = at(page.previous_page_number())
    return links
