"""The FHIR output validates with fhir.resources (R4B) for every instrument, a declined form and
a family with three raters; the status at each meeting comes from the read model."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B import get_fhir_model_class

from clients.models import Rater
from kor.outcomes.instruments import INSTRUMENTS
from sessions.fhir import codes
from sessions.fhir.bundles import client_resources, collection
from sessions.fhir.questionnaires import all_questionnaires
from sessions.models import FormResponse, Meeting
from sessions.outcome import episode_outcome
from tests.conftest import add_meetings, make_client

pytestmark = pytest.mark.django_db

SNOMED = {
    "ORS": "716613004",
    "SRS": "720482000",
    "CORS": "718458005",
    "CSRS": "718762000",
    "GSRS": "718441000",
    "YCORS": "718461006",
}


def roundtrip(resource):
    """Serialise and parse back with the library: what a receiving system would do."""
    data = json.loads(resource.model_dump_json())
    return get_fhir_model_class(data["resourceType"]).model_validate(data)


def by_type(resources):
    found: dict[str, list] = {}
    for r in resources:
        found.setdefault(r.get_resource_type(), []).append(roundtrip(r))
    return found


def test_every_instrument_is_a_questionnaire_with_its_snomed_code_and_ranges():
    questionnaires = {q.name: roundtrip(q) for q in all_questionnaires()}
    assert set(questionnaires) == set(INSTRUMENTS)
    for name, code in SNOMED.items():
        coding = questionnaires[name].code[0]
        assert (coding.system, coding.code) == (codes.SNOMED, code)
    ors = questionnaires["ORS"]
    assert [i.linkId for i in ors.item] == [
        "individually", "interpersonally", "socially", "overall", "total"
    ]  # fmt: skip
    ranges = {e.url.rsplit("/", 1)[1]: e.valueDecimal for e in ors.item[0].extension}
    assert ranges == {"minValue": 0, "maxValue": 10}
    total = {e.url.rsplit("/", 1)[1]: e.valueDecimal for e in ors.item[4].extension}
    assert total == {"minValue": 0, "maxValue": 40}
    young = questionnaires["YCSRS"]
    assert young.code[0].system == codes.code_system("instrument")
    assert young.item[0].type == "integer"


@pytest.mark.parametrize("instrument", sorted(INSTRUMENTS))
def test_a_form_of_every_instrument_validates(instrument, org, north, alice):
    age = {"CORS": "child", "CSRS": "child", "YCORS": "young_child", "YCSRS": "young_child"}
    client = make_client(org, north, alice, "I-1", age_group=age.get(instrument, "adult"))
    episode = client.episodes.get()
    meeting = Meeting.objects.create(
        episode=episode, number=1, date=episode.started_on, helper=alice
    )
    young = instrument.startswith("YC")
    items = {"item1": 30} if young else {"item1": 55, "item2": 61, "item3": 70, "item4": 84}
    FormResponse.objects.create(
        meeting=meeting,
        rater=episode.raters.get(),
        instrument=instrument,
        total=sum(items.values()),
        **items,
    )
    found = by_type(client_resources(client))
    (response,) = found["QuestionnaireResponse"]
    assert response.status == "completed"
    assert response.questionnaire == codes.questionnaire_url(instrument)
    assert response.subject.reference == f"Patient/{client.pk}"
    assert response.author.reference == f"Patient/{client.pk}"
    assert response.encounter.reference == f"Encounter/{meeting.pk}"
    answers = {i.linkId: i.answer[0] for i in response.item}
    if young:
        assert answers["picture"].valueInteger == 3
    else:
        first = INSTRUMENTS[instrument].items[0].key
        assert answers[first].valueDecimal == pytest.approx(5.5)
        assert answers["total"].valueDecimal == pytest.approx(27.0)
    totals = [o for o in found["Observation"] if o.id.startswith("total-")]
    assert totals[0].valueQuantity.value == pytest.approx(3 if young else 27.0)
    assert totals[0].code.coding[0].code == SNOMED.get(instrument, instrument)


def test_a_declined_form_is_stopped_with_its_reason(org, north, alice):
    client = make_client(org, north, alice, "D-1")
    episode = client.episodes.get()
    add_meetings(episode, ors=[20.0, None], srs=[36.0, 37.0])
    FormResponse.objects.filter(status="declined").update(
        declined_reason_code="too_distressed", declined_reason="a hard week"
    )
    found = by_type(client_resources(client))
    stopped = [r for r in found["QuestionnaireResponse"] if r.status == "stopped"]
    assert len(stopped) == 1
    assert stopped[0].item is None
    (ext,) = stopped[0].extension
    assert ext.url == codes.extension("form-not-completed")
    parts = {e.url: e for e in ext.extension}
    assert parts["status"].valueCode == "declined"
    assert parts["reasonCode"].valueCoding.code == "too_distressed"
    assert parts["reason"].valueString == "a hard week"
    # A form not filled has no total score.
    assert f"total-{stopped[0].id}" not in {o.id for o in found["Observation"]}


def test_a_family_with_three_raters(family):
    episode = family.episodes.get()
    found = by_type(client_resources(family))
    bundle = roundtrip(collection(client_resources(family), base="https://kor.test/fhir"))
    assert bundle.type == "collection"

    (patient,) = found["Patient"]
    assert patient.meta.profile == [codes.NO_BASIS_PATIENT]
    (identifier,) = patient.identifier  # no national identity number: the app stores none
    assert (identifier.system, identifier.value) == (
        codes.case_code_system(family.organisation),
        "F-010",
    )
    assert patient.birthDate == 2016 or str(patient.birthDate) == "2016"

    relatives = {r.name[0].text: r for r in found["RelatedPerson"]}
    assert set(relatives) == {"Mum", "Dad"}
    assert relatives["Mum"].meta.profile == [codes.NO_BASIS_RELATED_PERSON]
    assert relatives["Mum"].relationship[0].coding[0].code == "MTH"
    assert relatives["Dad"].relationship[0].coding[0].code == "FTH"

    authors = {r.author.reference for r in found["QuestionnaireResponse"]}
    mother, father = episode.raters.exclude(relation=Rater.Relation.CLIENT).order_by("pk")
    assert authors == {
        f"Patient/{family.pk}", f"RelatedPerson/{mother.pk}", f"RelatedPerson/{father.pk}"
    }  # fmt: skip
    assert len(found["Encounter"]) == 4
    assert (
        len(found["QuestionnaireResponse"])
        == FormResponse.objects.filter(meeting__episode=episode).count()
    )


def test_the_status_at_each_meeting_ends_where_the_read_model_is(family):
    episode = family.episodes.get()
    found = by_type(client_resources(family))
    statuses = [o for o in found["Observation"] if o.id.startswith("status-")]
    assert statuses, "a status per rater and meeting"
    latest = {}
    for o in statuses:
        latest[o.performer[0].reference] = o  # in meeting order
    outcome = episode_outcome(episode)
    for result in outcome.raters:
        ref = (
            f"Patient/{family.pk}" if result.rater.is_client
            else f"RelatedPerson/{result.rater.pk}"
        )  # fmt: skip
        observed = latest[ref]
        assert observed.valueCodeableConcept.coding[0].code == result.status
        flags = {c.valueCodeableConcept.coding[0].code for c in observed.component or []}
        assert flags == set(result.flags)
    # The first meeting: every rater who rated is at intake.
    first = [o for o in statuses if str(o.effectiveDateTime) == str(episode.started_on)]
    assert {o.valueCodeableConcept.coding[0].code for o in first} == {"intake"}
