"""Caseload and the team leader's dashboard."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kor.access import episodes_visible_to, teams_led_by


def _open_episodes(request: HttpRequest):
    return (
        episodes_visible_to(request.user)
        .filter(ended_on__isnull=True)
        .select_related("client", "client__responsible_helper", "client__team")
        .order_by("-severity", "client__case_code")
    )


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    episodes = _open_episodes(request).filter(client__responsible_helper=request.user)
    return render(request, "clients/caseload.html", {"episodes": episodes[:200]})


@login_required
def team_dashboard(request: HttpRequest) -> HttpResponse:
    teams = teams_led_by(request.user)
    episodes = _open_episodes(request).filter(client__team__in=teams)
    return render(request, "clients/team.html", {"teams": teams, "episodes": episodes[:200]})
