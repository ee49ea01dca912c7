"""The client page: goals, episodes, meetings and the outcome chart."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clients.models import Episode
from kor.access import get_client_for_user, is_helper_on
from kor.audit import audit


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
