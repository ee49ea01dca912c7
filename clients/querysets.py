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

from functools import cache
from typing import TYPE_CHECKING, Self

from django.db import connection, models
from django.db.models import BooleanField, Q, Value
from django.db.models.expressions import RawSQL

from kor.access import (
    is_org_admin,
    may_import,
    may_see_clients,
    teams_led_by,
)
from kor.models import Membership

if TYPE_CHECKING:
    from kor.models import ApiToken, User


def _client_ids(user_id: int, organisation_id: int, *, shares=True, leads=False) -> RawSQL:
    """The ids of the clients `user_id` is responsible for (and those shared with them, and
    those of the teams they lead), in the organisation, as one subquery.

    Said as a union of small sets, each read from its own index, rather than as an OR over the
    client's columns: an OR with a subquery in it makes the database read every client of the
    organisation to test it; the union reads only the user's own (measured on PostgreSQL with
    50,000 clients: a caseload page from about 150 ms to under 10 ms).

    Written as SQL with parameters, not as querysets: every view asks it once or more per
    request, and Django took about 1 ms to build and compile the union of querysets each time,
    more than the database took to run it (tests/clients/test_access_querysets.py holds the
    rule for every model and persona).
    """
    sql, per_part = _client_ids_sql(shares, leads)
    role = [Membership.Role.LEADER.value] if leads else []
    return RawSQL(sql, per_part * [organisation_id, user_id] + role)  # noqa: S611 (names only)


# Which of the sets of `_client_ids` answers which question. A helper is responsible for a case
# or shares it; a leader leads the client's team.
RULES = {
    "visible": {"shares": True, "leads": True},  # read
    "writable": {"shares": True, "leads": False},  # change: helpers on the case only
    "managed": {"shares": False, "leads": True},  # the client's rights: not a sharing colleague
}


def _ids(user: User, question: str) -> RawSQL | None:
    """The ids of the clients the user may <question> (RULES), or None: no client at all."""
    if not may_see_clients(user):
        return None
    return _client_ids(user.pk, user.organisation_id, **RULES[question])


def _name(model, field: str = "") -> str:
    """A model's table, or one of its columns, quoted for the database."""
    meta = model._meta
    return connection.ops.quote_name(meta.get_field(field).column if field else meta.db_table)


@cache
def _led_teams_sql() -> str:
    """The teams a user leads (one parameter: the user; then the role): a few rows."""
    member = _name(Membership)
    team, user, role = (_name(Membership, f) for f in ("team", "user", "role"))
    where = f"{member}.{user} = %s AND {member}.{role} = %s"
    return f"SELECT {member}.{team} FROM {member} WHERE {where}"  # noqa: S608 (names only)


def _led_team_ids(user: User) -> RawSQL:
    return RawSQL(_led_teams_sql(), [user.pk, Membership.Role.LEADER.value])  # noqa: S611


@cache
def _client_ids_sql(shares: bool, leads: bool) -> tuple[str, int]:
    """The union's SQL and how many parts it has; each part takes the organisation and the
    user, in that order, and the leaders' part the role last. Only names taken from the models
    (quoted) go into the text; every value is a parameter."""
    # Imported here: clients.models imports this module for its managers.
    from clients.models import Client

    shared = Client.shared_with.through
    n = {
        "client": _name(Client),
        "org": _name(Client, "organisation"),
        "helper": _name(Client, "responsible_helper"),
        "team": _name(Client, "team"),
        "shared": _name(shared),
        "shared_client": _name(shared, "client"),
        "shared_user": _name(shared, "user"),
    }
    own = "SELECT {client}.id FROM {client} WHERE {client}.{org} = %s AND {client}.{helper} = %s"
    parts = [own]
    if shares:
        parts.append(
            "SELECT {client}.id FROM {client} INNER JOIN {shared}"
            " ON {shared}.{shared_client} = {client}.id"
            " WHERE {client}.{org} = %s AND {shared}.{shared_user} = %s"
        )
    if leads:
        n["led"] = _led_teams_sql()
        parts.append(
            "SELECT {client}.id FROM {client} WHERE {client}.{org} = %s"
            " AND {client}.{team} IN ({led})"
        )
    return " UNION ALL ".join(part.format(**n) for part in parts), len(parts)


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

    def _answer(self, user: User, question: str) -> Self:
        ids = _ids(user, question)
        return self.none() if ids is None else self._of_clients(ids)

    def visible_to(self, user: User) -> Self:
        """What the user may read: their own cases and, for a leader, their teams' clients."""
        return self._answer(user, "visible")

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
                f"{path}team_id__in": _led_team_ids(user),
            }
        )

    def writable_by(self, user: User) -> Self:
        """What the user may change: only the cases they are a helper on (a leader too)."""
        return self._answer(user, "writable")

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
        (managed_by), in the same query: the client's page asks both (Client.is_writable_by,
        is_managed_by), which then cost no query of their own."""
        table = _name(self.model)

        def among(question: str) -> Value | RawSQL:
            ids = _ids(user, question)
            if ids is None:
                return Value(False)
            sql = f"{table}.id IN ({ids.sql})"
            return RawSQL(sql, ids.params, output_field=BooleanField())  # noqa: S611

        return self.annotate(
            access_user=Value(user.pk),
            access_writable=among("writable"),
            access_managed=among("managed"),
        )

    def managed_by(self, user: User) -> Self:
        """Whose rights the user handles (export, anonymise, erase): the responsible helper's
        clients and the clients of the teams the user leads; not a colleague sharing the case."""
        return self._answer(user, "managed")

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
