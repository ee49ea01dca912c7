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
    except (Client.DoesNotExist, ValueError, TypeError):
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
    except (Episode.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not is_helper_on(user, episode.client):
        raise Http404
    return episode
