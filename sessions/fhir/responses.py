"""Every form as a QuestionnaireResponse, and its total score as an Observation.

A declined form, and one not offered, is a QuestionnaireResponse with status `stopped` and no
answers. Why it was not filled is in the extension `form-not-completed` (QuestionnaireResponse
has no `note` element in R4): `status` (declined | not_offered), `reasonCode` (the reason picked
from the list, sessions.decline) and `reason` (the helper's own words).
"""

from __future__ import annotations

from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from kor.outcomes.instruments import INSTRUMENTS
from sessions.fhir import codes
from sessions.fhir.people import patient_ref, rater_ref
from sessions.fhir.questionnaires import TOTAL, answer_type, instrument_coding
from sessions.models import FormResponse

NOT_COMPLETED = "form-not-completed"


def _value(kind: str, tenths: int) -> dict:
    if kind == "integer":
        return {"valueInteger": tenths // 10}
    return {"valueDecimal": tenths / 10}


def _answers(form: FormResponse) -> list[dict]:
    ins = INSTRUMENTS[form.instrument]
    kind = answer_type(ins)
    values = form.items[: len(ins.items)]
    if len(ins.items) == 1 and values[0] is None:
        values = [form.total]  # a pictorial form stored as its total only
    answers = [
        {"linkId": item.key, "answer": [_value(kind, value)]}
        for item, value in zip(ins.items, values, strict=True)
        if value is not None
    ]
    if len(ins.items) > 1 and form.total is not None:
        answers.append({"linkId": TOTAL, "answer": [_value(kind, form.total)]})
    return answers


def _not_completed(form: FormResponse) -> list[dict]:
    parts = [{"url": "status", "valueCode": form.status}]
    if form.declined_reason_code:
        parts.append(
            {
                "url": "reasonCode",
                "valueCoding": {
                    "system": codes.code_system("decline-reason"),
                    "code": form.declined_reason_code,
                },
            }
        )
    if form.declined_reason:
        parts.append({"url": "reason", "valueString": form.declined_reason})
    return [{"url": codes.extension(NOT_COMPLETED), "extension": parts}]


def questionnaire_response(form: FormResponse, client_id: int) -> QuestionnaireResponse:
    """`form` with its meeting and rater loaded."""
    data: dict = {
        "id": str(form.pk),
        "meta": {
            "lastUpdated": form.updated_at.isoformat(),
            "tag": [{"system": codes.code_system("form-source"), "code": form.source}],
        },
        "questionnaire": codes.questionnaire_url(form.instrument),
        "subject": patient_ref(client_id),
        "encounter": {"reference": f"Encounter/{form.meeting_id}"},
        "authored": form.meeting.date.isoformat(),
        "author": rater_ref(form.rater, client_id),
        "source": rater_ref(form.rater, client_id),
    }
    if form.is_completed:
        data["status"] = "completed"
        data["item"] = _answers(form)
    else:
        data["status"] = "stopped"
        data["extension"] = _not_completed(form)
    return QuestionnaireResponse(**data)


def total_observation(form: FormResponse, client_id: int) -> Observation | None:
    """The total score of a completed form (None for a form not filled)."""
    if not form.is_completed or form.total is None:
        return None
    ins = INSTRUMENTS[form.instrument]
    value = form.total // 10 if ins.decimals == 0 else form.total / 10
    return Observation(
        id=f"total-{form.pk}",
        status="final",
        category=[_survey()],
        code={"coding": [instrument_coding(ins)], "text": f"{ins.code} total score"},
        subject=patient_ref(client_id),
        encounter={"reference": f"Encounter/{form.meeting_id}"},
        effectiveDateTime=form.meeting.date.isoformat(),
        performer=[rater_ref(form.rater, client_id)],
        valueQuantity={"value": value, "unit": "score", "system": codes.UCUM, "code": "{score}"},
        derivedFrom=[{"reference": f"QuestionnaireResponse/{form.pk}"}],
    )


def _survey() -> dict:
    return {"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey"}]}
