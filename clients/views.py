"""Caseload, team overview and the client page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clients.models import Episode
from kor.access import episodes_visible_to, get_client_for_user, is_helper_on, teams_led_by
from kor.audit import audit


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
    return render(
        request, "clients/team.html", {"teams": teams, "episodes": episodes[:200]}
    )


@login_required
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_client_for_user(request.user, client_id)
    audit(request, "view", client)
    episodes = Episode.objects.filter(client=client).prefetch_related("goals")
    return render(
        request,
        "clients/client_detail.html",
        {"client": client, "episodes": episodes, "can_write": is_helper_on(request.user, client)},
    )
