"""Store what a plan says to create, in one transaction: clients, episodes (each with its client
as first rater), raters, meetings (numbered in date order), forms (source "import", entered by the
importing user); then the status and flags of every episode touched, and one audit row per client.
Bulk inserts in batches, so 100,000 rows take seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clients.models import Client, Episode, Rater
from kor.audit import record_many
from sessions.bulk_sql import insert_rows
from sessions.imports.plan import NEW, ImportPlan
from sessions.models import FormResponse, Meeting
from sessions.outcome_bulk import refresh_episodes
from sessions.services import renumber_meetings

BATCH = 1000


@dataclass
class ImportResult:
    """What an import stored. `refused`: nothing was stored because the file had problems and
    only a clean file was to be imported (`only_valid=False`)."""

    refused: bool = False
    clients: int = 0
    episodes: int = 0
    meetings: int = 0
    forms: int = 0
    already_stored: int = 0
    problems: int = 0
    episode_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, int | bool]:
        return {
            "refused": self.refused,
            "clients": self.clients,
            "episodes": self.episodes,
            "meetings": self.meetings,
            "forms": self.forms,
            "already_stored": self.already_stored,
            "problems": self.problems,
        }


Progress = Callable[[int, int], None]


def apply_import(
    plan: ImportPlan,
    *,
    only_valid: bool = True,
    progress: Progress | None = None,
    detail: dict | None = None,
) -> ImportResult:
    """Store the plan's valid rows. With `only_valid=False` a plan with any problem stores
    nothing (the file is imported whole or not at all)."""
    result = ImportResult(already_stored=plan.matched_forms, problems=plan.problem_lines)
    if plan.problems and not only_valid:
        result.refused = True
        return result
    steps = 6
    step = progress or (lambda done, total: None)
    with transaction.atomic():
        clients = _clients(plan)
        step(1, steps)
        episodes = _episodes(plan, clients)
        step(2, steps)
        raters = _raters(plan, episodes)
        step(3, steps)
        meetings = _meetings(plan, episodes)
        step(4, steps)
        touched = _forms(plan, episodes, raters, meetings)
        step(5, steps)
        refresh_episodes(touched)
        client_ids = sorted({clients.get(f.case_code) for f in plan.forms} - {None})
        record_many(
            "create",
            [Client(pk=pk) for pk in client_ids],
            user=plan.user,
            organisation_id=plan.organisation.pk,
            what="import",
            **(detail or {}),
        )
    result.clients = len(plan.new_clients)
    result.episodes = len(plan.new_episodes)
    result.meetings = len(plan.new_meetings)
    result.forms = len(plan.forms)
    result.episode_ids = sorted(touched)
    step(steps, steps)
    return result


def _clients(plan: ImportPlan) -> dict[str, int]:
    ids = dict(plan.stored.clients)
    org = plan.organisation.pk
    rows = [
        (org, c.team_id, c.helper_id, c.case_code, c.age_group) for c in plan.new_clients.values()
    ]
    columns = ["organisation", "team", "responsible_helper", "case_code", "age_group"]
    insert_rows(Client, columns, rows)
    codes = sorted(plan.new_clients)
    for start in range(0, len(codes), BATCH):
        made = Client.objects.filter(
            organisation_id=org, case_code__in=codes[start : start + BATCH]
        )
        ids |= dict(made.values_list("case_code", "pk"))
    return ids


def _episodes(plan: ImportPlan, clients: dict[str, int]) -> dict[tuple, int]:
    """{new episode key: id}, each new episode with its client as its first rater."""
    wanted = {(clients[e.client], e.started_on): key for key, e in plan.new_episodes.items()}
    rows = [
        (clients[e.client], e.started_on, e.ended_on, e.end_reason, e.age_group)
        for e in plan.new_episodes.values()
    ]
    insert_rows(Episode, ["client", "started_on", "ended_on", "end_reason", "age_group"], rows)
    stored = {e.pk for episodes in plan.stored.episodes.values() for e in episodes}
    client_ids = sorted({client for client, _ in wanted})
    ids: dict[tuple, int] = {}
    for start in range(0, len(client_ids), BATCH):
        made = Episode.objects.filter(client_id__in=client_ids[start : start + BATCH])
        for pk, client, started in made.values_list("pk", "client_id", "started_on"):
            if pk not in stored and (client, started) in wanted:
                ids[wanted[(client, started)]] = pk
    client = Rater.Relation.CLIENT
    insert_rows(Rater, ["episode", "relation", "label"], [(pk, client, "") for pk in ids.values()])
    return ids


def _episode_id(key, episodes: dict[tuple, int]) -> int:
    return episodes[key] if isinstance(key, tuple) and key[0] == NEW else key


def _raters(plan: ImportPlan, episodes: dict[tuple, int]) -> dict[tuple, int]:
    """{(episode id, relation, label): rater id} for every rater the forms need."""
    ids = {(e, rel, label): pk for (e, rel, label), pk in plan.stored.raters.items()}
    new_episodes = set(episodes.values())
    wanted: dict[tuple, str] = {}
    for form in plan.forms:
        episode_key, relation, label = form.rater
        key = (_episode_id(episode_key, episodes), relation, label)
        if key in ids:
            continue
        if relation == Rater.Relation.CLIENT and key[0] in new_episodes:
            continue  # made with the episode
        wanted.setdefault(key, form.label)
    rows = [(e, rel, label) for (e, rel, _), label in wanted.items()]
    insert_rows(Rater, ["episode", "relation", "label"], rows)
    chunk = sorted({key[0] for key in wanted} | new_episodes)
    for start in range(0, len(chunk), BATCH):
        for pk, e, rel, label in Rater.objects.filter(
            episode_id__in=chunk[start : start + BATCH]
        ).values_list("pk", "episode_id", "relation", "label"):
            lowered = "" if rel == Rater.Relation.CLIENT else label.strip().lower()
            ids.setdefault((e, rel, lowered), pk)
    return ids


def _meetings(plan: ImportPlan, episodes: dict[tuple, int]) -> dict[tuple, int]:
    """{(episode id, date): meeting id}: the stored meetings and the new ones, numbered."""
    now = timezone.now()
    ids = dict(plan.stored.meetings)
    dates: dict[int, dict[dt.date, tuple]] = defaultdict(dict)
    for form in plan.forms:
        episode_key, day = form.meeting
        if form.meeting in plan.new_meetings:
            e = _episode_id(episode_key, episodes)
            group = form.instrument == "GSRS"
            dates[e].setdefault(day, (form.helper_id, group))
    new_ids = set(episodes.values())
    stored_ids = [e for e in dates if e not in new_ids]
    last: dict[int, tuple[int, dt.date]] = {}
    for start in range(0, len(stored_ids), BATCH):
        rows = (
            Meeting.objects.filter(episode_id__in=stored_ids[start : start + BATCH])
            .values("episode_id")
            .annotate(n=Max("number"), d=Max("date"))
            .values_list("episode_id", "n", "d")
        )
        last |= {e: (n, d) for e, n, d in rows}
    new, renumber = [], []
    for e, days in dates.items():
        number, latest = last.get(e, (0, None))
        if latest and min(days) < latest:
            renumber.append(e)  # a meeting from paper goes before stored ones
        for day in sorted(days):
            number += 1
            helper_id, group = days[day]
            fmt = Meeting.Format.GROUP if group else Meeting.Format.INDIVIDUAL
            new.append((e, number, day, helper_id, fmt, now))
    insert_rows(Meeting, ["episode", "number", "date", "helper", "format", "created_at"], new)
    episode_ids = sorted(dates)
    for start in range(0, len(episode_ids), BATCH):
        rows = Meeting.objects.filter(episode_id__in=episode_ids[start : start + BATCH])
        for pk, e, day in rows.order_by("-number").values_list("pk", "episode_id", "date"):
            ids[(e, day)] = pk
    for e in renumber:
        renumber_meetings(Episode(pk=e))
    return ids


def _forms(plan: ImportPlan, episodes: dict, raters: dict, meetings: dict) -> set[int]:
    """Create the forms; returns the ids of the episodes they belong to."""
    touched: set[int] = set()
    now = timezone.now()
    new = []
    for form in plan.forms:
        _, relation, label = form.rater
        e = _episode_id(form.episode, episodes)
        touched.add(e)
        v = form.values
        new.append(
            (
                meetings[(e, form.meeting[1])],
                raters[(e, relation, label)],
                form.instrument,
                v["item1"], v["item2"], v["item3"], v["item4"], v["total"],
                v["status"], "", v["declined_reason"],
                FormResponse.Source.IMPORT, plan.user.pk, now, now,
            )
        )  # fmt: skip
    insert_rows(FormResponse, FORM_COLUMNS, new)
    return touched


FORM_COLUMNS = (
    "meeting",
    "rater",
    "instrument",
    "item1",
    "item2",
    "item3",
    "item4",
    "total",
    "status",
    "declined_reason_code",
    "declined_reason",
    "source",
    "entered_by",
    "created_at",
    "updated_at",
)
