"""The status of each rater at each meeting, as Observations.

The read model (`sessions.outcome`) caches only the latest assessment. The status at an earlier
meeting is what the read model said then: the same `forms_of` and `combine`, given the forms up
to that meeting only. So the series is computed by the engine through the read model, never by a
copy of its rules, and its last point is the status the client's page shows.
"""

from __future__ import annotations

from collections.abc import Iterator

from fhir.resources.R4B.observation import Observation

from clients.models import Episode, Status
from sessions.fhir import codes
from sessions.fhir.people import patient_ref, rater_ref
from sessions.outcome import MeetingDay, RaterOutcome, combine, engine_config, forms_of

STATUS_CODE = {
    "coding": [
        {"system": codes.code_system("observation"), "code": "outcome-status"},
    ],
    "text": "KOR outcome status",
}


def status_series(episode: Episode, config=None) -> Iterator[tuple[MeetingDay, RaterOutcome]]:
    """(meeting, a rater's outcome as read at that meeting), for every meeting in which the
    rater completed a form."""
    settings, model = config or engine_config(episode.client.organisation)
    raters = list(episode.raters.all())
    meetings, ratings = forms_of([episode.pk]).get(episode.pk, ([], {}))
    for k, day in enumerate(meetings, 1):
        upto = [
            (rater, [r for r in ratings.get(rater.pk, []) if r.meeting <= day.number])
            for rater in raters
        ]
        outcome = combine(episode, upto, meetings[:k], settings, model)
        for result in outcome.raters:
            rated = result.outcome + result.alliance
            if any(r.meeting == day.number and r.completed for r in rated):
                yield day, result


def status_observation(day: MeetingDay, result: RaterOutcome, client_id: int) -> Observation:
    rater = result.rater
    data: dict = {
        "id": f"status-{day.pk}-{rater.pk}",
        "status": "final",
        "category": [
            {"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey"}]},
        ],
        "code": STATUS_CODE,
        "subject": patient_ref(client_id),
        "encounter": {"reference": f"Encounter/{day.pk}"},
        "effectiveDateTime": day.date.isoformat(),
        "performer": [rater_ref(rater, client_id)],
        "valueCodeableConcept": {
            "coding": [
                {
                    "system": codes.code_system("outcome-status"),
                    "code": result.status,
                    "display": str(Status(result.status).label),
                }
            ]
        },
    }
    flags = [
        {
            "code": {"coding": [{"system": codes.code_system("observation"), "code": "flag"}]},
            "valueCodeableConcept": {
                "coding": [{"system": codes.code_system("outcome-flag"), "code": flag}]
            },
        }
        for flag in sorted(result.flags)
    ]
    if flags:
        data["component"] = flags
    if result.reasons:
        data["note"] = [{"text": text} for text in result.reason_texts]
    return Observation(**data)
