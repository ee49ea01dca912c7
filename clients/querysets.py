"""Access by service need, said once: `visible_to(user)` and `writable_by(user)` on every clinical
model (`Client.objects.visible_to(user)`, `Meeting.objects.writable_by(user)`, ...).

A helper sees and writes the clients they are responsible for or share. A team leader sees the
clients of the teams they lead, and writes only where they are a helper on the case. Nobody sees
anything of another organisation. An organisation administrator manages people, not clinical
data: the administrator role gives no client (kor.access holds the role facts).

Every model states the path from itself to its client (`client_path`); the rule is written once,
below, as filters on that client's own columns. The two sets it needs beside them, the cases
shared with the user and the teams the user leads, are a handful of rows each, so the database
reads them once and checks each client row against them; no list of every visible client is built.
Views look objects up through these methods first, so what a user may not see is a 404,
indistinguishable from what does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q

from kor.access import is_org_admin, led_team_ids, may_see_clients, teams_led_by

if TYPE_CHECKING:
    from kor.models import User


def _shared_with(user_id: int) -> models.QuerySet:
    # Imported here: clients.models imports this module for its managers.
    from clients.models import Client

    return Client.shared_with.through.objects.filter(user_id=user_id).values("client_id")


class ClinicalQuerySet(models.QuerySet):
    """The access rule for a model whose rows belong to one client, found by `client_path`."""

    client_path = ""  # "" for Client itself; "client" for Episode; "episode__client" for Goal

    def _on_client(self, lookup: str) -> str:
        return f"{self.client_path}__{lookup}" if self.client_path else lookup

    def _client_in(self) -> str:
        return f"{self.client_path}__in" if self.client_path else "pk__in"

    def _in_organisation(self, user: User) -> Q:
        return Q(**{self._on_client("organisation_id"): user.organisation_id})

    def _helper_on(self, user_id: int) -> Q:
        """The cases of a helper: responsible for, or shared with them."""
        return Q(**{self._on_client("responsible_helper_id"): user_id}) | Q(
            **{self._client_in(): _shared_with(user_id)}
        )

    def _led_by(self, user: User) -> Q:
        return Q(**{self._on_client("team_id__in"): led_team_ids(user)})

    def visible_to(self, user: User) -> Self:
        """What the user may read: their own cases and, for a leader, their teams' clients."""
        if not may_see_clients(user):
            return self.none()
        return self.filter(
            self._in_organisation(user), self._helper_on(user.pk) | self._led_by(user)
        )

    def writable_by(self, user: User) -> Self:
        """What the user may change: only the cases they are a helper on (a leader too)."""
        if not may_see_clients(user):
            return self.none()
        return self.filter(self._in_organisation(user), self._helper_on(user.pk))

    # Narrowing what access allows (not access itself: apply them to visible_to's result).

    def helped_by(self, user_id: int) -> Self:
        """The cases of one helper, e.g. for a leader's filter by helper on the dashboard."""
        return self.filter(self._helper_on(user_id))

    def in_teams(self, team_ids) -> Self:
        return self.filter(**{self._on_client("team_id__in"): list(team_ids)})


class ClientQuerySet(ClinicalQuerySet):
    client_path = ""

    def managed_by(self, user: User) -> Self:
        """Whose rights the user handles (export, anonymise, erase): the responsible helper's
        clients and the clients of the teams the user leads; not a colleague sharing the case."""
        if not may_see_clients(user):
            return self.none()
        return self.filter(
            self._in_organisation(user),
            Q(responsible_helper_id=user.pk) | self._led_by(user),
        )

    def audit_reviewable_by(self, user: User) -> Self:
        """Clients whose audit trail the user may review: a leader their teams' clients, an
        organisation administrator every client of the organisation (ids and case codes only:
        the trail, never the clinical data)."""
        if is_org_admin(user):
            return self.filter(organisation_id=user.organisation_id)
        if not may_see_clients(user):
            return self.none()
        return self.filter(organisation_id=user.organisation_id, team__in=teams_led_by(user))


class EpisodeQuerySet(ClinicalQuerySet):
    client_path = "client"


class EpisodePartQuerySet(ClinicalQuerySet):
    """Goals, raters and supervision marks: one step from the episode to the client."""

    client_path = "episode__client"


class SupervisionMarkQuerySet(EpisodePartQuerySet):
    def writable_by(self, user: User) -> Self:
        """Putting an episode on the supervision list and taking it off is the leader's tool
        as much as the helper's: whoever sees the episode may (the episode itself is not
        changed)."""
        return self.visible_to(user)


class MeetingQuerySet(ClinicalQuerySet):
    client_path = "episode__client"


class FormResponseQuerySet(ClinicalQuerySet):
    client_path = "meeting__episode__client"


class ReportJobQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """A background report is seen by the person who asked for it, while they lead its team
        (the file holds the team's clients)."""
        if not may_see_clients(user):
            return self.none()
        return self.filter(requested_by=user, team__in=teams_led_by(user))
