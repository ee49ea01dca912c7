"""The client as a Patient, the other raters as RelatedPersons, the episode as an EpisodeOfCare
and each meeting as an Encounter.

The Patient and RelatedPerson follow HL7 Norway's no-basis profiles (meta.profile says so); the
client is identified by the organisation's case code. The national identity number
(fødselsnummer, urn:oid:2.16.578.1.12.4.1.4.1) is not stored by the app (data minimisation: a
case code and a birth year), so it is never sent.
"""

from __future__ import annotations

from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.episodeofcare import EpisodeOfCare
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.relatedperson import RelatedPerson

from clients.models import Client, Episode, Rater
from sessions.fhir import codes
from sessions.models import Meeting


def patient_ref(client_id: int) -> dict:
    return {"reference": f"Patient/{client_id}"}


def rater_ref(rater: Rater, client_id: int) -> dict:
    """Who filled a form: the Patient for the client, a RelatedPerson for anyone else."""
    if rater.is_client:
        return patient_ref(client_id)
    return {"reference": f"RelatedPerson/{rater.pk}"}


def patient(client: Client) -> Patient:
    data: dict = {
        "id": str(client.pk),
        "meta": {"profile": [codes.NO_BASIS_PATIENT]},
        "identifier": [
            {
                "use": "usual",
                "system": codes.case_code_system(client.organisation),
                "value": client.case_code,
            }
        ],
        "active": client.active and client.anonymised_at is None,
        "managingOrganization": {"display": client.organisation.name},
    }
    if client.name and client.anonymised_at is None:
        data["name"] = [{"text": client.name}]
    if client.birth_year:
        data["birthDate"] = str(client.birth_year)  # a year is a FHIR date
    return Patient(**data)


def related_person(rater: Rater, client_id: int) -> RelatedPerson:
    relationship: dict = {"text": str(rater.get_relation_display())}
    if rater.relation in codes.RELATION_CODES:
        code, display = codes.RELATION_CODES[rater.relation]
        relationship["coding"] = [{"system": codes.ROLE_CODE, "code": code, "display": display}]
    # The app's own relation code too: "teacher" and "other" have no RoleCode, and the reader
    # must get back exactly the relation that was stored.
    relationship.setdefault("coding", []).append(
        {"system": codes.code_system("relation"), "code": rater.relation}
    )
    data: dict = {
        "id": str(rater.pk),
        "meta": {"profile": [codes.NO_BASIS_RELATED_PERSON]},
        "patient": patient_ref(client_id),
        "relationship": [relationship],
    }
    if rater.label:
        data["name"] = [{"text": rater.label}]
    return RelatedPerson(**data)


def episode_of_care(episode: Episode) -> EpisodeOfCare:
    period = {"start": episode.started_on.isoformat()}
    if episode.ended_on:
        period["end"] = episode.ended_on.isoformat()
    extensions = [
        {
            "url": codes.extension("age-group"),
            "valueCoding": {"system": codes.code_system("age-group"), "code": episode.age_group},
        }
    ]
    if episode.end_reason:
        extensions.append(
            {
                "url": codes.extension("end-reason"),
                "valueCoding": {
                    "system": codes.code_system("end-reason"),
                    "code": episode.end_reason,
                },
            }
        )
    return EpisodeOfCare(
        id=str(episode.pk),
        extension=extensions,
        status="finished" if episode.ended_on else "active",
        patient=patient_ref(episode.client_id),
        period=period,
    )


def encounter(meeting: Meeting, client_id: int) -> Encounter:
    return Encounter(
        id=str(meeting.pk),
        status="finished",
        # Ambulatory: the meetings of a municipal service are outpatient contacts.
        **{"class": {"system": codes.ACT_CODE, "code": "AMB", "display": "ambulatory"}},
        type=[{"text": str(meeting.get_format_display())}],
        subject=patient_ref(client_id),
        episodeOfCare=[{"reference": f"EpisodeOfCare/{meeting.episode_id}"}],
        period={"start": meeting.date.isoformat(), "end": meeting.date.isoformat()},
    )
