"""What an import is matched against: the organisation's teams and people, and the stored
clients, episodes, raters, meetings and forms of the case codes in the file, read in batches
(a few queries per 500 case codes, whatever the file's size).

Clients are found through `Client.objects.importable_by(user)`; everything else is read only for
those clients. Case codes of clients the user may not import into are known only as taken.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from clients.models import Client, Episode, Rater
from kor.access import import_teams
from kor.models import Organisation, User
from sessions.models import FormResponse, Meeting

BATCH = 500
FORM_FIELDS = ("status", "item1", "item2", "item3", "item4", "total")


@dataclass(frozen=True, slots=True)
class StoredEpisode:
    pk: int
    started_on: dt.date
    ended_on: dt.date | None

    def holds(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


@dataclass
class Stored:
    teams: dict[str, int] = field(default_factory=dict)  # lower-case name -> id (importable)
    people: dict[str, int] = field(default_factory=dict)  # username / e-mail (lower) -> id
    clients: dict[str, int] = field(default_factory=dict)  # case code -> id (importable)
    helper_of: dict[int, int] = field(default_factory=dict)  # client id -> responsible helper
    taken: set[str] = field(default_factory=set)  # case codes of clients not importable
    own_teams: set[int] = field(default_factory=set)  # teams the importing user works in
    episodes: dict[int, list[StoredEpisode]] = field(default_factory=lambda: defaultdict(list))
    raters: dict[tuple, int] = field(default_factory=dict)  # (episode, relation, label) -> id
    meetings: dict[tuple, int] = field(default_factory=dict)  # (episode, date) -> id
    forms: dict[tuple, dict] = field(default_factory=dict)  # (meeting, rater, form) -> values

    def team_id(self, name: str) -> int | None:
        return self.teams.get(name.strip().lower())

    def person_id(self, name: str) -> int | None:
        return self.people.get(name.strip().lower())


def _chunks(values: list, size: int = BATCH):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def rater_key(relation: str, label: str) -> tuple[str, str]:
    # The client rates once per episode: a label on the client's own row changes nothing.
    return (relation, "" if relation == Rater.Relation.CLIENT else label.strip().lower())


def load(organisation: Organisation, user: User, case_codes: set[str], names: set[str]) -> Stored:
    stored = Stored()
    stored.teams = {
        name.lower(): pk
        for pk, name in import_teams(user)
        .filter(organisation=organisation)
        .values_list("pk", "name")
    }
    stored.own_teams = set(user.memberships.values_list("team_id", flat=True))
    lowered = sorted({n.strip().lower() for n in names if n.strip()})
    for chunk in _chunks(lowered):
        people = User.objects.filter(organisation=organisation, is_active=True).filter(
            Q(username__in=chunk) | Q(email__in=chunk)
        )
        for pk, username, email in people.values_list("pk", "username", "email"):
            stored.people[username.lower()] = pk
            if email:
                stored.people[email.lower()] = pk
    _clients(stored, organisation, user, sorted(case_codes))
    _episodes(stored)
    return stored


def _clients(stored: Stored, organisation: Organisation, user: User, codes: list[str]) -> None:
    # The ids the user may import into, read once: asking the access rule again for each batch
    # of case codes made the database evaluate it per batch (20 s for 4,000 clients).
    importable = set(
        Client.objects.importable_by(user)
        .filter(organisation=organisation)
        .values_list("pk", flat=True)
    )
    for chunk in _chunks(codes):
        rows = Client.objects.filter(organisation=organisation, case_code__in=chunk).values_list(
            "pk", "case_code", "responsible_helper_id"
        )
        for pk, code, helper_id in rows:
            if pk in importable:
                stored.clients[code] = pk
                stored.helper_of[pk] = helper_id
            else:
                stored.taken.add(code)


def _episodes(stored: Stored) -> None:
    client_ids = sorted(stored.clients.values())
    episode_ids: list[int] = []
    for chunk in _chunks(client_ids):
        rows = Episode.objects.filter(client_id__in=chunk).order_by("started_on", "pk")
        for pk, client_id, start, end in rows.values_list(
            "pk", "client_id", "started_on", "ended_on"
        ):
            stored.episodes[client_id].append(StoredEpisode(pk, start, end))
            episode_ids.append(pk)
    for chunk in _chunks(episode_ids):
        for pk, episode_id, relation, label in Rater.objects.filter(
            episode_id__in=chunk
        ).values_list("pk", "episode_id", "relation", "label"):
            stored.raters.setdefault((episode_id, *rater_key(relation, label)), pk)
        meetings = Meeting.objects.filter(episode_id__in=chunk).order_by("number")
        meeting_ids = []
        for pk, episode_id, date in meetings.values_list("pk", "episode_id", "date"):
            stored.meetings.setdefault((episode_id, date), pk)
            meeting_ids.append(pk)
        # By meeting id (the forms' own index), not through a join on the episode, which
        # made the database walk every form of the organisation for each batch.
        for part in _chunks(meeting_ids):
            forms = FormResponse.objects.filter(meeting_id__in=part).values_list(
                "meeting_id", "rater_id", "instrument", *FORM_FIELDS
            )
            for meeting_id, rater_id, instrument, *values in forms:
                stored.forms[(meeting_id, rater_id, instrument)] = dict(
                    zip(FORM_FIELDS, values, strict=True)
                )
