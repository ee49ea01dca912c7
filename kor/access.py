"""Access by service need: the facts about a person that decide what they may see.

Who leads which team, who is an organisation administrator, who may review the audit log: these
need only the organisation side (kor.models), so they live here, in the core. The rule over the
clinical data itself (a helper sees the clients they are responsible for or share; a team leader
the clients of the teams they lead; nobody anything of another organisation) is said once, as
QuerySet methods on the clinical models: `Client.objects.visible_to(user)`,
`Meeting.objects.writable_by(user)` (clients/querysets.py), which use the facts below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from kor.models import Membership, Team

if TYPE_CHECKING:
    from kor.models import User


def may_see_clients(user: User) -> bool:
    """Only an active, logged-in member of an organisation sees any client at all."""
    return bool(user.is_authenticated and user.is_active and user.organisation_id is not None)


def teams_led_by(user: User) -> QuerySet[Team]:
    if not user.is_authenticated or user.organisation_id is None:
        return Team.objects.none()
    return Team.objects.filter(
        organisation_id=user.organisation_id,
        memberships__user=user,
        memberships__role=Membership.Role.LEADER,
    ).distinct()


# --- Roles -------------------------------------------------------------------------------------
# helper and team leader come from Membership; an organisation administrator (User.is_org_admin)
# manages people and teams and reviews the audit log, never clinical data; a superuser runs the
# Django admin. Nobody reaches another organisation.


def is_org_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_org_admin and user.organisation_id)


def team_roles(user: User) -> frozenset[str]:
    """The roles (helper, leader) the user holds in teams of their organisation, in one query:
    for a page that asks several of the questions below at once (the header)."""
    if not user.is_authenticated or user.organisation_id is None:
        return frozenset()
    memberships = Membership.objects.filter(
        user_id=user.pk, team__organisation_id=user.organisation_id
    )
    return frozenset(memberships.values_list("role", flat=True))


def is_leader(user: User, roles: frozenset[str] | None = None) -> bool:
    """Whether the user leads a team of their organisation; `roles` (team_roles, where the
    caller has read them) answers it without a query."""
    return Membership.Role.LEADER in (team_roles(user) if roles is None else roles)


def requires_two_factor(user: User) -> bool:
    """Leaders, organisation administrators and staff must log in with a second factor."""
    from django.conf import settings

    if not user.is_authenticated:
        return False
    if not getattr(settings, "TWO_FACTOR_REQUIRED_FOR_LEADERS", True):
        return False
    return bool(user.is_superuser or user.is_staff or is_org_admin(user) or is_leader(user))


# --- The audit log's readers ---------------------------------------------------------------------
# A leader reviews what happened to the clients of their teams and what the people in their teams
# did; an organisation administrator the whole organisation's trail. Helpers review nothing.


def may_review_audit(user: User, roles: frozenset[str] | None = None) -> bool:
    return is_org_admin(user) or is_leader(user, roles)


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


def get_audit_user_for_user(user: User, pk: int | str) -> User:
    from kor.models import User as UserModel

    try:
        return users_visible_to(user).get(pk=pk)
    except (UserModel.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# --- Import of forms from spreadsheets (sessions.imports) ----------------------------------------
# A team leader imports for the teams they lead; an organisation administrator for every team of
# the organisation (a service moving its old spreadsheets in). The administrator still reads no
# clinical data: the import matches rows against stored forms, but the preview shows only counts
# and the problems of the file's own rows, never what is stored. Helpers do not import.


def may_import(user: User) -> bool:
    return is_org_admin(user) or is_leader(user)


def import_teams(user: User) -> QuerySet[Team]:
    """The teams whose clients the user may import forms for (new clients go into these)."""
    if is_org_admin(user):
        return Team.objects.filter(organisation_id=user.organisation_id)
    return teams_led_by(user)
