"""Demo clients built the way a helper builds them, through the app's own services.

The bulk of the demo goes in with bulk inserts (kor.demo), so that 50,000 clients take minutes.
Each of the first helpers also gets three clients made exactly as in the app: registered through
the intake (`register_client`), meetings started on past dates as when paper forms are entered
(`start_meeting`), every form saved through `record_form` (status and flags recomputed, audit row
written) and one episode ended as a dropout through `end_episode`. So the clients a demo user
opens first have the history a real service's clients get, audit trail included.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass

from django.db import transaction

from clients.intake import register_client
from clients.models import AgeGroup, Client, ClientLanguage, Episode, Rater
from kor.audit import record
from kor.models import Organisation, Team, User
from sessions.episodes import end_episode
from sessions.models import Meeting
from sessions.services import add_goal, add_rater, forms_for, record_form, start_meeting


@dataclass(frozen=True)
class Story:
    """One client's course: ORS totals per meeting (one per rater), SRS totals, the ending."""

    age: int
    weeks_ago: int  # when the episode started
    outcome: tuple[float, ...]  # the client's ORS/CORS totals, one per meeting
    alliance: tuple[float, ...]  # SRS/CSRS totals, one per meeting
    partner: tuple[float, ...] = ()  # a second rater's outcome totals (partner or mother)
    goal: str = ""
    dropout_weeks_after: int | None = None  # ended as a dropout this long after the last meeting


# Three courses a service sees every week: a client who responds, one who stays flat and whose
# alliance drops (off track, alliance alert: the supervision list's case), and an adolescent
# who drops out after the intake and two meetings.
STORIES = (
    Story(
        age=34,
        weeks_ago=10,
        outcome=(17.2, 19.8, 23.1, 25.4, 27.9),
        alliance=(36.5, 37.8, 38.2, 38.9, 39.1),
        goal="Sove bedre om natta",
    ),
    Story(
        age=41,
        weeks_ago=13,
        outcome=(14.1, 14.6, 13.9, 14.4, 13.6, 14.0),
        alliance=(37.9, 38.1, 37.2, 36.0, 33.8, 31.5),
        partner=(18.0, 17.6, 17.9, 16.8, 17.1, 16.5),
        goal="Krangle mindre hjemme",
    ),
    Story(
        age=15,
        weeks_ago=26,
        outcome=(19.5, 21.0, 20.2),
        alliance=(34.0, 31.6, 30.9),
        goal="Gå på skolen hver dag",
        dropout_weeks_after=4,
    ),
)
STORY_HELPERS = 5  # the helpers whose logins the seeder prints


def seed_stories(
    org: Organisation,
    helpers: list[User],
    teams: list[Team],
    today: datetime.date,
    seed: int,
    limit: int,
) -> list[Client]:
    """The story clients of the first helpers, at most `limit` of them."""
    rng = random.Random(seed)
    made = []
    with transaction.atomic():
        for i, helper in enumerate(helpers[:STORY_HELPERS]):
            team = teams[i % len(teams)]
            for story in STORIES[: max(0, limit - len(made))]:
                made.append(_tell(story, org, helper, team, today, rng))
    return made


def _tell(
    story: Story,
    org: Organisation,
    helper: User,
    team: Team,
    today: datetime.date,
    rng: random.Random,
) -> Client:
    start = today - datetime.timedelta(weeks=story.weeks_ago)
    client, _ = register_client(
        None,
        data={
            "token": uuid.uuid4(),  # the intake form's hidden token
            "case_code": "",  # the organisation's pattern gives the next code
            "team": team,
            "helper": helper,
            "birth_year": today.year - story.age,
            "age_group": "",
            "language": ClientLanguage.objects.get(code="nb"),
            "forms_consent": "yes",
            "forms_consent_on": start,
            "started_on": start,
        },
        by=helper,
    )
    episode = Episode.objects.get(client=client)
    raters = [Rater.objects.get(episode=episode)]
    if story.partner:
        relation = (
            Rater.Relation.MOTHER if episode.age_group != AgeGroup.ADULT else Rater.Relation.PARTNER
        )
        rater = add_rater(episode=episode, relation=relation, label="")[0]
        record("create", rater, user=helper, client_id=client.pk, relation=relation)
        raters.append(rater)
    if story.goal:
        goal = add_goal(episode=episode, text=story.goal, by=helper)[0]
        record("create", goal, user=helper, client_id=client.pk)
    last = start
    for n, total in enumerate(story.outcome):
        last = start + datetime.timedelta(weeks=2 * n)
        outcomes = [total, *([story.partner[n]] if story.partner else [])]
        _meeting(episode, raters, helper, last, outcomes, story.alliance[n], rng)
    if story.dropout_weeks_after is not None:
        end_episode(
            episode=episode,
            ended_on=min(today, last + datetime.timedelta(weeks=story.dropout_weeks_after)),
            reason=Episode.EndReason.DROPOUT,
            by=helper,
        )
    return client


def _meeting(episode, raters, helper, day, outcomes, alliance, rng) -> None:
    """A meeting entered from paper: started on its date, then each rater's forms saved."""
    meeting = start_meeting(
        episode=episode, date=day, format=Meeting.Format.INDIVIDUAL, helper=helper
    )
    record("create", meeting, user=helper, client_id=episode.client_id, number=meeting.number)
    for rater, outcome in zip(raters, outcomes, strict=True):
        outcome_form, alliance_form = forms_for(episode, rater, meeting)
        record_form(
            meeting=meeting,
            rater=rater,
            instrument=outcome_form,
            items=_items(outcome, rng),
            by=helper,
        )
        if alliance_form and rater.relation == Rater.Relation.CLIENT:
            record_form(
                meeting=meeting,
                rater=rater,
                instrument=alliance_form,
                items=_items(alliance, rng),
                by=helper,
            )


def _items(total: float, rng: random.Random) -> list[int]:
    """Four item scores in tenths (0–100 each) that add up to `total` (0–40), some lines higher
    than others as on a real form."""
    tenths = round(total * 10)
    items = [tenths // 4 + (k < tenths % 4) for k in range(4)]
    for _ in range(3):
        a, b = rng.sample(range(4), 2)
        step = min(rng.randint(0, 12), items[a], 100 - items[b])
        items[a] -= step
        items[b] += step
    return items
