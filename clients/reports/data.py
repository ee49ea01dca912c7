"""What the reports show, gathered with a fixed number of queries.

`client_report_data` reads one client's episode (goals, raters, meetings, every form) in six
queries however many meetings there are, and assesses each rater with the outcome engine, so the
report says exactly what the screen says. `team_report_data` does the same in bulk for a team and a
period: the outcome statistics (`kor.outcomes.summarize`), per helper, the status distribution and
the clients off track.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from clients.models import STATUS_SEVERITY, AgeGroup, Client, Episode, Goal, Rater, Status
from clients.status import engine_config
from kor.models import Team
from kor.outcomes import Assessment, RaterSeries, Summary, assess, expected_trajectory, summarize
from kor.outcomes.config import OutcomeSettings
from kor.outcomes.instruments import alliance_instrument, outcome_instrument
from kor.outcomes.model import EtrModel, is_high_intake
from sessions.models import ALLIANCE_INSTRUMENTS, OUTCOME_INSTRUMENTS, FormResponse, Meeting

# Statuses shown in red on the dashboard: the clients a leader brings to supervision.
RED_STATUSES = (Status.OFF_TRACK, Status.DETERIORATED)


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
class ResponseRow:
    meeting: Meeting
    rater: Rater
    response: FormResponse
    first_of_meeting: bool

    @property
    def items(self) -> list[float | None]:
        return [None if v is None else v / 10 for v in self.response.items]


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
    def meeting_groups(self) -> list[list[ResponseRow]]:
        """The rows meeting by meeting, so a meeting's forms stay together on a page."""
        groups: list[list[ResponseRow]] = []
        for row in self.rows:
            if row.first_of_meeting:
                groups.append([])
            groups[-1].append(row)
        return groups

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
        for k, response in enumerate(by_meeting.get(meeting.pk, ())):
            rater_report = reports[response.rater_id]
            response.meeting = meeting
            response.rater = rater_report.rater
            rows.append(ResponseRow(meeting, rater_report.rater, response, k == 0))
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
    """The same assessment `clients.status.refresh_episode` caches, plus the expected line."""
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


@dataclass
class HelperRow:
    label: str
    summary: Summary


@dataclass
class TeamReportData:
    team: Team
    start: datetime.date
    end: datetime.date
    summary: Summary
    helpers: list[HelperRow]
    distribution: list[tuple[str, str, int]]  # (status, label, count) over active episodes
    active: int
    closed: int
    off_track: list[Episode]
    hide_helpers: bool
    settings: OutcomeSettings
    model: EtrModel


def episodes_in_period(
    episodes: QuerySet[Episode], start: datetime.date, end: datetime.date
) -> QuerySet[Episode]:
    """Episodes open at some time in the period."""
    return episodes.filter(started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )


def outcome_series(
    episodes: QuerySet[Episode],
) -> list[tuple[Episode, list[RaterSeries]]]:
    """Each episode with one RaterSeries per rater who has outcome ratings, in two queries."""
    episodes = list(episodes.select_related("client__responsible_helper"))
    ids = [e.pk for e in episodes]
    totals: dict[int, list[float]] = defaultdict(list)
    meetings: dict[int, int] = {}
    if ids:
        rows = (
            FormResponse.objects.filter(
                meeting__episode_id__in=ids,
                instrument__in=OUTCOME_INSTRUMENTS,
                status=FormResponse.Status.COMPLETED,
            )
            .order_by("rater_id", "meeting__number")
            .values_list("rater_id", "rater__episode_id", "total")
        )
        rater_episode: dict[int, int] = {}
        for rater_id, episode_id, total in rows:
            totals[rater_id].append(total / 10)
            rater_episode[rater_id] = episode_id
    else:
        rater_episode = {}
    by_episode: dict[int, list[int]] = defaultdict(list)
    for rater_id, episode_id in rater_episode.items():
        by_episode[episode_id].append(rater_id)
    out = []
    for e in episodes:
        meetings[e.pk] = e.meeting_count
        series = [
            RaterSeries(
                totals[rater_id],
                age_group=e.age_group,
                started=e.started_on,
                ended=e.ended_on,
                end_reason=_end_reason(e.end_reason),
                meetings=e.meeting_count or None,
            )
            for rater_id in sorted(by_episode.get(e.pk, ()))
        ]
        out.append((e, series))
    return out


def _end_reason(reason: str) -> str | None:
    # The engine knows four reasons; "other" ends count as known-not-dropout.
    if not reason:
        return None
    return reason if reason in ("mutual", "goal_reached", "dropout", "referred") else "mutual"


def team_statistics(
    episodes: QuerySet[Episode],
    start: datetime.date,
    end: datetime.date,
    settings: OutcomeSettings,
    model: EtrModel,
) -> tuple[Summary, list[tuple[Episode, list[RaterSeries]]]]:
    """The outcome statistics over the episodes that ended in the period.

    TODO(integrator): the dashboard's `clients.stats.team_statistics` computes the same figures;
    unify on that one function so that the report and the dashboard cannot drift apart.
    """
    closed = episodes.filter(ended_on__gte=start, ended_on__lte=end)
    series = outcome_series(closed)
    summary = summarize(
        [s for _, rater_series in series for s in rater_series], settings=settings, model=model
    )
    return summary, series


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
    settings, model = engine_config(team.organisation)
    summary, series = team_statistics(episodes, start, end, settings, model)

    per_helper: dict[int, list[RaterSeries]] = defaultdict(list)
    names: dict[int, str] = {}
    for episode, rater_series in series:
        helper = episode.client.responsible_helper
        names[helper.pk] = str(helper)
        per_helper[helper.pk].extend(rater_series)
    helper_rows = [
        HelperRow(names[pk], summarize(rs, settings=settings, model=model))
        for pk, rs in per_helper.items()
    ]
    if hide_helpers:
        # Numbered by size, so the order does not give the names away.
        from django.utils.translation import gettext as _

        helper_rows.sort(key=lambda row: (-row.summary.total, row.summary.included))
        for k, row in enumerate(helper_rows, 1):
            row.label = _("Helper %(number)s") % {"number": k}
    else:
        helper_rows.sort(key=lambda row: row.label)

    active = episodes_in_period(episodes, start, end)
    counts = dict(
        (status, count)
        for status, count in _status_counts(active)  # one grouped query
    )
    distribution = [
        (status.value, status.label, counts.get(status.value, 0))
        for status in sorted(Status, key=lambda s: -STATUS_SEVERITY[s])
    ]
    off_track = list(
        active.filter(status__in=RED_STATUSES)
        .select_related("client")
        .order_by("-severity", "client__case_code")
    )
    return TeamReportData(
        team=team,
        start=start,
        end=end,
        summary=summary,
        helpers=helper_rows,
        distribution=distribution,
        active=sum(counts.values()),
        closed=len(series),
        off_track=off_track,
        hide_helpers=hide_helpers,
        settings=settings,
        model=model,
    )


def _status_counts(episodes: QuerySet[Episode]) -> list[tuple[str, int]]:
    from django.db.models import Count

    return list(
        episodes.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
