"""A client's whole record as FHIR resources, and the Bundles the API answers with."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource

from clients.models import Client
from sessions.fhir import people, responses, series
from sessions.models import FormResponse, Meeting


def client_resources(client: Client) -> Iterator[Resource]:
    """Patient, RelatedPersons, EpisodeOfCare, Encounters, QuestionnaireResponses and the
    Observations (every total score, and every rater's status at every meeting)."""
    yield people.patient(client)
    for episode in client.episodes.order_by("started_on", "pk"):
        episode.client = client
        raters = list(episode.raters.all())
        for rater in raters:
            if not rater.is_client:
                yield people.related_person(rater, client.pk)
        yield people.episode_of_care(episode)
        meetings = {m.pk: m for m in Meeting.objects.filter(episode=episode).order_by("number")}
        for meeting in meetings.values():
            yield people.encounter(meeting, client.pk)
        by_pk = {r.pk: r for r in raters}
        forms = FormResponse.objects.filter(meeting__episode=episode).order_by(
            "meeting__number", "rater_id", "instrument"
        )
        for form in forms:
            form.meeting, form.rater = meetings[form.meeting_id], by_pk[form.rater_id]
            yield responses.questionnaire_response(form, client.pk)
            if (total := responses.total_observation(form, client.pk)) is not None:
                yield total
        for day, result in series.status_series(episode):
            yield series.status_observation(day, result, client.pk)


def full_url(base: str, r: Resource) -> str:
    return f"{base.rstrip('/')}/{r.get_resource_type()}/{r.id}"


def searchset(
    resources: Iterable[Resource], *, total: int, links: dict[str, str], base: str
) -> Bundle:
    return Bundle(
        type="searchset",
        total=total,
        link=[{"relation": relation, "url": url} for relation, url in links.items()],
        entry=[
            {"fullUrl": full_url(base, r), "resource": r, "search": {"mode": "match"}}
            for r in resources
        ],
    )


def collection(resources: Iterable[Resource], *, base: str) -> Bundle:
    return Bundle(
        type="collection",
        entry=[{"fullUrl": full_url(base, r), "resource": r} for r in resources],
    )
