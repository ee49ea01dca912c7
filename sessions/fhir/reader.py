"""FHIR in: a Bundle of QuestionnaireResponses (with the Patient, RelatedPersons and, where
given, the Encounters and EpisodeOfCare they point at) turned into import rows.

The rows go through the one import path (`sessions.imports`), which checks and stores them as it
does a spreadsheet's. Read back what `sessions.fhir` writes, and what another system writes in
the same shape: the case code from the Patient's identifier (the `.../case-code` system first),
the rater from the author (the Patient: the client; a RelatedPerson: its relation), the meeting
date from the Encounter (else `authored`), a stopped response as declined or not offered with
its reason. The reason picked from the list has no field in an import row: when the helper gave
no words of their own, the reason's code stands in for them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.resource import Resource

from kor.outcomes.instruments import INSTRUMENTS
from sessions.fhir import codes
from sessions.fhir.questionnaires import TOTAL, instrument_of
from sessions.fhir.responses import NOT_COMPLETED
from sessions.imports.rows import ImportRow


class ReadError(ValueError):
    pass


def parse(data: str | bytes | dict | Resource) -> Resource:
    """A resource from FHIR JSON (text or parsed), validated by the library."""
    if isinstance(data, Resource):
        return data
    if isinstance(data, (str, bytes)):
        data = json.loads(data)
    return get_fhir_model_class(data["resourceType"]).model_validate(data)


def rows_from_bundle(bundle: Bundle | str | bytes | dict) -> list[ImportRow]:
    bundle = parse(bundle)
    if bundle.get_resource_type() != "Bundle":
        raise ReadError("not a Bundle")
    return rows_from_resources(entry.resource for entry in bundle.entry or [] if entry.resource)


def rows_from_resources(resources: Iterable[Resource | dict]) -> list[ImportRow]:
    """Rows from resources of any order (a Bundle's entries, the lines of NDJSON files)."""
    index: dict[str, dict[str, Any]] = {}
    responses = []
    for resource in map(parse, resources):
        kind = resource.get_resource_type()
        if kind == "QuestionnaireResponse":
            responses.append(resource)
        else:
            index.setdefault(kind, {})[str(resource.id)] = resource
    return [_row(line, qr, index) for line, qr in enumerate(responses, 1)]


def _ref(reference) -> tuple[str, str]:
    kind, _, ident = (reference.reference or "").rpartition("/") if reference else ("", "", "")
    return kind.rsplit("/", 1)[-1], ident


def _case_code(patient) -> str:
    identifiers = patient.identifier or []
    own = [i for i in identifiers if (i.system or "").endswith("/case-code")]
    chosen = (own or identifiers or [None])[0]
    if chosen is None or not chosen.value:
        raise ReadError(f"Patient/{patient.id} has no case code")
    return chosen.value


def _rater(qr, index) -> tuple[str, str]:
    kind, ident = _ref(qr.author or qr.source)
    person = index.get("RelatedPerson", {}).get(ident) if kind == "RelatedPerson" else None
    if person is None:
        return "client", ""
    codings = [c for concept in person.relationship or [] for c in concept.coding or []]
    own = next((c.code for c in codings if c.system == codes.code_system("relation")), None)
    role = next(
        (
            codes.RELATIONS_BY_CODE[c.code]
            for c in codings
            if c.system == codes.ROLE_CODE and c.code in codes.RELATIONS_BY_CODE
        ),
        None,
    )
    relation = own or role or "other"
    label = person.name[0].text if person.name and person.name[0].text else ""
    return relation, label or ""


def _number(answer) -> float | None:
    for field in ("valueDecimal", "valueInteger"):
        value = getattr(answer, field, None)
        if value is not None:
            return float(value)
    return None


def _scores(qr, code: str) -> tuple[tuple[float | None, ...], float | None]:
    answers = {item.linkId: _number(item.answer[0]) for item in qr.item or [] if item.answer}
    keys = INSTRUMENTS[code].item_keys
    items = tuple(answers.get(key) for key in keys)
    total = answers.get(TOTAL)
    if len(keys) == 1:  # a pictorial form: its one choice is its total
        return (), items[0]
    if all(v is None for v in items):
        return (), total
    return items, total


def _not_completed(qr) -> tuple[str, str]:
    status, reason, reason_code = "declined", "", ""
    for ext in qr.extension or []:
        if ext.url != codes.extension(NOT_COMPLETED):
            continue
        for part in ext.extension or []:
            if part.url == "status" and part.valueCode:
                status = part.valueCode
            elif part.url == "reason":
                reason = part.valueString or ""
            elif part.url == "reasonCode" and part.valueCoding:
                reason_code = part.valueCoding.code or ""
    return status, reason or reason_code


def _episode(encounter, index) -> dict[str, Any]:
    refs = (encounter.episodeOfCare or []) if encounter else []
    episode = index.get("EpisodeOfCare", {}).get(_ref(refs[0])[1]) if refs else None
    if episode is None:
        return {}
    found: dict[str, Any] = {}
    if episode.period and episode.period.start:
        found["episode_start"] = _day(episode.period.start)
    if episode.period and episode.period.end:
        found["episode_end"] = _day(episode.period.end)
    for ext in episode.extension or []:
        if ext.url == codes.extension("age-group") and ext.valueCoding:
            found["age_group"] = ext.valueCoding.code
        elif ext.url == codes.extension("end-reason") and ext.valueCoding:
            found["end_reason"] = ext.valueCoding.code
    return found


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _row(line: int, qr, index) -> ImportRow:
    code = instrument_of(qr.questionnaire or "")
    if code is None:
        raise ReadError(f"QuestionnaireResponse/{qr.id}: unknown questionnaire {qr.questionnaire}")
    _, patient_id = _ref(qr.subject)
    patient = index.get("Patient", {}).get(patient_id)
    if patient is None:
        raise ReadError(f"QuestionnaireResponse/{qr.id}: Patient/{patient_id} is not in the bundle")
    encounter = index.get("Encounter", {}).get(_ref(qr.encounter)[1])
    when = encounter.period.start if encounter and encounter.period else qr.authored
    if when is None:
        raise ReadError(f"QuestionnaireResponse/{qr.id}: no date")
    relation, label = _rater(qr, index)
    fields: dict[str, Any] = {"relation": relation, "rater_label": label}
    if qr.status == "completed":
        fields["items"], fields["total"] = _scores(qr, code)
    else:
        fields["status"], fields["declined_reason"] = _not_completed(qr)
    return ImportRow(
        line=line,
        case_code=_case_code(patient),
        meeting_date=_day(when),
        instrument=code,
        **fields,
        **_episode(encounter, index),
    )
