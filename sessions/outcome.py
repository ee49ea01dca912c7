"""Recompute and cache an episode's outcome status, with the engine, after every saved form."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from clients.models import STATUS_SEVERITY, AgeGroup, Episode, Rater, Status
from kor.outcomes import PUBLISHED_MODEL, EtrModel, OutcomeSettings, assess, texts
from sessions.models import ALLIANCE_INSTRUMENTS, FormResponse, Meeting


def engine_config(organisation) -> tuple[OutcomeSettings, EtrModel]:
    """The outcome settings and expected-change model an organisation has chosen."""
    settings = OutcomeSettings.from_dict(organisation.outcome_settings or {})
    model = PUBLISHED_MODEL
    if organisation.trajectory_model_id:
        model = EtrModel.from_dict(organisation.trajectory_model.coefficients)
    return settings, model


@dataclass
class RaterResult:
    status: str
    assessment: dict[str, Any]
    flags: frozenset[str] = field(default_factory=frozenset)


@dataclass
class EpisodeResult:
    status: str
    severity: int
    flags: list[str]
    assessment: dict[str, Any]
    raters: list[RaterResult]
    latest_ors: Decimal | None
    latest_srs: Decimal | None


def assess_rater(
    ors: list[float], srs: list[float], age_group: str, settings: OutcomeSettings, model: EtrModel
) -> RaterResult:
    if not ors and not srs:
        return RaterResult(Status.NONE, {})
    if age_group == AgeGroup.YOUNG_CHILD:
        # The pictorial forms of the youngest are recorded but never get trajectories.
        reason = texts.young_child().to_dict()
        return RaterResult(Status.NONE, {"ors": ors, "srs": srs, "reasons": [reason]})
    if not ors:
        return RaterResult(Status.NONE, {"ors": ors, "srs": srs})
    result = assess(ors, srs, age_group=age_group, settings=settings, model=model)
    return RaterResult(
        result.status, result.to_dict() | {"ors": ors, "srs": srs}, frozenset(result.flags)
    )


def assess_episode(
    series: list[tuple[bool, list[float], list[float]]],
    age_group: str,
    settings: OutcomeSettings,
    model: EtrModel,
) -> EpisodeResult:
    """Assess every rater's series (is_client, ors, srs) and combine them for the episode.

    The episode takes the status of its most urgent rater and the union of the flags, so a
    parent's report of deterioration is not hidden behind the child's own ratings. The latest
    ORS and SRS shown on the dashboard are the client's own.
    """
    results = [assess_rater(ors, srs, age_group, settings, model) for _, ors, srs in series]
    worst = max(results, key=lambda r: STATUS_SEVERITY[r.status], default=None)
    status = worst.status if worst else Status.NONE
    flags = sorted(set().union(*(r.flags for r in results))) if results else []
    client = next(((ors, srs) for is_client, ors, srs in series if is_client), ([], []))
    return EpisodeResult(
        status=status,
        severity=STATUS_SEVERITY[status],
        flags=flags,
        assessment=worst.assessment if worst else {},
        raters=results,
        latest_ors=_decimal(client[0][-1]) if client[0] else None,
        latest_srs=_decimal(client[1][-1]) if client[1] else None,
    )


def rater_series(rater: Rater) -> tuple[list[float], list[float]]:
    """The rater's completed outcome and alliance totals, in meeting order."""
    ors: list[float] = []
    srs: list[float] = []
    rows = (
        FormResponse.objects.filter(rater=rater, status=FormResponse.Status.COMPLETED)
        .order_by("meeting__number")
        .values_list("instrument", "total")
    )
    for instrument, total in rows:
        (srs if instrument in ALLIANCE_INSTRUMENTS else ors).append(total / 10)
    return ors, srs


@transaction.atomic
def refresh_episode(episode: Episode) -> Episode:
    """Assess every rater of the episode and cache the results on the raters and the episode."""
    settings, model = engine_config(episode.client.organisation)
    raters = list(episode.raters.all())
    series = [(rater.is_client, *rater_series(rater)) for rater in raters]
    result = assess_episode(series, episode.age_group, settings, model)
    for rater, rater_result in zip(raters, result.raters, strict=True):
        if (rater.status, rater.assessment) != (rater_result.status, rater_result.assessment):
            rater.status, rater.assessment = rater_result.status, rater_result.assessment
            rater.save(update_fields=["status", "assessment"])

    if result.status != episode.status or result.flags != sorted(episode.flags):
        episode.status_changed_at = timezone.now()
    episode.status = result.status
    episode.severity = result.severity
    episode.flags = result.flags
    episode.assessment = result.assessment
    episode.latest_ors = result.latest_ors
    episode.latest_srs = result.latest_srs
    meetings = Meeting.objects.filter(episode=episode).order_by("-number").values("date")
    episode.meeting_count = meetings.count()
    latest = meetings.first()
    episode.last_meeting_on = latest["date"] if latest else None
    episode.save()
    return episode


def _decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 1)))
