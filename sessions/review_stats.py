"""What came of off-track reviews, for a team and its helpers over a period (issue 16, part 1).

The rule is the engine's (kor.outcomes.review): each episode counts once, by its first red spell
(off track or deteriorated), measured from its first review in the spell or, without one, from
the meeting where it turned off track; back on track when one of the next four meetings has the
status "on track". An episode belongs to the period when its reference meeting was held in it,
and to the helper who held that meeting. The follow-up may run past the period's end.

Three queries whatever the number of episodes: the episodes, their meetings with every form
(one row per form), their reviews. The status at each meeting is replayed in Python.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from clients.models import Episode
from kor.outcomes import DEFAULT_SETTINGS, PUBLISHED_MODEL, EtrModel, OutcomeSettings
from kor.outcomes.review import Case, ReviewEffect, case_of, review_effect
from sessions.models import OffTrackReview
from sessions.outcome import forms_of
from sessions.review_history import states_of


@dataclass
class ReviewFigures:
    team: ReviewEffect
    helpers: dict[int | None, ReviewEffect]
    episodes: list[Episode] = field(default_factory=list)  # whose scores were read


def review_figures(
    episodes_qs: QuerySet[Episode],
    start: datetime.date,
    end: datetime.date,
    settings: OutcomeSettings | None,
    model: EtrModel | None,
    least: int,
) -> ReviewFigures:
    """The share back on track after a review and without one, for the team and per helper.
    `episodes_qs` is already what the user may see; `least` the statistics' "too few" number."""
    settings, model = settings or DEFAULT_SETTINGS, model or PUBLISHED_MODEL
    episodes = {
        e.pk: e
        for e in episodes_qs.filter(started_on__lte=end, last_meeting_on__gte=start)
        .order_by()
        .only("pk", "client_id", "age_group", "ended_on")
    }
    forms = forms_of(list(episodes))
    reviews: dict[int, list[int]] = defaultdict(list)
    for episode_id, number in OffTrackReview.objects.filter(episode_id__in=list(forms)).values_list(
        "episode_id", "meeting_number"
    ):
        reviews[episode_id].append(number)
    cases: list[Case] = []
    read: list[Episode] = []
    for pk, (meetings, ratings) in forms.items():
        episode = episodes[pk]
        states = states_of(episode.age_group, meetings, ratings.values(), settings, model)
        case = case_of(states, reviews[pk], ended=episode.ended_on is not None)
        if case is not None and case.day is not None and start <= case.day <= end:
            cases.append(case)
            read.append(episode)
    by_helper: dict[int | None, list[Case]] = defaultdict(list)
    for case in cases:
        by_helper[case.helper].append(case)
    return ReviewFigures(
        review_effect(cases, least),
        {helper: review_effect(own, least) for helper, own in by_helper.items()},
        read,
    )
