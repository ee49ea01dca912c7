"""The episode's status meeting by meeting, and the off-track spell cached for the dashboard.

`meeting_states` replays the status rule on the ratings given up to each meeting: the engine's
`assess` on each rater's prefix, the most urgent rater deciding, the flags united, as
`sessions.outcome.combine` does for the latest meeting (so the last state is the episode's
status). `spell_cache` puts the current spell (kor.outcomes.review) and whether it was reviewed
on the episode's cached assessment under "review", so the dashboard and the supervision list
read it with the row, in no query of their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from clients.models import STATUS_SEVERITY, AgeGroup, Status
from clients.review_marks import REVIEW_KEY
from kor.outcomes import EtrModel, OutcomeSettings, assess
from kor.outcomes.review import MeetingState, Spell, current_spell

if TYPE_CHECKING:
    from sessions.outcome import EpisodeOutcome, MeetingDay, Rating


def _rater_states(
    ratings: Sequence[Rating], age_group: str, settings: OutcomeSettings, model: EtrModel
) -> dict[int, tuple[str, frozenset[str]]]:
    """One rater's (status, flags) after each meeting where they gave a rating."""
    done = [r for r in ratings if r.completed]
    ors = [(r.meeting, r.total) for r in done if not r.is_alliance]
    srs = [(r.meeting, r.total) for r in done if r.is_alliance]
    out: dict[int, tuple[str, frozenset[str]]] = {}
    for number in sorted({m for m, _ in ors} | {m for m, _ in srs}):
        given = [(m, t) for m, t in ors if m <= number]
        if not given:
            continue
        a = assess(
            [t for _, t in given],
            [t for m, t in srs if m <= number],
            age_group=age_group,
            settings=settings,
            model=model,
            meetings=[m for m, _ in given],
        )
        out[number] = (a.status, a.flags)
    return out


def states_of(
    age_group: str,
    meetings: Sequence[MeetingDay],
    raters: Iterable[Sequence[Rating]],
    settings: OutcomeSettings,
    model: EtrModel,
) -> list[MeetingState]:
    """The episode's status and flags as they stood at each of its meetings: per meeting, the
    most urgent rater's status by their ratings so far, and the union of the flags."""
    if age_group == AgeGroup.YOUNG_CHILD:
        return [
            MeetingState(m.number, Status.NONE, helper=m.helper_id, day=m.date) for m in meetings
        ]
    per_rater = [_rater_states(ratings, age_group, settings, model) for ratings in raters]
    current: list[tuple[str, frozenset[str]]] = [(Status.NONE, frozenset())] * len(per_rater)
    states = []
    for day in meetings:
        for i, states_of_rater in enumerate(per_rater):
            current[i] = states_of_rater.get(day.number, current[i])
        status = max((s for s, _ in current), key=STATUS_SEVERITY.__getitem__, default=Status.NONE)
        flags = frozenset().union(*(f for _, f in current))
        states.append(MeetingState(day.number, status, flags, day.helper_id, day.date))
    return states


def meeting_states(outcome: EpisodeOutcome) -> list[MeetingState]:
    """The states of the episode the read model holds (no query)."""
    raters = [r.outcome + r.alliance for r in outcome.raters]
    return states_of(
        outcome.episode.age_group, outcome.meetings, raters, outcome.settings, outcome.model
    )


def current(outcome: EpisodeOutcome) -> Spell | None:
    """The spell the episode is in now, with its latest review (one query, only in a spell)."""
    from sessions.models import OffTrackReview

    latest = MeetingState(0, outcome.status, frozenset(outcome.flags))
    if not outcome.episode.is_open or not latest.trigger:
        return None  # no spell now: the history is not needed (most saves stop here)
    spell = current_spell(meeting_states(outcome))
    if spell is None or outcome.episode.pk is None:
        return spell
    reviewed = (
        OffTrackReview.objects.filter(episode=outcome.episode, meeting_number__gte=spell.since)
        .order_by("-meeting_number")
        .values_list("meeting_number", flat=True)
        .first()
    )
    return Spell(spell.trigger, spell.since, spell.meetings, reviewed)


def spell_cache(outcome: EpisodeOutcome) -> dict[str, Any]:
    """The assessment the episode caches, with the spell under REVIEW_KEY when there is one.
    A copy: the rater whose assessment this is keeps its own."""
    spell = current(outcome)
    if spell is None:
        return outcome.assessment
    return {**outcome.assessment, REVIEW_KEY: spell.to_dict()}
