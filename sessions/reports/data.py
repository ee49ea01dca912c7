"""What the reports show, gathered with a fixed number of queries.

`client_report_data` reads one client's episode through the read model
(`sessions.outcome.episode_outcome`): the same series, assessment, expected line and Target the
screen draws. `team_report_data` gathers a team's period: the dashboard's outcome statistics
(`sessions.statistics`), per helper, the distribution of change and the clients off track.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from clients.models import Client, Episode, Goal, Rater, Status
from kor.models import Team, User
from kor.outcomes import ChangeBin, change_histogram
from kor.outcomes.config import OutcomeSettings
from kor.outcomes.model import EtrModel
from sessions.completion import Completion, completion
from sessions.outcome import (
    EpisodeOutcome,
    MeetingDay,
    RaterOutcome,
    Rating,
    engine_config,
    episode_outcome,
)
from sessions.statistics import OFF_TRACK_STATUSES, team_and_helper_statistics

# -- one client -------------------------------------------------------------------------------


def milestones(rater: RaterOutcome) -> list[tuple[str, bool]]:
    """The milestones the report lists for a rater, once there are two ratings to compare."""
    a = rater.assessment
    if a is None or a.meetings < 2 or (a.expected is None and not a.deteriorated):
        return []
    return [
        (_("Reliable change"), a.reliable_change),
        (_("Clinically significant change"), a.clinically_significant),
        (_("Target reached"), a.target_reached),
        (_("Reliable deterioration"), a.deteriorated),
    ]


@dataclass
class ResponseRow:
    """One rater in one meeting: the outcome form and the alliance form side by side."""

    meeting: MeetingDay
    rater: Rater
    first_of_meeting: bool
    outcome: Rating | None = None
    alliance: Rating | None = None


@dataclass
class ClientReportData:
    client: Client
    episode: Episode | None
    goals: list[Goal]
    outcome: EpisodeOutcome | None
    meeting_helpers: list[User]
    settings: OutcomeSettings
    model: EtrModel
    show_name: bool

    @property
    def raters(self) -> list[RaterOutcome]:
        return self.outcome.raters if self.outcome else []

    @property
    def meetings(self) -> list[MeetingDay]:
        return self.outcome.meetings if self.outcome else []

    @property
    def sections(self) -> list[tuple[RaterOutcome, list[tuple[str, bool]]]]:
        """Each rater with the milestones to list (labels in the report's language)."""
        return [(rater, milestones(rater)) for rater in self.raters]

    @property
    def rows(self) -> list[ResponseRow]:
        """The meetings table: a row per rater who has a form in the meeting."""
        rows: list[ResponseRow] = []
        for meeting in self.meetings:
            first = True
            for rater in self.raters:
                outcome = next((r for r in rater.outcome if r.meeting == meeting.number), None)
                alliance = next((r for r in rater.alliance if r.meeting == meeting.number), None)
                if outcome or alliance:
                    rows.append(ResponseRow(meeting, rater.rater, first, outcome, alliance))
                    first = False
        return rows

    @property
    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        if self.episode is None:
            return None, None
        last = self.meetings[-1].date if self.meetings else None
        return self.episode.started_on, self.episode.ended_on or last

    @property
    def helpers(self) -> list[Any]:
        """The responsible helper first, then anyone else who held a meeting."""
        seen = {self.client.responsible_helper_id: self.client.responsible_helper}
        for helper in self.meeting_helpers:
            seen.setdefault(helper.pk, helper)
        return list(seen.values())

    @property
    def cutoff(self) -> float | None:
        return self.outcome.cutoff if self.outcome else None

    @property
    def status(self) -> str:
        return self.outcome.status if self.outcome else Status.NONE

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def flags(self) -> list[str]:
        return self.outcome.flags if self.outcome else []


def client_report_data(client: Client, episode: Episode | None = None) -> ClientReportData:
    """Everything the client report shows, for `episode` (default: the client's latest).

    `client` must come through the access helper; its organisation, team and responsible helper
    are read here with select_related if they were not already.
    """
    if episode is None:
        episode = (
            Episode.objects.filter(client=client)
            .order_by("-started_on", "-pk")
            .prefetch_related(
                Prefetch("goals", queryset=Goal.objects.order_by("set_on", "pk")),
                Prefetch("raters", queryset=Rater.objects.order_by("pk")),
            )
            .first()
        )
    elif episode.client_id != client.pk:
        raise ValueError("the episode is not this client's")
    config = engine_config(client.organisation)
    show_name = client.organisation.show_client_names
    if episode is None:
        return ClientReportData(client, None, [], None, [], *config, show_name)
    outcome = episode_outcome(episode, config)
    ids = list(dict.fromkeys(m.helper_id for m in outcome.meetings))  # in order of meetings
    people = {u.pk: u for u in User.objects.filter(pk__in=ids)} if ids else {}
    helpers = [people[pk] for pk in ids if pk in people]
    goals = list(episode.goals.all())
    return ClientReportData(client, episode, goals, outcome, helpers, *config, show_name)


# -- a team over a period ---------------------------------------------------------------------
#
# The team report's figures are the dashboard's statistics page's: both come from
# `sessions.statistics.team_and_helper_statistics` (episodes closed in the period, one rater per
# episode, `kor.outcomes.summarize`; active clients and those off track as of today).


def episodes_in_period(
    episodes: QuerySet[Episode], start: datetime.date, end: datetime.date
) -> QuerySet[Episode]:
    """Episodes open at some time in the period (the clients of a team's client reports)."""
    return episodes.filter(started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )


@dataclass
class HelperRow:
    name: str
    figures: dict[str, Any]
    number: int | None = None  # set when names are left out
    pk: int | None = None  # the helper's id

    @property
    def label(self) -> str:
        """The name, or "Helper 3" in the language being rendered."""
        if self.number is None:
            return self.name
        from django.utils.translation import gettext as _

        return _("Helper %(number)s") % {"number": self.number}


@dataclass
class TeamReportData:
    team: Team
    start: datetime.date
    end: datetime.date
    figures: dict[str, Any]
    helpers: list[HelperRow]
    off_track: list[Episode]
    hide_helpers: bool
    settings: OutcomeSettings
    model: EtrModel
    # Data quality and completion (sessions.completion, as on the statistics page).
    quality: Completion | None = None
    quality_helpers: list[tuple[HelperRow, Completion]] | None = None

    @property
    def summary(self) -> dict[str, Any]:
        return self.figures["summary"]

    @property
    def changes(self) -> list[float]:
        return self.figures["changes"]

    @property
    def bins(self) -> list[ChangeBin]:
        return change_histogram(self.changes, self.settings.rci)


def team_report_data(
    team: Team,
    start: datetime.date,
    end: datetime.date,
    *,
    episodes: QuerySet[Episode] | None = None,
    hide_helpers: bool = False,
) -> TeamReportData:
    """The team report for a period. `episodes` is what the reader may see (access helper)."""
    if episodes is None:
        episodes = Episode.objects.all()
    episodes = episodes.filter(client__team=team)
    if end < start:
        episodes = episodes.none()
    settings, model = engine_config(team.organisation)
    figures, per_helper = team_and_helper_statistics(episodes, start, end, settings, model)
    people = {u.pk: u for u in User.objects.filter(pk__in=list(per_helper))}
    rows = [HelperRow(str(people[pk]), f, pk=pk) for pk, f in per_helper.items()]
    if hide_helpers:
        # Numbered by size, so the order does not give the names away.
        rows.sort(key=lambda row: (-row.figures["closed"], -row.figures["active"], row.name))
        for k, row in enumerate(rows, 1):
            row.number = k
    else:
        rows.sort(key=lambda row: row.name.lower())
    quality, quality_per_helper = completion(episodes, start, end)
    off_track = list(
        episodes.filter(ended_on__isnull=True, client__active=True, status__in=OFF_TRACK_STATUSES)
        .select_related("client")
        .order_by("-severity", "client__case_code")
    )
    return TeamReportData(
        team=team,
        start=start,
        end=end,
        figures=figures,
        helpers=rows,
        off_track=off_track,
        hide_helpers=hide_helpers,
        settings=settings,
        model=model,
        quality=quality,
        quality_helpers=_quality_rows(rows, quality_per_helper, hide_helpers),
    )


def _quality_rows(
    rows: list[HelperRow], per_helper: dict[int, Completion], hide_helpers: bool
) -> list[tuple[HelperRow, Completion]]:
    """The completion figures per helper, under the same names or numbers as the outcome rows;
    a helper with meetings in the period but no figure above gets a name (or the next number)."""
    known = {row.pk: row for row in rows}
    new = [pk for pk in per_helper if pk not in known]
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=new)} if new else {}
    out = []
    number = len(rows)
    for pk, figures in per_helper.items():
        row = known.get(pk)
        if row is None:
            number += 1
            row = HelperRow(people[pk], {}, number if hide_helpers else None, pk=pk)
        out.append((row, figures))
    if hide_helpers:
        out.sort(key=lambda pair: pair[0].number or 0)
    else:
        out.sort(key=lambda pair: pair[0].name.lower())
    return out
