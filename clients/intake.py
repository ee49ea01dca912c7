"""Writes of a client's life outside the meetings: intake, details, sharing, transfer, archive.

Each write is one transaction with its audit row; a change is recorded with the values before and
after (detail={"before": {...}, "after": {...}}, only what changed). The client's name is never
written into the audit log: a change of it shows as a masked value.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from clients.models import CaseCodeSequence, Client, Episode, Rater
from kor.audit import audit, record
from kor.case_codes import format_code, uses_year
from kor.models import Membership, Organisation, Team, User

AUDITED = (
    "case_code",
    "name",
    "birth_year",
    "age_group",
    "language_id",
    "forms_consent",
    "forms_consent_on",
    "team_id",
    "responsible_helper_id",
    "active",
)
MASKED = {"name"}


# --- Who may be chosen ----------------------------------------------------------------------------


def open_teams(teams: QuerySet[Team]) -> QuerySet[Team]:
    """Teams a client can be placed in: a closed team keeps its history but takes no one new.
    The one place intake and transfer ask."""
    return teams.filter(closed_at__isnull=True)


def intake_teams(user: User) -> QuerySet[Team]:
    """The teams a user can register a client in: their own (as helper or leader)."""
    if not user.is_authenticated or user.organisation_id is None:
        return Team.objects.none()
    return open_teams(
        Team.objects.filter(organisation_id=user.organisation_id, memberships__user=user)
    ).distinct()


def members_of(teams: QuerySet[Team]) -> list[tuple[User, list[str]]]:
    """The active people of the teams, each with the names of their teams among them."""
    rows = (
        Membership.objects.filter(team__in=teams, user__is_active=True)
        .select_related("user", "team")
        .order_by("user__first_name", "user__last_name", "user__username", "team__name")
    )
    people: dict[int, tuple[User, list[str]]] = {}
    for m in rows:
        people.setdefault(m.user_id, (m.user, []))[1].append(m.team.name)
    return list(people.values())


def colleagues_for_sharing(client: Client) -> QuerySet[User]:
    """People the case can be shared with: members of any team of the client's organisation,
    other than the responsible helper and those it is shared with already."""
    return (
        User.objects.filter(
            organisation_id=client.organisation_id,
            is_active=True,
            memberships__team__organisation_id=client.organisation_id,
        )
        .exclude(pk=client.responsible_helper_id)
        .exclude(pk__in=client.shared_with.values("pk"))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- Case codes -----------------------------------------------------------------------------------


def _sequence_year(organisation: Organisation, today: datetime.date) -> int:
    return today.year if uses_year(organisation.case_code_pattern) else 0


def peek_case_code(organisation: Organisation, today: datetime.date) -> str:
    """The code the next intake would most likely get (for the form's hint; nothing is taken)."""
    year = _sequence_year(organisation, today)
    seq = CaseCodeSequence.objects.filter(organisation=organisation, year=year).first()
    return format_code(
        organisation.case_code_pattern, year=today.year, seq=(seq.last if seq else 0) + 1
    )


def next_case_code(organisation: Organisation, today: datetime.date) -> str:
    """Take the next free code of the organisation's pattern, under a row lock on the sequence
    (two intakes at once get two numbers). A code typed by hand that the pattern would also make
    is skipped. Call inside a transaction: a rolled back intake gives its number back."""
    if not organisation.case_code_pattern:
        raise ValueError("the organisation has no case code pattern: codes are typed by hand")
    year = _sequence_year(organisation, today)
    CaseCodeSequence.objects.get_or_create(organisation=organisation, year=year)
    seq = CaseCodeSequence.objects.select_for_update().get(organisation=organisation, year=year)
    while True:
        seq.last += 1
        code = format_code(organisation.case_code_pattern, year=today.year, seq=seq.last)
        if not Client.objects.filter(organisation=organisation, case_code__iexact=code).exists():
            break
    seq.save(update_fields=["last"])
    return code


# --- Audit values ---------------------------------------------------------------------------------


def snapshot(client: Client) -> dict[str, Any]:
    """The audited fields of a client as JSON values."""
    out: dict[str, Any] = {}
    for name in AUDITED:
        value = getattr(client, name)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        out[name] = value
    out["shared_with"] = sorted(client.shared_with.values_list("pk", flat=True))
    return out


def _masked(values: dict[str, Any]) -> dict[str, Any]:
    return {k: ("***" if k in MASKED and v else v) for k, v in values.items()}


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{"before": {...}, "after": {...}} of the fields that changed (empty when none did)."""
    keys = [k for k in after if before.get(k) != after[k]]
    if not keys:
        return {}
    return {
        "before": _masked({k: before.get(k) for k in keys}),
        "after": _masked({k: after[k] for k in keys}),
    }


def _touch_episodes(client: Client) -> None:
    """The dashboard redraws when an episode's updated_at moves: a new code, helper or team
    must show on every open dashboard at its next poll."""
    Episode.objects.filter(client=client, ended_on__isnull=True).update(updated_at=timezone.now())


# --- Writes ---------------------------------------------------------------------------------------


def registered_by_token(user: User, token: str | None) -> Client | None:
    """The client an intake form with this token has made already, if any."""
    try:
        value = uuid.UUID(str(token))
    except ValueError:
        return None
    return Client.objects.filter(intake_token=value, organisation_id=user.organisation_id).first()


def register_client(
    request: HttpRequest | None, *, data: dict[str, Any], by: User
) -> tuple[Client, bool]:
    """A new client with their first episode (and the client as its rater), from a valid intake
    form. Returns (client, created): the same form sent again returns the client it made.
    `request` is None when the demo seeder registers its clients the way a helper does."""
    token: uuid.UUID = data["token"]
    existing = Client.objects.filter(intake_token=token, organisation_id=by.organisation_id).first()
    if existing is not None:
        return existing, False
    organisation = by.organisation
    try:
        with transaction.atomic():
            client = _create(request, by, organisation, data, token)
    except IntegrityError:
        # The same form sent twice at once: the other request made the client.
        existing = Client.objects.filter(intake_token=token, organisation=organisation).first()
        if existing is None:
            raise
        return existing, False
    return client, True


def _create(
    request: HttpRequest | None,
    by: User,
    organisation: Organisation,
    data: dict[str, Any],
    token: uuid.UUID,
) -> Client:
    today = timezone.localdate()
    code = data["case_code"] or next_case_code(organisation, today)
    client = Client.objects.create(
        organisation=organisation,
        team=data["team"],
        responsible_helper=data["helper"],
        case_code=code,
        name=data.get("name", ""),
        birth_year=data["birth_year"],
        age_group=data["age_group"] or "",
        language=data["language"],
        forms_consent=data["forms_consent"],
        forms_consent_on=data["forms_consent_on"],
        intake_token=token,
    )
    started = data["started_on"]
    episode = Episode.objects.create(
        client=client, started_on=started, age_group=client.age_group_on(started)
    )
    Rater.objects.create(episode=episode, relation=Rater.Relation.CLIENT)
    record("create", client, user=by, request=request, after=_masked(snapshot(client)))
    record(
        "create",
        episode,
        user=by,
        request=request,
        client_id=client.pk,
        after={"started_on": started.isoformat(), "age_group": episode.age_group},
    )
    return client


@transaction.atomic
def update_details(request: HttpRequest, client: Client, before: dict[str, Any]) -> dict:
    """Save a client whose details a valid form has just set (`before`: snapshot taken first)."""
    client.save()
    # An episode without meetings has no form version in use yet: a corrected birth year
    # corrects it. Once forms are filled in, the version of the start stays.
    for episode in Episode.objects.filter(client=client, ended_on__isnull=True, meeting_count=0):
        group = client.age_group_on(episode.started_on)
        if group != episode.age_group:
            episode.age_group = group
            episode.save(update_fields=["age_group", "updated_at"])
    _touch_episodes(client)
    diff = changes(before, snapshot(client))
    if diff:
        audit(request, "update", client, **diff)
    return diff


@transaction.atomic
def share(request: HttpRequest, client: Client, colleague: User) -> None:
    before = snapshot(client)
    client.shared_with.add(colleague)
    audit(request, "update", client, **changes(before, snapshot(client)))


@transaction.atomic
def stop_sharing(request: HttpRequest, client: Client, colleague: User) -> bool:
    before = snapshot(client)
    client.shared_with.remove(colleague)
    diff = changes(before, snapshot(client))
    if diff:
        audit(request, "update", client, **diff)
    return bool(diff)


@transaction.atomic
def transfer(
    request: HttpRequest, client: Client, *, team: Team, helper: User, keep_previous: bool
) -> dict:
    """Give the case to another helper and/or team. The previous helper keeps reading and
    writing only if asked to (then the case is shared with them)."""
    before = snapshot(client)
    previous = client.responsible_helper
    client.team, client.responsible_helper = team, helper
    client.save(update_fields=["team", "responsible_helper"])
    client.shared_with.remove(helper)  # responsible now, not sharing
    if keep_previous and previous.pk != helper.pk:
        client.shared_with.add(previous)
    _touch_episodes(client)
    diff = changes(before, snapshot(client))
    audit(request, "update", client, transfer=True, **diff)
    return diff


@transaction.atomic
def set_active(request: HttpRequest, client: Client, active: bool) -> None:
    before = snapshot(client)
    client.active = active
    client.save(update_fields=["active"])
    audit(request, "update", client, archive=not active, **changes(before, snapshot(client)))
