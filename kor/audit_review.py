"""Reviewing the audit log: per client, per user, and as a CSV export.

A team leader reviews the trail of their teams' clients and of the people in their teams; an
organisation administrator the whole organisation's. Reading the trail is itself recorded.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from clients.models import Client
from kor.access import (
    get_audit_user_for_user,
    is_org_admin,
    may_review_audit,
    teams_led_by,
    users_visible_to,
)
from kor.audit import audit
from kor.models import AuditEvent, Membership, User

PAGE_SIZE = 100

# What an entry's detail says, in words for the reviewer.
NOTES = {
    ("second_factor", "verified"): _("second step passed"),
    ("second_factor", "wrong_code"): _("second step: wrong code"),
    ("second_factor", "enrolled"): _("second step set up"),
    ("second_factor", "disabled"): _("second step turned off"),
    ("second_factor", "reset"): _("second step reset by an administrator"),
    ("locked_out", True): _("locked out"),
    ("review", "audit_log"): _("audit log"),
    ("format", "json"): "JSON",
    ("format", "pdf"): "PDF",
    ("erased", True): _("erased"),
    ("page", "rights"): _("the client's rights"),
}


# A read by one of the organisation's systems with an API token (sessions.fhir).
THROUGH_API = _("through the API")

# Organisation administration (kor.orgadmin): what was done to a person or a team.
ADMINISTRATION = {
    "invited": _("invited"),
    "details": _("details changed"),
    "role": _("role changed"),
    "org_admin": _("administrator role changed"),
    "activated": _("reactivated"),
    "deactivated": _("deactivated"),
    "lockout_lifted": _("login lockout lifted"),
    "second_factor_reset": _("second step reset by an administrator"),
    "password_link_sent": _("set-password link sent"),
    "self_grant_refused": _("REFUSED: an administrator tried to give themselves a team role"),
    "admin_grant_refused": _("REFUSED: a team role for an administrator"),
    "admin_refused": _("REFUSED: a change in the Django admin by someone not a superuser"),
    "team_created": _("team created"),
    "team_renamed": _("team renamed"),
    "team_closed": _("team closed"),
    "team_reopened": _("team reopened"),
    "api_token_created": _("API token made"),
    "api_token_revoked": _("API token revoked"),
}


def _change(detail: dict) -> str:
    """before → after, in the reviewer's words: "helper → team leader", "North → Nord"."""
    before, after = detail.get("before"), detail.get("after")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return ""
    return "; ".join(
        f"{_word(before.get(key))} → {_word(after.get(key))}" for key in after if key in before
    )


def _word(value) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value in Membership.Role.values:
        return str(Membership.Role(value).label)
    return str(value) if value not in (None, "") else str(_("none"))


def _administration_note(detail: dict) -> list[str]:
    kind = detail.get("administration")
    if kind not in ADMINISTRATION:
        return []
    notes = [str(ADMINISTRATION[kind])]
    for key in ("person", "team_name", "token_name"):
        if detail.get(key):
            notes.append(str(detail[key]))
    if kind in ("self_grant_refused", "admin_grant_refused") and detail.get("role"):
        notes.append(_word(detail["role"]))
    if change := _change(detail):
        notes.append(change)
    return notes


def _note(detail: dict) -> str:
    notes = [
        str(NOTES[(k, v)])
        for k, v in detail.items()
        if isinstance(v, str | bool | int) and (k, v) in NOTES
    ]
    notes += _administration_note(detail)
    if "admin" in detail:
        notes.append(f"admin: {detail['admin']}")
    if "api_token" in detail:  # read by a system through the FHIR API (sessions.fhir)
        notes.append(f"{THROUGH_API}: {detail.get('resource', '')}")
    return ", ".join(notes)


class AuditFilter(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("all")), *AuditEvent.Action.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))
    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("everything")),
            ("administration", _("administration of people and teams")),
        ],
    )

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data.get("kind") == "administration":
            events = events.filter(detail__has_key="administration")
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("since"):
            events = events.filter(at__date__gte=data["since"])
        if data.get("until"):
            events = events.filter(at__date__lte=data["until"])
        return events


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """A leader reviews what happened to the clients of their teams and what the people in their
    teams did; an organisation administrator the whole organisation's trail."""
    if is_org_admin(user):
        return AuditEvent.objects.filter(organisation_id=user.organisation_id)
    if not may_review_audit(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        Q(client_id__in=Client.objects.audit_reviewable_by(user).values("pk"))
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


def _reviewable(request: HttpRequest) -> QuerySet[AuditEvent]:
    if not may_review_audit(request.user):
        raise PermissionDenied
    return audit_events_visible_to(request.user).select_related("user")


def _scope(request: HttpRequest, client_id: int | None, user_id: int | None):
    """The events in view and what they are about, after the access checks (404 otherwise)."""
    events = _reviewable(request)
    subject_client = subject_user = None
    if client_id is not None:
        subject_client = get_object_or_404(
            Client.objects.audit_reviewable_by(request.user), pk=client_id
        )
        events = events.filter(client_id=subject_client.pk)
    if user_id is not None:
        subject_user = get_audit_user_for_user(request.user, user_id)
        # What they did, and what an administrator did to them (roles, lockouts, deactivation).
        events = events.filter(
            Q(user=subject_user) | Q(object_type="kor.user", object_id=str(subject_user.pk))
        )
    return events, subject_client, subject_user


def _case_codes(request: HttpRequest, events) -> dict[int, str]:
    ids = {e.client_id for e in events if e.client_id}
    return dict(
        Client.objects.audit_reviewable_by(request.user)
        .filter(pk__in=ids)
        .values_list("pk", "case_code")
    )


def _page(request, events, subject_client=None, subject_user=None) -> HttpResponse:
    # Recorded first, so the page (counted next) shows its own reading too.
    audit(
        request,
        "view",
        subject_client,
        review="audit_log",
        user_reviewed=subject_user.pk if subject_user else None,
    )
    form = AuditFilter(request.GET or None)
    events = form.apply(events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    codes = _case_codes(request, page.object_list)
    for event in page.object_list:
        event.case_code = codes.get(event.client_id, "")
        event.note = _note(event.detail if isinstance(event.detail, dict) else {})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kor/audit_log.html",
        {
            "form": form,
            "page": page,
            "subject_client": subject_client,
            "subject_user": subject_user,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    events, _c, _u = _scope(request, None, None)
    return _page(request, events)


@login_required
@require_GET
def client_audit(request: HttpRequest, client_id: int) -> HttpResponse:
    events, client, _u = _scope(request, client_id, None)
    return _page(request, events, subject_client=client)


@login_required
@require_GET
def user_audit(request: HttpRequest, user_id: int) -> HttpResponse:
    events, _c, subject = _scope(request, None, user_id)
    return _page(request, events, subject_user=subject)


def _cell(value) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula: make it text.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    """The reviewable trail (filtered like the page: ?client=, ?user=, action, dates) as CSV."""
    events, client, subject = _scope(
        request, _int_or_none(request.GET.get("client")), _int_or_none(request.GET.get("user"))
    )
    events = AuditFilter(request.GET or None).apply(events).order_by("at", "id")
    audit(request, "export", client, review="audit_log", user_reviewed=subject and subject.pk)
    codes = dict(Client.objects.audit_reviewable_by(request.user).values_list("pk", "case_code"))

    def rows() -> Iterator[list[str]]:
        yield [
            "at",
            "user",
            "action",
            "object_type",
            "object_id",
            "client_id",
            "case_code",
            "ip",
            "path",
            "detail",
        ]
        for e in events.iterator(chunk_size=2000):
            yield [
                e.at.isoformat(),
                e.user.username if e.user else "",
                e.action,
                e.object_type,
                e.object_id,
                e.client_id or "",
                codes.get(e.client_id, ""),
                e.ip or "",
                e.path,
                json.dumps(e.detail, ensure_ascii=False, sort_keys=True),
            ]

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        (writer.writerow([_cell(v) for v in row]) for row in rows()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
