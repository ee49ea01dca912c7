"""Recompute and cache an episode's outcome status, with the engine, after every saved form."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from kor.outcomes import assess
from kor.outcomes.config import OutcomeSettings
from kor.outcomes.model import PUBLISHED_MODEL, EtrModel

from clients.models import STATUS_SEVERITY, AgeGroup, Episode, Rater, Status


def engine_config(organisation) -> tuple[OutcomeSettings, EtrModel]:
    """The outcome settings and expected-change model an organisation has chosen."""
    settings = OutcomeSettings.from_dict(organisation.outcome_settings or {})
    model = PUBLISHED_MODEL
    if organisation.trajectory_model_id:
        model = EtrModel.from_dict(organisation.trajectory_model.coefficients)
    return settings, model


def rater_series(rater: Rater) -> tuple[list[float], list[float]]:
    """The rater's completed outcome and alliance totals, in meeting order."""
    from sessions.models import ALLIANCE_INSTRUMENTS, OUTCOME_INSTRUMENTS, FormResponse

    ors: list[float] = []
    srs: list[float] = []
    rows = (
        FormResponse.objects.filter(rater=rater, status=FormResponse.Status.COMPLETED)
        .order_by("meeting__number")
        .values_list("instrument", "total")
    )
    for instrument, total in rows:
        if instrument in OUTCOME_INSTRUMENTS:
            ors.append(total / 10)
        elif instrument in ALLIANCE_INSTRUMENTS:
            srs.append(total / 10)
    return ors, srs


@transaction.atomic
def refresh_episode(episode: Episode) -> Episode:
    """Assess every rater of the episode and cache the result on raters and episode.

    The episode takes the status of its most urgent rater and the union of the flags, so a
    parent's report of deterioration is not hidden behind the child's own ratings.
    """
    from sessions.models import Meeting

    settings, model = engine_config(episode.client.organisation)
    age_group = episode.age_group
    worst: tuple[int, Rater | None, dict] = (-1, None, {})
    flags: set[str] = set()
    client_ors: list[float] = []
    client_srs: list[float] = []
    for rater in episode.raters.all():
        ors, srs = rater_series(rater)
        if rater.is_client:
            client_ors, client_srs = ors, srs
        if not ors and not srs:
            rater.status, rater.assessment = Status.NONE, {}
        elif age_group == AgeGroup.YOUNG_CHILD or not ors:
            # Pictorial forms of the youngest are recorded but never get trajectories.
            rater.status, rater.assessment = Status.NONE, {"ors": ors, "srs": srs}
        else:
            result = assess(ors, srs, age_group=age_group, settings=settings, model=model)
            rater.status = result.status
            rater.assessment = result.to_dict() | {"ors": ors, "srs": srs}
            flags |= set(result.flags)
        rater.save(update_fields=["status", "assessment"])
        severity = STATUS_SEVERITY[rater.status]
        if severity > worst[0]:
            worst = (severity, rater, rater.assessment)

    _, worst_rater, assessment = worst
    new_status = worst_rater.status if worst_rater else Status.NONE
    if new_status != episode.status or sorted(flags) != sorted(episode.flags):
        episode.status_changed_at = timezone.now()
    episode.status = new_status
    episode.severity = STATUS_SEVERITY[new_status]
    episode.flags = sorted(flags)
    episode.assessment = assessment | {"rater_id": worst_rater.pk if worst_rater else None}
    meetings = Meeting.objects.filter(episode=episode).order_by("-number").values("date")
    episode.meeting_count = meetings.count()
    latest = meetings.first()
    episode.last_meeting_on = latest["date"] if latest else None
    episode.latest_ors = _decimal(client_ors[-1]) if client_ors else None
    episode.latest_srs = _decimal(client_srs[-1]) if client_srs else None
    episode.save()
    return episode


def _decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 1)))
