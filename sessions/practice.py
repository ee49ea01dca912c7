"""My practice: a helper's own outcome figures per quarter and over the last 12 months, beside
their team's, and before, during and after each period of deliberate practice they marked.

Which episodes count is the statistics page's rule (sessions.statistics, kor.outcomes.summarize):
episodes closed in the period, one rater standing for each client. "The helper's" are those of
clients they are responsible for (as on the statistics page); "the team's" those of clients in the
helper's teams (the helper's own among them). Every figure is the engine's
(kor.outcomes.practice), with its n and a 95 % interval; the page shows "too few" below
`statistics.min_clients()` clients behind a figure, as the statistics page does.

A period of deliberate practice of L days is compared with the L days before it and the L days
after it (episodes closed in each), so the three stretches are the same length.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from clients.models import Episode
from kor.models import Membership, User
from kor.outcomes import OutcomeSettings, RaterSeries
from kor.outcomes.model import EtrModel
from kor.outcomes.practice import ClientFacts, client_facts, practice_figures
from sessions import statistics as stats
from sessions.models import PracticePeriod

QUARTERS = 8  # the trend: this quarter and the seven before it
YEAR_DAYS = 365  # "the last 12 months", as the statistics page's default period


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    start: datetime.date
    end: datetime.date
    tick: str = ""  # the short label under a chart's axis

    def holds(self, day: datetime.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def last_quarters(today: datetime.date, count: int = QUARTERS) -> list[Period]:
    """The last `count` calendar quarters, oldest first; the last one runs to today."""
    out = []
    start = quarter_start(today)
    end = today
    for _step in range(count):
        quarter = {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
        tick = _("Q%(quarter)s") % quarter + f"<br>{start.year}"
        out.append(Period(_("Q%(quarter)s %(year)s") % quarter, start, end, tick))
        end = start - datetime.timedelta(days=1)
        start = quarter_start(end)
    return out[::-1]


def last_year(today: datetime.date) -> Period:
    return Period("12", today - datetime.timedelta(days=YEAR_DAYS), today)


def around(period: PracticePeriod, today: datetime.date) -> dict[str, Period]:
    """The practice period and the stretches of the same length just before and after it; the
    part of a stretch after today is cut off (its figures are "so far")."""
    length = datetime.timedelta(days=period.days)
    before = Period("before", period.starts_on - length, period.starts_on - datetime.timedelta(1))
    during = Period("during", period.starts_on, min(period.ends_on, today))
    after_start = period.ends_on + datetime.timedelta(days=1)
    after = Period("after", after_start, min(after_start + length - datetime.timedelta(1), today))
    return {"before": before, "during": during, "after": after}


def helper_team_ids(helper: User) -> list[int]:
    return list(Membership.objects.filter(user=helper).values_list("team_id", flat=True))


def scope(helper: User, team_ids: Sequence[int]) -> QuerySet[Episode]:
    """The episodes the page reads: the helper's teams' and the helper's own, in their
    organisation only."""
    org_episodes = Episode.objects.filter(client__organisation_id=helper.organisation_id)
    return org_episodes.in_teams(team_ids) | org_episodes.filter(
        client__responsible_helper_id=helper.pk
    )


@dataclass
class _Read:
    """The closed episodes of the window, each with its series and what its series says."""

    rows: list[tuple[Episode, RaterSeries, ClientFacts]]
    helper_id: int
    team_ids: frozenset[int]
    settings: OutcomeSettings | None
    model: EtrModel | None

    def figures(self, period: Period, whose: str) -> dict[str, Any]:
        picked = [
            (s, f)
            for e, s, f in self.rows
            if period.holds(e.ended_on)
            and (
                e.client.responsible_helper_id == self.helper_id
                if whose == "own"
                else e.client.team_id in self.team_ids
            )
        ]
        figures = practice_figures(
            [s for s, _f in picked], self.settings, self.model, facts=[f for _s, f in picked]
        )
        return figures.to_dict()


def practice_data(
    helper: User,
    today: datetime.date,
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
) -> dict[str, Any]:
    """Everything the page shows, and `episodes`: every episode whose scores were read."""
    team_ids = helper_team_ids(helper)
    quarters = last_quarters(today)
    year = last_year(today)
    periods = list(PracticePeriod.objects.filter(user=helper).order_by("-starts_on", "-pk"))
    stretches = [around(p, today) for p in periods]
    first_day = min([quarters[0].start, year.start, *(s["before"].start for s in stretches)])
    closed = stats.closed_in_period(scope(helper, team_ids), first_day, today)
    series = stats.episode_series(closed, alliance=True)
    read = _Read(
        rows=[(e, s, client_facts(s, settings, model)) for e, s in series],
        helper_id=helper.pk,
        team_ids=frozenset(team_ids),
        settings=settings,
        model=model,
    )
    return {
        "quarters": [
            {"period": q, "own": read.figures(q, "own"), "team": read.figures(q, "team")}
            for q in quarters
        ],
        "year": {
            "period": year,
            "own": read.figures(year, "own"),
            "team": read.figures(year, "team"),
        },
        "practice": [
            {
                "period": p,
                "stretches": {k: (v, read.figures(v, "own")) for k, v in s.items()},
            }
            for p, s in zip(periods, stretches, strict=True)
        ],
        "has_team": bool(team_ids),
        "episodes": [e for e, _s in series],
    }
