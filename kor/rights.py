"""The client's rights: everything stored about one client (JSON and PDF), and erasure.

"Everything" is found the way Django finds what a delete would take with it (the admin's
NestedObjects): every row that hangs off the client, in any app, including models added later.
The same walk drives anonymisation, so a new model with free text is covered without a change here.
Only the responsible helper or a leader of the client's team may do any of it.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from clients.models import Client
from kor.audit import audit
from kor.models import AuditEvent
from sessions.outcome import EpisodeOutcome, Rating, episode_outcome

# The client row's own fields that identify a person; the rest of the client row is kept.
ANON_PREFIX = "ANON-"


def _managed_client(request: HttpRequest, client_id: int) -> Client:
    """The client, if the user handles their rights (404 otherwise, as for no such client)."""
    return get_object_or_404(
        Client.objects.managed_by(request.user).select_related("team", "responsible_helper"),
        pk=client_id,
    )


def related_rows(client: Client) -> dict[str, list[models.Model]]:
    """Every row stored about the client, by model label, the client itself first."""
    collector = NestedObjects(using=router.db_for_write(Client))
    collector.collect([client])
    rows: dict[str, list[models.Model]] = {}
    for model, instances in collector.data.items():
        rows.setdefault(model._meta.label_lower, []).extend(sorted(instances, key=lambda o: o.pk))
    label = Client._meta.label_lower
    return {label: rows.pop(label, [client]), **dict(sorted(rows.items()))}


def _row(obj: models.Model) -> dict[str, Any]:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def client_record(client: Client) -> dict[str, Any]:
    """The export: the client's rows and the log of who read or changed them."""
    log = AuditEvent.objects.filter(client_id=client.pk).select_related("user").order_by("at", "id")
    return {
        "exported_at": timezone.now(),
        "client_id": client.pk,
        "data": {label: [_row(o) for o in objs] for label, objs in related_rows(client).items()},
        "outcomes": [_outcome(episode_outcome(e)) for e in client.episodes.order_by("pk")],
        "access_log": [
            {
                "at": e.at,
                "by": str(e.user) if e.user else "",
                "action": e.action,
                "object": f"{e.object_type} {e.object_id}".strip(),
            }
            for e in log
        ],
    }


def _outcome(outcome: EpisodeOutcome) -> dict[str, Any]:
    """What the screen and the reports show of an episode's outcome, from the same read model:
    every form per rater (declined ones with the reason), status, expected line and Target."""

    def forms(ratings: list[Rating]) -> list[dict[str, Any]]:
        return [
            {"meeting": r.meeting, "form": r.instrument, "status": r.status, "total": r.total}
            | ({"reason": r.reason} if r.reason else {})
            for r in ratings
        ]

    return {
        "episode_id": outcome.episode.pk,
        "status": outcome.status,
        "flags": outcome.flags,
        "raters": [
            {
                "rater_id": r.rater.pk,
                "who": r.label,
                "status": r.status,
                "reasons": [reason.to_dict() for reason in r.reasons],
                "outcome_forms": forms(r.outcome),
                "alliance_forms": forms(r.alliance),
                "expected": [{"meeting": p.meeting, "value": p.value} for p in r.expected],
                "target": r.target,
            }
            for r in outcome.raters
        ],
    }


def _filename(client: Client, ext: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in client.case_code)
    return f"client-{safe}-{datetime.date.today():%Y%m%d}.{ext}"


@login_required
@require_GET
def export_json(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _managed_client(request, client_id)
    audit(request, "export", client, format="json")
    body = json.dumps(client_record(client), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(client, "json")}"'
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest, client_id: int) -> HttpResponse:
    from weasyprint import HTML

    client = _managed_client(request, client_id)
    audit(request, "export", client, format="pdf")
    record = client_record(client)
    sections = [
        {
            "label": label,
            # Plain rows as one table; rows with nested data (an episode) one field per line.
            "wide": bool(rows)
            and len(rows[0]) <= 15
            and not any(isinstance(v, dict | list) for r in rows for v in r.values()),
            "columns": list(rows[0].keys()) if rows else [],
            "rows": [list(r.values()) for r in rows],
            "pairs": [list(r.items()) for r in rows],
        }
        for label, rows in record["data"].items()
    ]
    html = render_to_string(
        "kor/client_export_pdf.html",
        {"client": client, "record": record, "sections": sections},
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(client, "pdf")}"'
    return response


class ConfirmForm(forms.Form):
    """The person types the case code: a deliberate act, not a stray click."""

    confirm = forms.CharField(label=_("Type the case code to confirm"), max_length=50)

    def __init__(self, *args, case_code: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case_code = case_code

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value != self.case_code:
            raise forms.ValidationError(_("That is not this client's case code."))
        return value


@login_required
@require_GET
def client_rights(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _managed_client(request, client_id)
    audit(request, "view", client, page="rights")
    return _rights_page(request, client)


def _rights_page(request, client, anon_form=None, erase_form=None, status=200) -> HttpResponse:
    return render(
        request,
        "kor/client_rights.html",
        {
            "client": client,
            "anon_form": anon_form or ConfirmForm(case_code=client.case_code, prefix="anon"),
            "erase_form": erase_form or ConfirmForm(case_code=client.case_code, prefix="erase"),
        },
        status=status,
    )


def anonymise_client(client: Client) -> None:
    """Blank what identifies the person; keep age group, dates and scores for the statistics.

    Name and notes go, the case code becomes ANON-<id>, the birth year is rounded down to five
    years. In every other row about the client, free text (a text field without fixed choices)
    is blanked: goals in the client's own words, rater labels, reasons, supervision notes.
    """
    rows = related_rows(client)
    for label, objs in rows.items():
        if label == Client._meta.label_lower:
            continue
        for obj in objs:
            changed = []
            for field in obj._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField) and not field.choices:
                    value = getattr(obj, field.attname)
                    if value:
                        setattr(obj, field.attname, "" if field.blank else "–")
                        changed.append(field.attname)
            if changed:
                obj.save(update_fields=changed)
    client.name = ""
    client.case_code = f"{ANON_PREFIX}{client.pk}"
    if client.birth_year is not None:
        client.birth_year = client.birth_year - client.birth_year % 5
    client.forms_unsuitable_note = ""
    client.active = False
    client.anonymised_at = timezone.now()
    client.save()


@login_required
@require_POST
def anonymise(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _managed_client(request, client_id)
    form = ConfirmForm(request.POST, case_code=client.case_code, prefix="anon")
    if client.anonymised_at is not None:
        messages.info(request, gettext("This client is already anonymised."))
        return redirect("client_rights", client_id=client.pk)
    if not form.is_valid():
        return _rights_page(request, client, anon_form=form, status=422)
    with transaction.atomic():
        audit(request, "anonymise", client)
        anonymise_client(client)
    messages.success(
        request, gettext("The client is anonymised. The scores remain for the statistics.")
    )
    return redirect("client_rights", client_id=client.pk)


@login_required
@require_POST
def erase(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _managed_client(request, client_id)
    form = ConfirmForm(request.POST, case_code=client.case_code, prefix="erase")
    if not form.is_valid():
        return _rights_page(request, client, erase_form=form, status=422)
    with transaction.atomic():
        counts = {label: len(objs) for label, objs in related_rows(client).items()}
        # The trail keeps that it happened and how much went, never what it was.
        audit(request, "delete", client, erased=True, rows=counts)
        client.delete()
    messages.success(request, gettext("The client and everything stored about them are erased."))
    return redirect("home")
