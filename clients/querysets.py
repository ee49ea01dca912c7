"""Access by service need, said once: `visible_to(user)` and `writable_by(user)` on every clinical
model (`Client.objects.visible_to(user)`, `Meeting.objects.writable_by(user)`, ...).

A helper sees and writes the clients they are responsible for or share. A team leader sees the
clients of the teams they lead, and writes only where they are a helper on the case. Nobody sees
anything of another organisation. An organisation administrator manages people, not clinical
data: the administrator role gives no client (kor.access holds the role facts).

Every model states the path from itself to its client (`client_path`); the rule is written once,
below, as the set of client ids the user may see or write (`_client_ids`), and each model keeps
the rows whose client is in it. Views look objects up through these methods first, so what a
user may not see is a 404, indistinguishable from what does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q, Value

from kor.access import (
    is_org_admin,
    led_team_ids,
    may_import,
    may_see_clients,
    teams_led_by,
)

if TYPE_CHECKING:
    from kor.models import ApiToken, User


def _client_ids(user_id: int, organisation_id: int | None = None, *, shares=True, leads=None):
    """The ids of the clients `user_id` is responsible for (and those shared with them, and
    those of the teams `leads`), in the organisation, as one subquery.

    Said as a union of small sets, each read from its own index, rather than as an OR over the
    client's columns: an OR with a subquery in it makes the database read every client of the
    organisation to test it; the union reads only the user's own (measured on PostgreSQL with
    50,000 clients: a caseload page from about 150 ms to under 10 ms).
    """
    # Imported here: clients.models imports this module for its managers.
    from clients.models import Client

    clients = Client.objects.order_by()
    if organisation_id is not None:
        clients = clients.filter(organisation_id=organisation_id)
    parts = [clients.filter(responsible_helper_id=user_id)]
    if shares:
        parts.append(clients.filter(shared_with=user_id))
    if leads is not None:
        parts.append(clients.filter(team_id__in=leads))
    first, *rest = [part.values("pk") for part in parts]
    return first.union(*rest, all=True) if rest else first


def answer_once(client, question: str, user: User, rows) -> bool:
    """Whether `client` is among `rows(user)`, asked of the database once per instance, or not at
    all where the client was read with the answer (ClientQuerySet.answering)."""
    answers = client.__dict__.setdefault("_access_answers", {})
    if (question, user.pk) not in answers:
        read = client.__dict__.get(f"access_{question}")
        if read is not None and client.__dict__.get("access_user") == user.pk:
            answers[question, user.pk] = bool(read)
        else:
            answers[question, user.pk] = rows(user).filter(pk=client.pk).exists()
    return answers[question, user.pk]


class ClinicalQuerySet(models.QuerySet):
    """The access rule for a model whose rows belong to one client, found by `client_path`."""

    client_path = ""  # "" for Client itself; "client" for Episode; "episode__client" for Goal

    def _of_clients(self, ids) -> Self:
        return self.filter(**{f"{self.client_path}__in" if self.client_path else "pk__in": ids})

    def visible_to(self, user: User) -> Self:
        """What the user may read: their own cases and, for a leader, their teams' clients."""
        if not may_see_clients(user):
            return self.none()
        return self._of_clients(
            _client_ids(user.pk, user.organisation_id, leads=led_team_ids(user))
        )

    def led_by(self, user: User) -> Self:
        """What a leader reads as leader: the clients of the teams they lead, visible_to's third
        part alone. Over those teams (the team dashboard and its polls) it is the same rows as
        visible_to, without the union with the user's own cases that the database plans and
        Django writes out on every request."""
        if not may_see_clients(user):
            return self.none()
        path = f"{self.client_path}__" if self.client_path else ""
        return self.filter(
            **{
                f"{path}organisation_id": user.organisation_id,
                f"{path}team_id__in": led_team_ids(user),
            }
        )

    def writable_by(self, user: User) -> Self:
        """What the user may change: only the cases they are a helper on (a leader too)."""
        if not may_see_clients(user):
            return self.none()
        return self._of_clients(_client_ids(user.pk, user.organisation_id))

    def readable_by_token(self, token: ApiToken | None) -> Self:
        """What an API token reads: its organisation's rows, while it is usable (not revoked,
        not expired). A token reads for the organisation's own systems, not for a person."""
        if token is None or token.revoked_at is not None or not token.is_usable:
            return self.none()
        org = f"{self.client_path}__organisation_id" if self.client_path else "organisation_id"
        return self.filter(**{org: token.organisation_id})

    # Narrowing what access allows (not access itself: apply them to visible_to's result).

    def helped_by(self, user_id: int) -> Self:
        """The cases of one helper, e.g. for a leader's filter by helper on the dashboard.

        Tested on each row of a set access has already narrowed (a team's), so an OR over the
        client's own columns is cheapest here: a second set of ids to match would make the
        database join two sets it cannot size.
        """
        # Imported here: clients.models imports this module for its managers.
        from clients.models import Client

        shared = Client.shared_with.through.objects.filter(user_id=user_id).values("client_id")
        if not self.client_path:
            return self.filter(Q(responsible_helper_id=user_id) | Q(pk__in=shared))
        path = self.client_path
        return self.filter(
            Q(**{f"{path}__responsible_helper_id": user_id}) | Q(**{f"{path}__in": shared})
        )

    def in_teams(self, team_ids) -> Self:
        lookup = f"{self.client_path}__team_id__in" if self.client_path else "team_id__in"
        return self.filter(**{lookup: list(team_ids)})


class ClientQuerySet(ClinicalQuerySet):
    client_path = ""

    def answering(self, user: User) -> Self:
        """Each client read with whether `user` may write it (writable_by) and manage it
        (managed_by), as two EXISTS in the same query: the client's page asks both
        (Client.is_writable_by, is_managed_by), which then cost no query of their own."""
        one = OuterRef("pk")
        return self.annotate(
            access_user=Value(user.pk),
            access_writable=Exists(self.model.objects.writable_by(user).filter(pk=one)),
            access_managed=Exists(self.model.objects.managed_by(user).filter(pk=one)),
        )

    def managed_by(self, user: User) -> Self:
        """Whose rights the user handles (export, anonymise, erase): the responsible helper's
        clients and the clients of the teams the user leads; not a colleague sharing the case."""
        if not may_see_clients(user):
            return self.none()
        ids = _client_ids(user.pk, user.organisation_id, shares=False, leads=led_team_ids(user))
        return self._of_clients(ids)

    def audit_reviewable_by(self, user: User) -> Self:
        """Clients whose audit trail the user may review: a leader their teams' clients, an
        organisation administrator every client of the organisation (ids and case codes only:
        the trail, never the clinical data)."""
        if is_org_admin(user):
            return self.filter(organisation_id=user.organisation_id)
        if not may_see_clients(user):
            return self.none()
        return self.filter(organisation_id=user.organisation_id, team__in=teams_led_by(user))

    def importable_by(self, user: User) -> Self:
        """Clients whose forms the user may import (sessions.imports): a leader the clients
        they manage, an organisation administrator every client of the teams of the
        organisation. For matching rows only: the import shows no stored data to anyone."""
        if not may_import(user) or not may_see_clients(user):
            return self.none()
        if is_org_admin(user):
            return self.filter(organisation_id=user.organisation_id)
        return self.managed_by(user)


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


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """An import is seen by the person who started it, while they may still import into
        its organisation (it lists only the file's own rows and counts, never stored data)."""
        if not may_import(user) or not may_see_clients(user):
            return self.none()
        return self.filter(requested_by=user, organisation_id=user.organisation_id)
