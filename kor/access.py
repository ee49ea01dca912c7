"""Access by service need: the one place that decides who sees which client.

A helper sees the clients they are responsible for or share; a team leader the clients of the
teams they lead; nobody anything of another organisation. An organisation administrator manages
people, not clinical data, and sees no client. Every view looks objects up through the functions
here, first, so that what a user may not see is a 404, indistinguishable from what does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from clients.models import Client, Episode
from kor.models import Membership, Team

if TYPE_CHECKING:
    from kor.models import User


def clients_visible_to(user: User) -> QuerySet[Client]:
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return Client.objects.none()
    led = Membership.objects.filter(user=user, role=Membership.Role.LEADER).values("team_id")
    return Client.objects.filter(
        Q(responsible_helper=user) | Q(shared_with=user) | Q(team_id__in=led),
        organisation_id=user.organisation_id,
    ).distinct()


def episodes_visible_to(user: User) -> QuerySet[Episode]:
    return Episode.objects.filter(client__in=clients_visible_to(user).values("pk"))


def teams_led_by(user: User) -> QuerySet[Team]:
    if not user.is_authenticated or user.organisation_id is None:
        return Team.objects.none()
    return Team.objects.filter(
        organisation_id=user.organisation_id,
        memberships__user=user,
        memberships__role=Membership.Role.LEADER,
    ).distinct()


def is_helper_on(user: User, client: Client) -> bool:
    """May write clinical data: the responsible helper or a helper the case is shared with."""
    if client.organisation_id != user.organisation_id:
        return False
    return client.responsible_helper_id == user.pk or client.shared_with.filter(pk=user.pk).exists()


def get_client_for_user(user: User, pk: int | str) -> Client:
    try:
        return clients_visible_to(user).select_related("team", "responsible_helper").get(pk=pk)
    except (Client.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_writable_client_for_user(user: User, pk: int | str) -> Client:
    client = get_client_for_user(user, pk)
    if not is_helper_on(user, client):
        # A leader may read every client of their teams but writes only as a helper on the case.
        raise Http404
    return client


def get_episode_for_user(user: User, pk: int | str, *, write: bool = False) -> Episode:
    try:
        episode = (
            episodes_visible_to(user)
            .select_related("client", "client__team", "client__responsible_helper")
            .get(pk=pk)
        )
    except (Episode.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if write and not is_helper_on(user, episode.client):
        raise Http404
    return episode


# --- Roles -------------------------------------------------------------------------------------
# helper and team leader come from Membership; an organisation administrator (User.is_org_admin)
# manages people and teams and reviews the audit log, never clinical data; a superuser runs the
# Django admin. Nobody reaches another organisation.


def is_org_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_org_admin and user.organisation_id)


def is_leader(user: User) -> bool:
    return bool(user.is_authenticated and teams_led_by(user).exists())


def requires_two_factor(user: User) -> bool:
    """Leaders, organisation administrators and staff must log in with a second factor."""
    from django.conf import settings

    if not user.is_authenticated:
        return False
    if not getattr(settings, "TWO_FACTOR_REQUIRED_FOR_LEADERS", True):
        return False
    return bool(user.is_superuser or user.is_staff or is_org_admin(user) or is_leader(user))


def can_manage_client(user: User, client: Client) -> bool:
    """May export or anonymise a client: the responsible helper or a leader of the client's team."""
    if not user.is_authenticated or client.organisation_id != user.organisation_id:
        return False
    if client.responsible_helper_id == user.pk:
        return True
    return teams_led_by(user).filter(pk=client.team_id).exists()


def get_managed_client_for_user(user: User, pk: int | str) -> Client:
    client = get_client_for_user(user, pk)
    if not can_manage_client(user, client):
        raise Http404
    return client


# --- The audit log's readers ---------------------------------------------------------------------
# A leader reviews what happened to the clients of their teams and what the people in their teams
# did; an organisation administrator the whole organisation's trail. Helpers review nothing.


def may_review_audit(user: User) -> bool:
    return is_org_admin(user) or is_leader(user)


def users_visible_to(user: User) -> QuerySet[User]:
    from kor.models import User as UserModel

    if is_org_admin(user):
        return UserModel.objects.filter(organisation_id=user.organisation_id)
    if not user.is_authenticated or user.organisation_id is None:
        return UserModel.objects.none()
    return UserModel.objects.filter(
        organisation_id=user.organisation_id,
        memberships__team__in=teams_led_by(user),
    ).distinct()


def audit_clients_visible_to(user: User) -> QuerySet[Client]:
    """Clients whose audit trail the user may review (admins: ids and case codes only)."""
    if is_org_admin(user):
        return Client.objects.filter(organisation_id=user.organisation_id)
    if not user.is_authenticated or user.organisation_id is None:
        return Client.objects.none()
    return Client.objects.filter(organisation_id=user.organisation_id, team__in=teams_led_by(user))


def audit_events_visible_to(user: User):
    from kor.models import AuditEvent

    if is_org_admin(user):
        return AuditEvent.objects.filter(organisation_id=user.organisation_id)
    if not is_leader(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        Q(client_id__in=audit_clients_visible_to(user).values("pk"))
        | Q(user__in=users_visible_to(user).values("pk"))
        | administration_events_about(user),
        organisation_id=user.organisation_id,
    )


def administration_events_about(leader: User) -> Q:
    """What an organisation administrator did to the leader's people and teams (kor.orgadmin):
    role changes, deactivations, lockouts lifted, second factors reset, refused self-grants.
    A role change names its team, so it stays in view after the person has left the team."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    led = list(teams_led_by(leader).values_list("pk", flat=True))
    people = users_visible_to(leader).annotate(key=Cast("pk", CharField())).values("key")
    return Q(detail__has_key="administration") & (
        Q(object_type="kor.user", object_id__in=people)
        | Q(object_type="kor.team", object_id__in=[str(pk) for pk in led])
        | Q(detail__team__in=led)
    )


def get_audit_client_for_user(user: User, pk: int | str) -> Client:
    try:
        return audit_clients_visible_to(user).get(pk=pk)
    except (Client.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_audit_user_for_user(user: User, pk: int | str) -> User:
    from kor.models import User as UserModel

    try:
        return users_visible_to(user).get(pk=pk)
    except (UserModel.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
