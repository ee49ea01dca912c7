"""What the reports show, gathered with a fixed number of queries.

`client_report_data` reads one client's episode (goals, raters, meetings, every form) in six
queries however many meetings there are, and assesses each rater with the outcome engine, so the
report says exactly what the screen says. `team_report_data` does the same in bulk for a team and a
period: the outcome statistics (`kor.outcomes.summarize`, by the dashboard's rules), per helper,
the distribution of change and the clients off track.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from clients.models import STATUS_SEVERITY, AgeGroup, Client, Episode, Goal, Rater, Status
from clients.status import engine_config
from kor.models import Team, User
from kor.outcomes import Assessment, RaterSeries, assess, expected_trajectory, summarize
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
#
# The team report's figures must equal the dashboard's statistics page. The dashboard's helper
# writes `clients/stats.py` (`team_statistics`, `helper_statistics`) in parallel; the three
# functions below follow its rules and its return shape exactly, so that unifying is one import:
#     from clients.stats import helper_statistics, team_statistics
# TODO(integrator): make that swap and delete `episode_series`, `team_statistics` and
# `helper_statistics` here. The rules they share:
# - outcome figures over the episodes closed in the period (ended_on within it, both included);
# - one rater per episode, the one who stands for the client: the client's own ratings, or where
#   the client has none, the first collateral rater who has; `summarize` decides who is included;
# - active clients and how many are off track or deteriorated are as of today.

# The engine tells only a dropout from the other ends; "other" is a known end that is not one.
_END_REASON = {"other": "mutual"}


def episodes_in_period(
    episodes: QuerySet[Episode], start: datetime.date, end: datetime.date
) -> QuerySet[Episode]:
    """Episodes open at some time in the period (the clients of a team's client reports)."""
    return episodes.filter(started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )


def closed_in_period(
    episodes: QuerySet[Episode], start: datetime.date, end: datetime.date
) -> QuerySet[Episode]:
    return episodes.filter(ended_on__gte=start, ended_on__lte=end)


def episode_series(episodes: QuerySet[Episode]) -> list[tuple[Episode, RaterSeries]]:
    """One RaterSeries per episode (the rater who stands for the client), in two queries."""
    by_pk = {e.pk: e for e in episodes.order_by().select_related("client")}
    if not by_pk:
        return []
    rows = (
        FormResponse.objects.filter(
            rater__episode_id__in=list(by_pk),
            status=FormResponse.Status.COMPLETED,
            instrument__in=OUTCOME_INSTRUMENTS,
        )
        .order_by("rater__episode_id", "rater_id", "meeting__number")
        .values_list("rater__episode_id", "rater_id", "rater__relation", "total")
    )
    by_episode: dict[int, dict[tuple[bool, int], list[float]]] = defaultdict(dict)
    for episode_id, rater_id, relation, total in rows:
        key = (relation != Rater.Relation.CLIENT, rater_id)  # the client's own rater first
        by_episode[episode_id].setdefault(key, []).append(total / 10)
    out = []
    for pk, episode in by_pk.items():
        raters = by_episode.get(pk)
        out.append(
            (
                episode,
                RaterSeries(
                    ors=raters[min(raters)] if raters else [],
                    age_group=episode.age_group,
                    started=episode.started_on,
                    ended=episode.ended_on,
                    end_reason=_END_REASON.get(episode.end_reason, episode.end_reason or None),
                    meetings=episode.meeting_count,
                ),
            )
        )
    return out


def _active_counts(episodes: QuerySet[Episode], by_helper: bool) -> dict[Any, dict[str, int]]:
    qs = episodes.filter(ended_on__isnull=True, client__active=True).order_by()
    counts = {
        "active": Count("pk"),
        "off_track": Count("pk", filter=Q(status__in=RED_STATUSES)),
    }
    if not by_helper:
        return {None: qs.aggregate(**counts)}
    rows = qs.values("client__responsible_helper_id").annotate(**counts)
    return {r["client__responsible_helper_id"]: r for r in rows}


def _figures(series: list[RaterSeries], active: dict[str, int], settings, model) -> dict[str, Any]:
    summary = summarize(series, settings=settings, model=model)
    n_active = active.get("active", 0)
    n_off = active.get("off_track", 0)
    changes = [
        round(s.ors[-1] - s.ors[0], 1)
        for s in series
        if len(s.ors) >= 2
        and s.ors[0] <= summary.settings.high_intake_above
        and s.age_group != AgeGroup.YOUNG_CHILD
    ]
    return {
        "summary": summary.to_dict(),
        "closed": summary.total,
        "included": summary.included,
        "active": n_active,
        "off_track": n_off,
        "pct_off_track": 100.0 * n_off / n_active if n_active else None,
        "too_few": summary.included < MIN_CLIENTS,
        "changes": sorted(changes),
    }


def team_statistics(
    episodes: QuerySet[Episode],
    start: datetime.date,
    end: datetime.date,
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
) -> dict[str, Any]:
    """The team's figures: `summary` (Summary.to_dict() over the episodes closed in the period),
    `closed`, `included`, `active`, `off_track`, `pct_off_track`, `too_few`, `changes`."""
    closed = [s for _, s in episode_series(closed_in_period(episodes, start, end))]
    active = _active_counts(episodes, by_helper=False)[None]
    return _figures(closed, active, settings, model) | {"period_start": start, "period_end": end}


def helper_statistics(
    episodes: QuerySet[Episode],
    start: datetime.date,
    end: datetime.date,
    settings: OutcomeSettings | None = None,
    model: EtrModel | None = None,
) -> dict[int, dict[str, Any]]:
    """The same figures per responsible helper, for every helper with an active client now or a
    client closed in the period."""
    by_helper: dict[int, list[RaterSeries]] = defaultdict(list)
    for episode, series in episode_series(closed_in_period(episodes, start, end)):
        by_helper[episode.client.responsible_helper_id].append(series)
    active = _active_counts(episodes, by_helper=True)
    return {
        helper_id: _figures(
            by_helper.get(helper_id, []), active.get(helper_id, {}), settings, model
        )
        | {"period_start": start, "period_end": end}
        for helper_id in set(by_helper) | set(active)
    }


# Below this many clients a figure is shown with a note that it is too few to read (as on the
# dashboard).
MIN_CLIENTS = 10


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
    figures = team_statistics(episodes, start, end, settings, model)
    per_helper = helper_statistics(episodes, start, end, settings, model)
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
        episodes.filter(ended_on__isnull=True, client__active=True, status__in=RED_STATUSES)
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
