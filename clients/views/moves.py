"""Move a case between people: share it with a colleague and stop sharing, transfer it to another
helper or team, archive a client no longer in care. The responsible helper and the leaders of the
client's team decide these; a colleague the case is shared with does not."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clients import intake
from clients.models import Client, Episode
from kor.audit import audit
from kor.models import Membership, Team, User


class ShareForm(forms.Form):
    colleague = forms.ModelChoiceField(
        label=gettext_lazy("Share with"),
        queryset=User.objects.none(),
        empty_label=gettext_lazy("Choose a colleague"),
        error_messages={"invalid_choice": gettext_lazy("Choose a colleague from the list.")},
    )

    def __init__(self, *args, client: Client, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = intake.colleagues_for_sharing(client)


class TransferForm(forms.Form):
    """The new team and helper in one choice, the helpers grouped by team: what is chosen is
    always a helper of that team."""

    to = forms.ChoiceField(label=gettext_lazy("New team and responsible helper"))
    keep_previous = forms.BooleanField(
        label=gettext_lazy("The present helper keeps working on the case (shared)"),
        required=False,
    )

    def __init__(self, *args, client: Client, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.client = client
        teams = intake.open_teams(Team.objects.filter(organisation_id=client.organisation_id))
        rows = (
            Membership.objects.filter(team__in=teams, user__is_active=True)
            .select_related("user", "team")
            .order_by("team__name", "user__first_name", "user__last_name", "user__username")
        )
        self.options: dict[str, Membership] = {}
        groups: dict[str, list[tuple[str, str]]] = {}
        for m in rows:
            key = f"{m.team_id}:{m.user_id}"
            self.options[key] = m
            groups.setdefault(m.team.name, []).append((key, str(m.user)))
        self.fields["to"].choices = [("", _("Choose a team and helper")), *groups.items()]
        self.fields["to"].error_messages["invalid_choice"] = _("Choose a helper from the list.")

    def clean_to(self) -> Membership:
        membership = self.options.get(self.cleaned_data["to"])
        if membership is None:
            raise forms.ValidationError(_("Choose a helper from the list."), code="invalid")
        if (
            membership.team_id == self.client.team_id
            and membership.user_id == self.client.responsible_helper_id
        ):
            raise forms.ValidationError(
                _("That is where the case is now: choose another helper or team."), code="same"
            )
        return membership


@login_required
@require_http_methods(["GET", "POST"])
def client_sharing(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(Client.objects.managed_by(request.user), pk=client_id)
    if request.method == "POST":
        form = ShareForm(request.POST, client=client)
        if form.is_valid():
            colleague = form.cleaned_data["colleague"]
            intake.share(request, client, colleague)
            messages.success(
                request,
                _("%(code)s is shared with %(user)s.")
                % {"code": client.case_code, "user": colleague},
            )
            return redirect("client_sharing", client.pk)
    else:
        form = ShareForm(client=client)
        audit(request, "view", client, screen="client_sharing")
    shared = client.shared_with.order_by("first_name", "last_name", "username")
    return render(
        request,
        "clients/client_sharing.html",
        {"client": client, "form": form, "shared": shared},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def client_stop_sharing(request: HttpRequest, client_id: int, user_id: int) -> HttpResponse:
    client = get_object_or_404(Client.objects.managed_by(request.user), pk=client_id)
    colleague = client.shared_with.filter(pk=user_id).first()
    if colleague is None:
        raise Http404
    intake.stop_sharing(request, client, colleague)
    messages.success(
        request,
        _("%(code)s is no longer shared with %(user)s.")
        % {"code": client.case_code, "user": colleague},
    )
    return redirect("client_sharing", client.pk)


@login_required
@require_http_methods(["GET", "POST"])
def client_transfer(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(Client.objects.managed_by(request.user), pk=client_id)
    if request.method == "POST":
        form = TransferForm(request.POST, client=client)
        if form.is_valid():
            to: Membership = form.cleaned_data["to"]
            intake.transfer(
                request,
                client,
                team=to.team,
                helper=to.user,
                keep_previous=form.cleaned_data["keep_previous"],
            )
            messages.success(
                request,
                _("%(code)s is now with %(user)s in team %(team)s.")
                % {"code": client.case_code, "user": to.user, "team": to.team},
            )
            if Client.objects.visible_to(request.user).filter(pk=client.pk).exists():
                return redirect("client_detail", client.pk)
            return redirect("caseload")
    else:
        form = TransferForm(client=client)
        audit(request, "view", client, screen="client_transfer")
    return render(
        request,
        "clients/client_transfer.html",
        {"client": client, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def client_archive(request: HttpRequest, client_id: int) -> HttpResponse:
    """Archive a client no longer in care: out of the caseload, still found by search."""
    client = get_object_or_404(Client.objects.managed_by(request.user), pk=client_id)
    if Episode.objects.filter(client=client, ended_on__isnull=True).exists():
        messages.error(request, _("End the open episode of care before archiving the client."))
    elif client.active:
        intake.set_active(request, client, False)
        messages.success(request, _("%(code)s is archived.") % {"code": client.case_code})
    return redirect("client_detail", client.pk)


@login_required
@require_POST
def client_unarchive(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(Client.objects.managed_by(request.user), pk=client_id)
    if not client.active:
        intake.set_active(request, client, True)
        messages.success(
            request, _("%(code)s is taken out of the archive.") % {"code": client.case_code}
        )
    return redirect("client_detail", client.pk)
