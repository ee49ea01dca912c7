"""What the reports show, gathered with a fixed number of queries.

`client_report_data` reads one client's episode (goals, raters, meetings, every form) in six
queries however many meetings there are, and assesses each rater with the outcome engine, so the
report says exactly what the screen says. `team_report_data` gathers a team's period: the
dashboard's outcome statistics (`sessions.statistics`), per helper, the distribution of change
and the clients off track.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from clients.models import STATUS_SEVERITY, AgeGroup, Client, Episode, Goal, Rater, Status
from kor.models import Team, User
from kor.outcomes import Assessment, assess, expected_trajectory
from kor.outcomes.config import OutcomeSettings
from kor.outcomes.instruments import alliance_instrument, outcome_instrument
from kor.outcomes.model import EtrModel, is_high_intake
from sessions.models import ALLIANCE_INSTRUMENTS, OUTCOME_INSTRUMENTS, FormResponse, Meeting
from sessions.outcome import engine_config
from sessions.statistics import OFF_TRACK_STATUSES, team_and_helper_statistics

# -- one client -------------------------------------------------------------------------------


@dataclass
class Point:
    meeting: int  # the episode's meeting number (the chart's x axis)
    value: float


@dataclass
class RaterReport:
    rater: Rater
    outcome_form: str
    alliance_form: str
    ors: list[Point] = field(default_factory=list)
    srs: list[Point] = field(default_factory=list)
    declined: int = 0
    assessment: Assessment | None = None
    expected: list[Point] = field(default_factory=list)
    reason_texts: list[str] = field(default_factory=list)  # in the report's language

    @property
    def label(self) -> str:
        return str(self.rater)

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else Status.NONE

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    def reasons(self, lang: str) -> list[str]:
        return self.assessment.reasons_in(lang) if self.assessment else []

    def milestones(self) -> list[tuple[str, bool]]:
        from django.utils.translation import gettext as _

        a = self.assessment
        if a is None or a.meetings < 2 or (a.expected is None and not a.deteriorated):
            return []
        return [
            (_("Reliable change"), a.reliable_change),
            (_("Clinically significant change"), a.clinically_significant),
            (_("Target reached"), a.target_reached),
            (_("Reliable deterioration"), a.deteriorated),
        ]


@dataclass
class FormCell:
    """One form in the meetings table: its items and total, or that it was declined."""

    response: FormResponse

    @property
    def items(self) -> list[float]:
        return [v / 10 for v in self.response.items if v is not None]


@dataclass
class ResponseRow:
    """One rater in one meeting: the outcome form and the alliance form side by side."""

    meeting: Meeting
    rater: Rater
    first_of_meeting: bool
    outcome: FormCell | None = None
    alliance: FormCell | None = None


@dataclass
class ClientReportData:
    client: Client
    episode: Episode | None
    goals: list[Goal]
    raters: list[RaterReport]
    meetings: list[Meeting]
    rows: list[ResponseRow]
    settings: OutcomeSettings
    model: EtrModel
    show_name: bool

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
        for meeting in self.meetings:
            seen.setdefault(meeting.helper_id, meeting.helper)
        return list(seen.values())

    @property
    def cutoff(self) -> float | None:
        if self.episode is None or self.episode.age_group == AgeGroup.YOUNG_CHILD:
            return None
        return self.settings.cutoff(self.episode.age_group)

    @property
    def status(self) -> str:
        worst = max(self.raters, key=lambda r: STATUS_SEVERITY[r.status], default=None)
        return worst.status if worst else Status.NONE

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def flags(self) -> list[str]:
        return sorted({f for r in self.raters if r.assessment for f in r.assessment.flags})


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
    settings, model = engine_config(client.organisation)
    show_name = client.organisation.show_client_names
    if episode is None:
        return ClientReportData(client, None, [], [], [], [], settings, model, show_name)

    goals = list(episode.goals.all())
    raters = list(episode.raters.all())
    meetings = list(
        Meeting.objects.filter(episode=episode).select_related("helper").order_by("number")
    )
    responses = FormResponse.objects.filter(meeting__episode=episode).order_by(
        "meeting__number", "rater_id", "instrument"
    )
    by_meeting: dict[int, list[FormResponse]] = defaultdict(list)
    for response in responses:
        by_meeting[response.meeting_id].append(response)

    age_group = episode.age_group
    reports = {
        r.pk: RaterReport(r, outcome_instrument(age_group), _alliance_form(r, age_group))
        for r in raters
    }
    rows: list[ResponseRow] = []
    for meeting in meetings:
        by_rater: dict[int, ResponseRow] = {}
        for response in by_meeting.get(meeting.pk, ()):
            rater_report = reports[response.rater_id]
            response.meeting = meeting
            response.rater = rater_report.rater
            row = by_rater.get(response.rater_id)
            if row is None:
                row = ResponseRow(meeting, rater_report.rater, not by_rater)
                by_rater[response.rater_id] = row
                rows.append(row)
            if response.instrument in OUTCOME_INSTRUMENTS:
                row.outcome = FormCell(response)
            else:
                row.alliance = FormCell(response)
            if not response.is_completed:
                rater_report.declined += response.status == FormResponse.Status.DECLINED
                continue
            point = Point(meeting.number, response.total / 10)
            if response.instrument in OUTCOME_INSTRUMENTS:
                rater_report.ors.append(point)
            elif response.instrument in ALLIANCE_INSTRUMENTS:
                rater_report.srs.append(point)

    for report in reports.values():
        _assess(report, age_group, settings, model)
    return ClientReportData(
        client, episode, goals, list(reports.values()), meetings, rows, settings, model, show_name
    )


def _alliance_form(rater: Rater, age_group: str) -> str:
    # A parent rating a child fills the child's outcome form, but the adult alliance form.
    return alliance_instrument(age_group if rater.is_client else AgeGroup.ADULT)


def _assess(
    report: RaterReport, age_group: str, settings: OutcomeSettings, model: EtrModel
) -> None:
    """The same assessment `sessions.outcome.refresh_episode` caches, plus the expected line."""
    if not report.ors or age_group == AgeGroup.YOUNG_CHILD:
        return
    ors = [p.value for p in report.ors]
    report.assessment = assess(
        ors, [p.value for p in report.srs], age_group=age_group, settings=settings, model=model
    )
    intake = ors[0]
    if is_high_intake(intake, settings):
        return
    # m counts the rater's own ratings; drawn at the meetings where they rated, and ahead of
    # the last one to the point where the short-term model levels out at the Target.
    n = len(ors)
    ahead = max(n, 6)
    line = expected_trajectory(intake, age_group, ahead, model, settings=settings)
    last = report.ors[-1].meeting
    report.expected = [
        Point(report.ors[k].meeting if k < n else last + (k - n + 1), value)
        for k, value in enumerate(line)
    ]


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

    @property
    def summary(self) -> dict[str, Any]:
        return self.figures["summary"]

    @property
    def changes(self) -> list[float]:
        return self.figures["changes"]


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
    rows = [HelperRow(str(people[pk]), f) for pk, f in per_helper.items()]
    if hide_helpers:
        # Numbered by size, so the order does not give the names away.
        rows.sort(key=lambda row: (-row.figures["closed"], -row.figures["active"], row.name))
        for k, row in enumerate(rows, 1):
            row.number = k
    else:
        rows.sort(key=lambda row: row.name.lower())
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
    )
