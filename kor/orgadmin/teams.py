"""Teams of the organisation: create, rename, close and reopen. A team's page lists its people,
never its clients (an administrator manages people, not clinical data)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kor.models import Membership
from kor.orgadmin import services
from kor.orgadmin.forms import FlagForm, TeamForm
from kor.orgadmin.people import require_org_admin
from kor.orgadmin.services import Refused, get_team_for_admin, teams_managed_by


@login_required
@require_http_methods(["GET", "POST"])
def teams(request: HttpRequest) -> HttpResponse:
    require_org_admin(request)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(request, form.cleaned_data["name"])
        except Refused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, _("The team %(name)s is created.") % {"name": team.name})
            return redirect("orgadmin_team", team_id=team.pk)
    listed = teams_managed_by(request.user).annotate(
        helpers=Count("memberships", filter=Q(memberships__role=Membership.Role.HELPER)),
        leaders=Count("memberships", filter=Q(memberships__role=Membership.Role.LEADER)),
    )
    return render(
        request,
        "orgadmin/teams.html",
        {"form": form, "teams": listed.order_by("closed_at", "name")},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    require_org_admin(request)
    subject = get_team_for_admin(request.user, team_id)
    form = TeamForm(request.POST or None, initial={"name": subject.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_team(request, subject, form.cleaned_data["name"])
        except Refused as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, _("The team is saved."))
            return redirect("orgadmin_team", team_id=subject.pk)
    members = subject.memberships.select_related("user").order_by(
        "role", "user__first_name", "user__last_name"
    )
    return render(
        request,
        "orgadmin/team.html",
        {"team": subject, "form": form, "members": members},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def team_closed(request: HttpRequest, team_id: int) -> HttpResponse:
    require_org_admin(request)
    subject = get_team_for_admin(request.user, team_id)
    form = FlagForm(request.POST)
    if form.is_valid():
        services.set_team_closed(request, subject, form.cleaned_data["value"])
        messages.success(
            request,
            _("The team is closed: it keeps its history and takes no new clients.")
            if subject.is_closed
            else _("The team is open again."),
        )
    return redirect("orgadmin_team", team_id=subject.pk)
