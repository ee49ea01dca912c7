"""The one read model of an episode's outcome, and the status cache written from it.

`episode_outcome(episode)` loads the episode's raters, meetings and forms in two queries (however
many meetings and raters there are) and returns, per rater: the outcome and alliance forms with
the meeting numbers the page shows (declined and not-offered forms kept as such), the engine's
`Assessment`, the expected line and the Target; and for the episode the most urgent rater's
status, the union of the flags and the client's latest ORS/SRS. The session panel, the PDFs, the
exports and `refresh_episode` (the dashboard's cache) all read this one result.

The expected line (one rule for screen and PDF): the ETR of the rater's k-th own rating (m counts
the rater's completed ratings; a declined form does not advance it) drawn at the meeting where
that rating was given, then ahead at the meetings after the episode's last one, until the line
reaches `AHEAD` meetings past the last meeting and at least `LINE_RATINGS` ratings (where the
published short-term model reaches the Target). The whole line uses the coefficient set that
applies at the rater's current number of ratings, the set the status is measured against, so the
line's value at the latest rating is the assessment's `expected`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from clients.models import STATUS_SEVERITY, AgeGroup, Episode, Rater, Status
from kor.outcomes import (
    PUBLISHED_MODEL,
    Assessment,
    EtrModel,
    OutcomeSettings,
    Reason,
    assess,
    is_high_intake,
    texts,
)
from kor.outcomes.track import NextRating
from sessions.models import ALLIANCE_INSTRUMENTS, FormResponse, Meeting
from sessions.outcome_track import add_off_track
from sessions.review_history import spell_cache

AHEAD = 3  # meetings the expected line is drawn beyond the last meeting
LINE_RATINGS = 6  # ... and at least this many ratings: the short-term model's Target


def engine_config(organisation) -> tuple[OutcomeSettings, EtrModel]:
    """The outcome settings and expected-change model an organisation has chosen."""
    settings = OutcomeSettings.from_dict(organisation.outcome_settings or {})
    model = PUBLISHED_MODEL
    if organisation.trajectory_model_id:
        model = EtrModel.from_dict(organisation.trajectory_model.coefficients)
    return settings, model


@dataclass(frozen=True, slots=True)
class Point:
    meeting: int  # the episode's meeting number (the chart's x axis)
    value: float


@dataclass(frozen=True, slots=True)
class MeetingDay:
    pk: int | None
    number: int
    date: datetime.date
    format: str = Meeting.Format.INDIVIDUAL
    helper_id: int | None = None


@dataclass(frozen=True, slots=True)
class Rating:
    """One form of one rater in one meeting: completed, declined (with the reason) or not
    offered. Scores are in the form's own unit (0.0-10.0 an item, 1-4 on the pictorial forms)."""

    meeting: int
    instrument: str
    status: str = FormResponse.Status.COMPLETED
    total: float | None = None
    items: tuple[float, ...] = ()
    reason: str = ""  # the helper's own words
    reason_code: str = ""  # the reason chosen from the list (sessions.decline)

    @property
    def completed(self) -> bool:
        return self.status == FormResponse.Status.COMPLETED

    @property
    def is_alliance(self) -> bool:
        return self.instrument in ALLIANCE_INSTRUMENTS

    @property
    def status_label(self) -> str:
        return str(FormResponse.Status(self.status).label)


@dataclass
class RaterOutcome:
    rater: Rater
    outcome: list[Rating]  # ORS/CORS/YCORS, completed or not, in meeting order
    alliance: list[Rating]  # SRS/CSRS/YCSRS/GSRS
    assessment: Assessment | None  # None: no outcome rating yet, or a young child
    status: str
    reasons: list[Reason]
    expected: list[Point] = field(default_factory=list)
    threshold: list[Point] = field(default_factory=list)  # where "off track" begins (band)
    target: float | None = None
    next_step: NextRating | None = None  # what the next rating needs, while off track
    cache: dict[str, Any] = field(default_factory=dict)  # what the rater row caches

    @property
    def label(self) -> str:
        return str(self.rater)

    @property
    def ors(self) -> list[Point]:
        return [Point(r.meeting, r.total) for r in self.outcome if r.completed]

    @property
    def srs(self) -> list[Point]:
        return [Point(r.meeting, r.total) for r in self.alliance if r.completed]

    @property
    def declined(self) -> int:
        """How many of the rater's forms were declined (not those never offered)."""
        return sum(r.status == FormResponse.Status.DECLINED for r in self.outcome + self.alliance)

    @property
    def outcome_form(self) -> str:
        return _forms(self.outcome)

    @property
    def alliance_form(self) -> str:
        return _forms(self.alliance)

    @property
    def flags(self) -> frozenset[str]:
        return self.assessment.flags if self.assessment else frozenset()

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def reason_texts(self) -> list[str]:
        """The reasons in the active language (the page's, or the report's)."""
        lang = get_language() or "nb"
        return [reason.text(lang) for reason in self.reasons]


def _forms(ratings: list[Rating]) -> str:
    # The forms actually filled, e.g. "SRS/GSRS" for someone who was also in a group meeting.
    return "/".join(dict.fromkeys(r.instrument for r in ratings))


@dataclass
class EpisodeOutcome:
    episode: Episode
    settings: OutcomeSettings
    model: EtrModel
    meetings: list[MeetingDay]
    raters: list[RaterOutcome]
    status: str
    flags: list[str]
    assessment: dict[str, Any]  # the most urgent rater's, as the episode caches it
    latest_ors: Decimal | None
    latest_srs: Decimal | None

    @property
    def severity(self) -> int:
        return STATUS_SEVERITY[self.status]

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    @property
    def young(self) -> bool:
        return self.episode.age_group == AgeGroup.YOUNG_CHILD

    @property
    def cutoff(self) -> float | None:
        return None if self.young else self.settings.cutoff(self.episode.age_group)

    @property
    def last_meeting(self) -> int:
        return self.meetings[-1].number if self.meetings else 0

    @property
    def last_meeting_on(self) -> datetime.date | None:
        return self.meetings[-1].date if self.meetings else None

    @property
    def chart_end(self) -> int:
        """The last meeting the chart's x axis shows: room for the expected lines."""
        ends = [r.expected[-1].meeting for r in self.raters if r.expected]
        return max([self.last_meeting + AHEAD, 4, *ends])


def expected_line(
    ors: Sequence[Point], last_meeting: int, age_group: str, settings, model
) -> list[Point]:
    """The expected line of one rater (the rule in the module's docstring)."""
    n = len(ors)
    intake = ors[0].value
    coefficients = model.coefficients(age_group, n, settings)
    after = max(ors[-1].meeting, last_meeting)
    ahead = max(n + AHEAD, LINE_RATINGS) - n
    meetings = [p.meeting for p in ors] + [after + k for k in range(1, ahead + 1)]
    return [
        Point(meeting, round(coefficients.etr(intake, m), 2))
        for m, meeting in enumerate(meetings, 1)
    ]


def rater_outcome(
    rater: Rater,
    ratings: Sequence[Rating],
    age_group: str,
    last_meeting: int,
    settings: OutcomeSettings,
    model: EtrModel,
) -> RaterOutcome:
    """One rater's forms, assessed by the engine, with the expected line and the Target."""
    outcome = [r for r in ratings if not r.is_alliance]
    alliance = [r for r in ratings if r.is_alliance]
    ors = [r.total for r in outcome if r.completed]
    srs = [r.total for r in alliance if r.completed]
    result = RaterOutcome(rater, outcome, alliance, None, Status.NONE, [])
    if not ors and not srs:
        return result
    result.cache = {"ors": ors, "srs": srs}
    if age_group == AgeGroup.YOUNG_CHILD:
        # The pictorial forms of the youngest are recorded but never get trajectories.
        result.reasons = [texts.young_child()]
        result.cache["reasons"] = [r.to_dict() for r in result.reasons]
        return result
    if not ors:
        return result
    # The engine counts ratings; its reasons name the meeting each rating was given in.
    meetings = [r.meeting for r in outcome if r.completed]
    a = assess(ors, srs, age_group=age_group, settings=settings, model=model, meetings=meetings)
    result.assessment, result.status, result.reasons = a, a.status, list(a.reasons)
    result.cache = a.to_dict() | result.cache
    if not is_high_intake(ors[0], settings):
        result.expected = expected_line(result.ors, last_meeting, age_group, settings, model)
        result.target = a.target
    return result


def combine(
    episode: Episode,
    raters: Sequence[tuple[Rater, Sequence[Rating]]],
    meetings: list[MeetingDay],
    settings: OutcomeSettings,
    model: EtrModel,
) -> EpisodeOutcome:
    """The read model from data already loaded (the demo seeder builds it in memory).

    The episode takes the status of its most urgent rater and the union of the flags, so a
    parent's report of deterioration is not hidden behind the child's own ratings. The latest
    ORS and SRS shown on the dashboard are the client's own.
    """
    last = meetings[-1].number if meetings else 0
    results = [
        rater_outcome(rater, ratings, episode.age_group, last, settings, model)
        for rater, ratings in raters
    ]
    for r in results:  # the band, and while off track the next rating's figures
        add_off_track(r, Point, episode.age_group, last, settings, model, is_open=episode.is_open)
    worst = max(results, key=lambda r: STATUS_SEVERITY[r.status], default=None)
    client = next((r for r in results if r.rater.is_client), None)
    ors, srs = (client.ors, client.srs) if client else ([], [])
    return EpisodeOutcome(
        episode=episode,
        settings=settings,
        model=model,
        meetings=meetings,
        raters=results,
        status=worst.status if worst else Status.NONE,
        flags=sorted(set().union(*(r.flags for r in results))),
        assessment=worst.cache if worst else {},
        latest_ors=Decimal(f"{ors[-1].value:.1f}") if ors else None,
        latest_srs=Decimal(f"{srs[-1].value:.1f}") if srs else None,
    )


FIELDS = (
    "rater_id", "instrument", "status", "item1", "item2", "item3", "item4", "total",
    "declined_reason", "declined_reason_code",
)  # fmt: skip


def forms_of(episode_ids: Sequence[int]) -> dict[int, tuple[list[MeetingDay], dict]]:
    """Per episode, every meeting and every form filled in it ({rater id: ratings}), in one
    query however many episodes (a meeting without forms comes as one row of NULLs)."""
    rows = (
        Meeting.objects.filter(episode_id__in=episode_ids)
        .order_by("episode_id", "number", "responses__rater_id", "responses__instrument")
        .values_list(
            "episode_id", "pk", "number", "date", "format", "helper_id",
            *(f"responses__{f}" for f in FIELDS),
        )
    )  # fmt: skip
    loaded: dict[int, tuple[dict[int, MeetingDay], dict[int, list[Rating]]]] = {}
    for episode_id, pk, number, date, fmt, helper_id, rater_id, instrument, status, *rest in rows:
        meetings, ratings = loaded.setdefault(episode_id, ({}, defaultdict(list)))
        meetings.setdefault(pk, MeetingDay(pk, number, date, fmt, helper_id))
        if rater_id is None:
            continue
        *items, total, reason, reason_code = rest
        ratings[rater_id].append(
            Rating(
                meeting=number,
                instrument=instrument,
                status=status,
                total=None if total is None else total / 10,
                items=tuple(v / 10 for v in items if v is not None),
                reason=reason,
                reason_code=reason_code,
            )
        )
    return {pk: (list(m.values()), r) for pk, (m, r) in loaded.items()}


def episode_outcome(
    episode: Episode, config: tuple[OutcomeSettings, EtrModel] | None = None
) -> EpisodeOutcome:
    """The read model of one episode: raters (one query, or the caller's prefetch) and
    meetings with their forms (one query)."""
    settings, model = config or engine_config(episode.client.organisation)
    raters = list(episode.raters.all())
    meetings, ratings = forms_of([episode.pk]).get(episode.pk, ([], {}))
    pairs = [(rater, ratings.get(rater.pk, [])) for rater in raters]
    return combine(episode, pairs, meetings, settings, model)


CACHED_FIELDS = [
    "status",
    "status_model",
    "severity",
    "flags",
    "assessment",
    "latest_ors",
    "latest_srs",
    "meeting_count",
    "last_meeting_on",
    "status_changed_at",
    "updated_at",
]


def cache_on(outcome: EpisodeOutcome, episode: Episode) -> list[Rater]:
    """Put the outcome, the model that made it and the off-track spell (review_history) on the
    episode and its raters (unsaved); returns the raters that changed. Every path that caches a
    status (a save, an import, the demo) comes through here."""
    changed = []
    for result in outcome.raters:
        rater = result.rater
        if (rater.status, rater.assessment) != (result.status, result.cache):
            rater.status, rater.assessment = result.status, result.cache
            changed.append(rater)
    if outcome.status != episode.status or outcome.flags != sorted(episode.flags):
        episode.status_changed_at = timezone.now()
    episode.status = outcome.status
    episode.severity = outcome.severity
    episode.flags = outcome.flags
    episode.assessment = spell_cache(outcome)  # one query, only while in a spell
    episode.status_model_id = episode.client_id and episode.client.organisation.trajectory_model_id
    episode.latest_ors = outcome.latest_ors
    episode.latest_srs = outcome.latest_srs
    episode.meeting_count = len(outcome.meetings)
    episode.last_meeting_on = outcome.last_meeting_on
    return changed


def refresh_episode(episode: Episode) -> EpisodeOutcome:
    """Cache the episode's outcome on the episode and its raters (`cache_on`). Idempotent; 3–4
    queries (one more in a spell). Joins the caller's transaction without a savepoint, or opens
    one."""
    with transaction.atomic(savepoint=False):
        outcome = episode_outcome(episode)
        changed = cache_on(outcome, episode)
        if len(changed) == 1:  # a save changes its own rater: a plain UPDATE, quicker to build
            Rater.objects.filter(pk=changed[0].pk).update(
                status=changed[0].status, assessment=changed[0].assessment
            )
        elif changed:
            Rater.objects.bulk_update(changed, ["status", "assessment"])
        episode.save(update_fields=CACHED_FIELDS)
    return outcome
