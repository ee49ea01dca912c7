"""Organisation administration: the writes an organisation administrator makes to people and teams.

Each function takes the request (its user is the administrator, already checked), changes one
thing in one transaction and writes one audit row with what it was before and after. The audit
rows are about a person (object kor.user) or a team (kor.team) and carry `administration` in their
detail, so the audit review can show them to the leaders of the person's teams (kor.access).

The rules that hold whatever form or crafted POST arrives:
- an administrator never gives themselves a clinical role (helper or leader in a team): refused
  and audited, because that is how an administrator would read clinical data;
- an administrator never sets a password, only sends a set-password link;
- the organisation always keeps an active administrator.
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kor.access import is_org_admin
from kor.audit import audit
from kor.models import Membership, Team, User


class Refused(Exception):
    """A change the rules do not allow; the message says why, for the administrator."""


# --- Lookups: an administrator reaches the people and teams of their own organisation only ------


def people_managed_by(admin: User) -> QuerySet[User]:
    if not is_org_admin(admin):
        return User.objects.none()
    # Superusers run the service; they are not the organisation's people to manage.
    return User.objects.filter(organisation_id=admin.organisation_id, is_superuser=False)


def get_person_for_admin(admin: User, pk: int | str) -> User:
    try:
        return people_managed_by(admin).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def teams_managed_by(admin: User) -> QuerySet[Team]:
    if not is_org_admin(admin):
        return Team.objects.none()
    return Team.objects.filter(organisation_id=admin.organisation_id)


def get_team_for_admin(admin: User, pk: int | str) -> Team:
    try:
        return teams_managed_by(admin).get(pk=pk)
    except (Team.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def is_locked_out(person: User) -> bool:
    return AccessAttempt.objects.filter(
        username=person.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


def has_second_factor(person: User) -> bool:
    return TOTPDevice.objects.filter(user=person).exists()


# --- People ---------------------------------------------------------------------------------------


def _audit_person(request: HttpRequest, action: str, person: User, kind: str, **detail) -> None:
    audit(request, action, person, administration=kind, person=str(person), **detail)


def send_set_password_link(request: HttpRequest, person: User, *, invited: bool) -> None:
    """E-mail a link to Django's set-password page (the password-reset token machinery).

    The token is bound to the password hash and the last login, so it stops working once used.
    """
    link = request.build_absolute_uri(
        reverse(
            "password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
                "token": default_token_generator.make_token(person),
            },
        )
    )
    context = {
        "person": person,
        "organisation": request.user.organisation,
        "link": link,
        "invited": invited,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("orgadmin/email_subject.txt", context).strip()
    body = render_to_string("orgadmin/email_body.txt", context)
    send_mail(subject, body, None, [person.email])


@dataclass
class Invitation:
    email: str
    first_name: str
    last_name: str
    title: str


def invite(request: HttpRequest, data: Invitation) -> User:
    """A new person of the organisation, with no password until they set one from the e-mail."""
    email = data.email.strip().lower()
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise Refused(_("Someone already has an account with this e-mail address."))
    try:
        with transaction.atomic():
            person = User(
                username=email,
                email=email,
                first_name=data.first_name,
                last_name=data.last_name,
                title=data.title,
                organisation_id=request.user.organisation_id,
            )
            person.set_unusable_password()
            person.save()
    except IntegrityError:
        # A double submit: the first request made the account.
        raise Refused(_("Someone already has an account with this e-mail address.")) from None
    _audit_person(request, "create", person, "invited", after={"email": email})
    send_set_password_link(request, person, invited=True)
    return person


def update_details(request: HttpRequest, person: User, changes: dict[str, str]) -> None:
    before = {field: getattr(person, field) for field in changes}
    changed = {k: v for k, v in changes.items() if before[k] != v}
    if not changed:
        return
    for field, value in changed.items():
        setattr(person, field, value)
    person.save(update_fields=list(changed))
    _audit_person(
        request,
        "update",
        person,
        "details",
        before={k: before[k] for k in changed},
        after=changed,
    )


def _active_admins(person: User) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=person.organisation_id, is_org_admin=True, is_active=True
    )


def _refuse_losing_last_admin(person: User) -> None:
    # Locked in the same transaction, so two administrators removing each other at once cannot
    # both pass the count.
    admins = list(_active_admins(person).select_for_update())
    if person.is_org_admin and person.is_active and len(admins) <= 1:
        raise Refused(_("The organisation must keep at least one active administrator."))


def set_active(request: HttpRequest, person: User, active: bool) -> None:
    if person.is_active == active:
        return
    if not active:
        if person.pk == request.user.pk:
            raise Refused(_("You cannot deactivate yourself."))
        _refuse_losing_last_admin(person)
    person.is_active = active
    person.save(update_fields=["is_active"])
    _audit_person(
        request,
        "update",
        person,
        "activated" if active else "deactivated",
        before={"active": not active},
        after={"active": active},
    )


def set_org_admin(request: HttpRequest, person: User, value: bool) -> None:
    if person.is_org_admin == value:
        return
    if not value:
        _refuse_losing_last_admin(person)
    if value and person.memberships.exists():
        # An administrator sees the whole organisation's audit trail and manages its people;
        # combined with a clinical role they could grant themselves, the separation is gone.
        raise Refused(_("Remove this person's team roles before making them an administrator."))
    person.is_org_admin = value
    person.save(update_fields=["is_org_admin"])
    _audit_person(
        request, "update", person, "org_admin", before={"admin": not value}, after={"admin": value}
    )


def set_role(request: HttpRequest, person: User, team: Team, role: str) -> None:
    """Make `person` helper or leader in `team`, or (role "") take them out of it."""
    membership = Membership.objects.filter(user=person, team=team).first()
    before = membership.role if membership else ""
    if before == role:
        return
    if role and (person.pk == request.user.pk or person.is_org_admin):
        # The one rule of this module that guards clinical data: recorded when refused, so a
        # leader reviewing the trail sees the attempt. Another administrator is refused too, so
        # two administrators cannot hand each other the leader role.
        own = person.pk == request.user.pk
        kind = "self_grant_refused" if own else "admin_grant_refused"
        _audit_person(request, "update", person, kind, team=team.pk, role=role)
        raise Refused(
            _("You cannot give yourself a role in a team.")
            if own
            else _("An administrator cannot have a role in a team.")
        )
    if role and team.is_closed and not membership:
        raise Refused(_("This team is closed and takes no new people."))
    if not role:
        membership.delete()
    elif membership:
        membership.role = role
        membership.save(update_fields=["role"])
    else:
        with transaction.atomic():
            Membership.objects.get_or_create(user=person, team=team, defaults={"role": role})
    _audit_person(
        request,
        "update",
        person,
        "role",
        team=team.pk,
        team_name=team.name,
        before={"role": before},
        after={"role": role},
    )


def lift_lockout(request: HttpRequest, person: User) -> int:
    attempts = axes_reset(username=person.username)
    _audit_person(request, "update", person, "lockout_lifted", attempts=attempts)
    return attempts


def reset_second_factor(request: HttpRequest, person: User) -> int:
    """Delete the person's authenticator devices: at the next login they set up a new one."""
    deleted, _rows = TOTPDevice.objects.filter(user=person).delete()
    _audit_person(request, "update", person, "second_factor_reset", devices=deleted)
    return deleted


def send_password_link(request: HttpRequest, person: User) -> None:
    if not person.email:
        raise Refused(_("This person has no e-mail address."))
    if not person.is_active:
        raise Refused(_("Reactivate this person first."))
    send_set_password_link(request, person, invited=False)
    _audit_person(request, "update", person, "password_link_sent")


# --- Teams ----------------------------------------------------------------------------------------


def _audit_team(request: HttpRequest, action: str, team: Team, kind: str, **detail) -> None:
    audit(request, action, team, administration=kind, team=team.pk, team_name=team.name, **detail)


def create_team(request: HttpRequest, name: str) -> Team:
    try:
        with transaction.atomic():
            team = Team.objects.create(organisation_id=request.user.organisation_id, name=name)
    except IntegrityError:
        raise Refused(_("There is already a team with this name.")) from None
    _audit_team(request, "create", team, "team_created")
    return team


def rename_team(request: HttpRequest, team: Team, name: str) -> None:
    before = team.name
    if before == name:
        return
    team.name = name
    try:
        with transaction.atomic():
            team.save(update_fields=["name"])
    except IntegrityError:
        team.name = before
        raise Refused(_("There is already a team with this name.")) from None
    _audit_team(
        request, "update", team, "team_renamed", before={"name": before}, after={"name": name}
    )


def set_team_closed(request: HttpRequest, team: Team, closed: bool) -> None:
    if team.is_closed == closed:
        return
    team.closed_at = timezone.now() if closed else None
    team.save(update_fields=["closed_at"])
    _audit_team(
        request,
        "update",
        team,
        "team_closed" if closed else "team_reopened",
        before={"closed": not closed},
        after={"closed": closed},
    )
