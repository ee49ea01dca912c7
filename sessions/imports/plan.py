"""The preview of an import: every row checked and matched, nothing written.

A row is matched, in order, to its client (by case code), its episode (the one whose start the
row gives, or the stored one the meeting date falls in, or a new one), its rater (relation and
label), its meeting (the episode's meeting on that date) and its form (rater and form in that
meeting). What is not found is planned as new; a stored form with the same values is "already
stored" (so a second import of the same file creates nothing), with other values a conflict.
Stored episodes, meetings and forms are never changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from kor.models import Organisation, User
from sessions.imports import stored as stored_data
from sessions.imports.checks import age_group_of, check_row, form_key
from sessions.imports.problems import Problem
from sessions.imports.rows import ImportRow
from sessions.imports.stored import Stored, rater_key

# An episode, rater or meeting is named by its stored id, or ("new", ...) until it is created.
EpisodeKey = tuple
NEW = "new"


@dataclass
class NewClient:
    case_code: str
    team_id: int
    helper_id: int
    age_group: str


@dataclass
class NewEpisode:
    client: str  # case code
    started_on: dt.date | None  # None: the first meeting date of its rows
    ended_on: dt.date | None = None
    end_reason: str = ""
    age_group: str = ""
    first_date: dt.date | None = None


@dataclass
class PlannedForm:
    line: int
    case_code: str
    episode: EpisodeKey
    rater: tuple  # (episode key, relation, label); the label as written is in `label`
    label: str
    meeting: tuple  # (episode key, date)
    helper_id: int
    instrument: str
    values: dict[str, Any]


@dataclass
class ImportPlan:
    """What an import would do. `problems` lists every row that will not be imported."""

    organisation: Organisation
    user: User
    lines: int = 0
    problems: list[Problem] = field(default_factory=list)
    stored: Stored = field(default_factory=Stored)
    new_clients: dict[str, NewClient] = field(default_factory=dict)
    new_episodes: dict[EpisodeKey, NewEpisode] = field(default_factory=dict)
    forms: list[PlannedForm] = field(default_factory=list)  # to be created
    matched_forms: int = 0
    clients_matched: set[int] = field(default_factory=set)
    episodes_matched: set[int] = field(default_factory=set)
    meetings_matched: set[int] = field(default_factory=set)
    new_meetings: set[tuple] = field(default_factory=set)

    @property
    def problem_lines(self) -> int:
        return len({p.line for p in self.problems if p.line})

    @property
    def valid_rows(self) -> int:
        return len(self.forms) + self.matched_forms

    def summary(self) -> dict[str, int]:
        """The preview's counts: what would be created and what is already stored."""
        return {
            "lines": self.lines,
            "valid_rows": self.valid_rows,
            "problem_lines": self.problem_lines,
            "clients_new": len(self.new_clients),
            "clients_matched": len(self.clients_matched),
            "episodes_new": len(self.new_episodes),
            "episodes_matched": len(self.episodes_matched),
            "meetings_new": len(self.new_meetings),
            "meetings_matched": len(self.meetings_matched),
            "forms_new": len(self.forms),
            "forms_matched": self.matched_forms,
        }


def plan_import(
    organisation: Organisation,
    rows: Iterable[ImportRow],
    user: User,
    *,
    lines: int | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Check and match `rows` for `user` in `organisation`; write nothing but the audit rows
    of the stored clients whose forms were read to match them."""
    rows = list(rows)
    if user.organisation_id != organisation.pk:
        raise PermissionError("the user does not belong to this organisation")
    plan = ImportPlan(organisation, user, lines=len(rows) if lines is None else lines)
    today = today or timezone.localdate()
    names = {r.helper for r in rows} | {r.team for r in rows}
    plan.stored = stored_data.load(organisation, user, {r.case_code for r in rows}, names)
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows, 1):
        values, problems = check_row(row, today)
        if values is not None:
            key = form_key(row)
            if key in seen:
                problems = [Problem(row.line, "duplicate", {"other": seen[key]})]
            else:
                seen[key] = row.line
                problems = _match(plan, row, values)
        plan.problems += problems
        if progress and index % 5000 == 0:
            progress(index, len(rows))
    _first_dates(plan)
    return plan


def _match(plan: ImportPlan, row: ImportRow, values: dict[str, Any]) -> list[Problem]:
    stored = plan.stored
    helper_id = None
    if row.helper:
        helper_id = stored.person_id(row.helper)
        if helper_id is None:
            return [Problem(row.line, "unknown_helper", {"value": row.helper})]
    if row.team and stored.team_id(row.team) is None:
        return [Problem(row.line, "unknown_team", {"value": row.team})]
    client_id = stored.clients.get(row.case_code)
    if client_id is None:
        if row.case_code in stored.taken:
            return [Problem(row.line, "not_managed", {"case": row.case_code})]
        client, problem = _new_client(plan, row, helper_id)
        if problem:
            return [problem]
        episode: EpisodeKey = (NEW, row.case_code, row.episode_start)
        helper_id = helper_id or client.helper_id
    else:
        client = None
        episode, problem = _episode_of(stored, client_id, row)
        if problem:
            return [problem]
        helper_id = helper_id or stored.helper_of[client_id]
    return _form(plan, row, values, client_id or client, episode, helper_id)


def _new_client(plan: ImportPlan, row: ImportRow, helper_id: int | None):
    """The client the first valid row of a new case code describes."""
    if row.case_code in plan.new_clients:
        return plan.new_clients[row.case_code], None
    stored, user = plan.stored, plan.user
    team_id = stored.team_id(row.team) if row.team else None
    if team_id is None:
        if len(stored.teams) != 1:
            return None, Problem(row.line, "no_team")
        team_id = next(iter(stored.teams.values()))
    if helper_id is None:
        # A leader may be the responsible helper of their team's new client; an organisation
        # administrator works in no team, so the file must name one.
        if user.is_org_admin or team_id not in stored.own_teams:
            return None, Problem(row.line, "no_helper")
        helper_id = user.pk
    return NewClient(row.case_code, team_id, helper_id, age_group_of(row)), None


def _episode_of(stored: Stored, client_id: int, row: ImportRow):
    """The stored episode the row belongs to, or the key of a new one (or a problem)."""
    episodes = stored.episodes.get(client_id, [])
    date, start = row.meeting_date, row.episode_start
    if start is not None:
        for episode in episodes:
            if episode.started_on == start:
                if episode.ended_on and date > episode.ended_on:
                    params = {"date": date.isoformat(), "end": episode.ended_on.isoformat()}
                    return None, Problem(row.line, "after_episode_end", params)
                return episode.pk, None
    else:
        holding = [e for e in episodes if e.holds(date)]
        if holding:
            return holding[-1].pk, None
        if episodes and date < episodes[0].started_on:
            return None, Problem(row.line, "before_stored_episodes", {"date": date.isoformat()})
    begins = start or date
    for episode in episodes:
        ended_before = episode.ended_on is not None and episode.ended_on <= begins
        starts_after = row.episode_end is not None and row.episode_end <= episode.started_on
        if not (ended_before or starts_after):
            return None, Problem(row.line, "open_episode", {"start": begins.isoformat()})
    return (NEW, row.case_code, start), None


def _form(plan, row, values, client, episode, helper_id) -> list[Problem]:
    """The form of the row: already stored (same values), a conflict, or to be created.
    `client` is the stored client's id or the NewClient the row describes."""
    stored = plan.stored
    client_id = client if isinstance(client, int) else None
    rater = (episode, *rater_key(row.relation, row.rater_label))
    meeting = (episode, row.meeting_date)
    is_new = isinstance(episode, tuple)
    rater_id = None if is_new else stored.raters.get(rater)
    meeting_id = None if is_new else stored.meetings.get(meeting)
    if rater_id is not None and meeting_id is not None:
        current = stored.forms.get((meeting_id, rater_id, row.instrument))
        if current is not None:
            if any(current[k] != values[k] for k in current):
                return [Problem(row.line, "conflict")]
            plan.matched_forms += 1
            _count_match(plan, client_id, episode, meeting_id)
            return []
    if client_id is None:
        plan.new_clients.setdefault(row.case_code, client)
    if is_new:
        _new_episode(plan, episode, row)
    plan.forms.append(
        PlannedForm(
            row.line, row.case_code, episode, rater, row.rater_label.strip(), meeting,
            helper_id, row.instrument, values,
        )
    )  # fmt: skip
    if meeting_id is None:
        plan.new_meetings.add(meeting)
    _count_match(plan, client_id, episode, meeting_id)
    return []


def _count_match(plan: ImportPlan, client_id, episode, meeting_id) -> None:
    if client_id is not None:
        plan.clients_matched.add(client_id)
    if not isinstance(episode, tuple):
        plan.episodes_matched.add(episode)
    if meeting_id is not None:
        plan.meetings_matched.add(meeting_id)


def _new_episode(plan: ImportPlan, key: EpisodeKey, row: ImportRow) -> None:
    episode = plan.new_episodes.get(key)
    if episode is None:
        client = plan.new_clients.get(row.case_code)
        age_group = client.age_group if client else age_group_of(row)
        episode = plan.new_episodes[key] = NewEpisode(row.case_code, key[2], age_group=age_group)
    if row.episode_end and episode.ended_on is None:
        episode.ended_on, episode.end_reason = row.episode_end, row.end_reason
    if episode.first_date is None or row.meeting_date < episode.first_date:
        episode.first_date = row.meeting_date


def _first_dates(plan: ImportPlan) -> None:
    """A new episode whose start no row gives starts on its first meeting."""
    for episode in plan.new_episodes.values():
        if episode.started_on is None:
            episode.started_on = episode.first_date
