"""The episode's status meeting by meeting, and the off-track spell cached for the dashboard.

`meeting_states` replays the status rule on the ratings given up to each meeting: the engine's
`assess` on each rater's prefix, the most urgent rater deciding, the flags united, as
`sessions.outcome.combine` does for the latest meeting (so the last state is the episode's
status). `spell_cache` puts the current spell (kor.outcomes.review) and whether it was reviewed
on the episode's cached assessment under "review", so the dashboard and the supervision list
read it with the row, in no query of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from clients.dashboard import REVIEW_KEY
from clients.models import STATUS_SEVERITY, AgeGroup, Status
from kor.outcomes import assess
from kor.outcomes.review import MeetingState, Spell, current_spell

if TYPE_CHECKING:
    from sessions.outcome import EpisodeOutcome


def _rater_states(result, outcome: EpisodeOutcome) -> dict[int, tuple[str, frozenset[str]]]:
    """One rater's (status, flags) after each meeting where they gave a rating."""
    ors = [(r.meeting, r.total) for r in result.outcome if r.completed]
    srs = [(r.meeting, r.total) for r in result.alliance if r.completed]
    out: dict[int, tuple[str, frozenset[str]]] = {}
    if not ors:
        return out
    for number in sorted({m for m, _ in ors} | {m for m, _ in srs}):
        given = [(m, t) for m, t in ors if m <= number]
        if not given:
            continue
        a = assess(
            [t for _, t in given],
            [t for m, t in srs if m <= number],
            age_group=outcome.episode.age_group,
            settings=outcome.settings,
            model=outcome.model,
            meetings=[m for m, _ in given],
        )
        out[number] = (a.status, a.flags)
    return out


def meeting_states(outcome: EpisodeOutcome) -> list[MeetingState]:
    """The episode's status and flags as they stood at each of its meetings."""
    if outcome.episode.age_group == AgeGroup.YOUNG_CHILD:
        return [MeetingState(m.number, Status.NONE, helper=m.helper_id) for m in outcome.meetings]
    per_rater = [_rater_states(r, outcome) for r in outcome.raters]
    current: list[tuple[str, frozenset[str]]] = [(Status.NONE, frozenset())] * len(per_rater)
    states = []
    for day in outcome.meetings:
        for i, states_of in enumerate(per_rater):
            current[i] = states_of.get(day.number, current[i])
        status = max((s for s, _ in current), key=STATUS_SEVERITY.__getitem__, default=Status.NONE)
        flags = frozenset().union(*(f for _, f in current))
        states.append(MeetingState(day.number, status, flags, day.helper_id, day.date))
    return states


def current(outcome: EpisodeOutcome) -> Spell | None:
    """The spell the episode is in now, with its latest review (one query, only in a spell)."""
    from sessions.models import OffTrackReview

    if not outcome.episode.is_open:
        return None
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
