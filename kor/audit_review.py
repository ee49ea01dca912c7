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
from kor.access import get_audit_user_for_user, is_org_admin, may_review_audit, users_visible_to
from kor.audit import audit
from kor.models import AuditEvent

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


def _note(detail: dict) -> str:
    notes = [str(NOTES[(k, v)]) for k, v in detail.items() if (k, v) in NOTES]
    if "admin" in detail:
        notes.append(f"admin: {detail['admin']}")
    return ", ".join(notes)


class AuditFilter(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("all")), *AuditEvent.Action.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.is_valid():
            return events
        data = self.cleaned_data
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
        | Q(user__in=users_visible_to(user).values("pk")),
        organisation_id=user.organisation_id,
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
        events = events.filter(user=subject_user)
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
