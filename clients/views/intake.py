"""Register a new client (intake) and edit a client's details."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients import intake
from clients.intake_forms import ClientDetailsForm, IntakeForm
from clients.models import Client, FormsConsent
from kor.audit import audit
from kor.models import User


def get_editable_client_for_user(user: User, pk: int | str) -> Client:
    """The helpers on the case and the leaders of its team may correct a client's details."""
    editable = Client.objects.filter(
        Q(pk__in=Client.objects.writable_by(user).values("pk"))
        | Q(pk__in=Client.objects.managed_by(user).values("pk"))
    )
    return get_object_or_404(editable, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def client_new(request: HttpRequest) -> HttpResponse:
    """The intake: a helper or leader registers a client in one of their teams."""
    teams = intake.intake_teams(request.user)
    if not teams.exists():
        # Only people in a team take in clients (an organisation administrator does not).
        raise Http404
    organisation = request.user.organisation
    kwargs = {"organisation": organisation, "teams": teams, "helpers": intake.members_of(teams)}
    if request.method == "POST":
        done = intake.registered_by_token(request.user, request.POST.get("token"))
        if done is not None:
            # The same form sent again (a double click, a reload): the client it made already.
            return _registered(request, done, created=False)
        form = IntakeForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                client, created = intake.register_client(
                    request, data=form.cleaned_data, by=request.user
                )
            except IntegrityError:
                # The typed code was taken by another intake between the check and the save.
                message = _(
                    "The case code %(code)s is already in use in your organisation. Choose another."
                )
                form.add_error("case_code", message % {"code": form.cleaned_data["case_code"]})
            else:
                return _registered(request, client, created)
    else:
        today = timezone.localdate()
        form = IntakeForm(
            initial={
                "token": uuid.uuid4(),
                "responsible_helper": request.user.pk,
                "team": teams.first() if teams.count() == 1 else None,
                "started_on": today,
                "language": "nb",
                "forms_consent": FormsConsent.NOT_ASKED,
            },
            **kwargs,
        )
    next_code = ""
    if organisation.case_code_pattern:
        next_code = intake.peek_case_code(organisation, timezone.localdate())
    return render(
        request,
        "clients/intake.html",
        {"form": form, "next_code": next_code},
        status=400 if form.is_bound else 200,
    )


def _registered(request: HttpRequest, client: Client, created: bool) -> HttpResponse:
    if created:
        messages.success(request, _("%(code)s is registered.") % {"code": client.case_code})
    if Client.objects.visible_to(request.user).filter(pk=client.pk).exists():
        return redirect("client_detail", client.pk)
    # Registered for a colleague in a team the user does not lead: it is theirs to see.
    messages.info(
        request,
        _("%(code)s is in %(helper)s's caseload.")
        % {"code": client.case_code, "helper": client.responsible_helper},
    )
    return redirect("caseload")


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_editable_client_for_user(request.user, client_id)
    before = intake.snapshot(client)
    organisation = client.organisation
    if request.method == "POST":
        form = ClientDetailsForm(request.POST, instance=client, organisation=organisation)
        if form.is_valid():
            diff = intake.update_details(request, client, before)
            if diff:
                messages.success(request, _("The client's details are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("client_detail", client.pk)
    else:
        form = ClientDetailsForm(instance=client, organisation=organisation)
        audit(request, "view", client, screen="client_edit")
    return render(
        request,
        "clients/client_edit.html",
        {"form": form, "client": client, "case_code": before["case_code"]},
        status=400 if form.is_bound else 200,
    )
