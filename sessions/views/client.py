"""The client page, the hub of a case: the client's goals on top, the open episode's status, flags
and chart, its meetings, who rates, and where to start the next meeting."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clients.models import Client, Episode
from kor.audit import audit
from sessions.chart import outcome_panel
from sessions.episode_forms import EpisodeStartForm
from sessions.episodes import may_reopen, reopen_deadline
from sessions.forms import GoalForm, MeetingForm, RaterForm
from sessions.outcome import episode_outcome
from sessions.review import review_panel


@login_required
@require_GET
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(
        Client.objects.visible_to(request.user)
        .answering(request.user)
        .select_related("organisation", "team", "responsible_helper"),
        pk=client_id,
    )
    audit(request, "view", client)
    return client_page(request, client)


def client_page(
    request: HttpRequest,
    client: Client,
    *,
    meeting_form=None,
    episode_form=None,
    rater_form=None,
    status: int = 200,
) -> HttpResponse:
    # The client was looked up for the user by the caller: these are its own episodes, and each
    # knows it as its client (with the organisation read alongside it) without a join. Raters
    # prefetched: the page lists them and the outcome panel reads them, with one query.
    episodes = list(client.episodes.prefetch_related("raters"))
    # The open episode is the one the page is about; otherwise the latest closed one. An earlier
    # episode is picked with ?episode= (one of this client's: the list is already the client's).
    episode = next((e for e in episodes if e.is_open), episodes[0] if episodes else None)
    chosen = request.GET.get("episode", "")
    episode = next((e for e in episodes if str(e.pk) == chosen), episode)
    can_write = client.is_writable_by(request.user)
    context = {
        "client": client,
        "episodes": episodes,
        "episode": episode,
        "can_write": can_write,
        "has_open_episode": any(e.is_open for e in episodes),
        "episode_form": episode_form
        or EpisodeStartForm(initial={"started_on": timezone.localdate()}, client=client),
        "may_reopen": bool(episode and can_write and may_reopen(episode)),
        "reopen_until": episode and reopen_deadline(episode),
    }
    if episode is not None:
        context |= {
            "goals": episode.goals.all(),
            "goal_form": GoalForm(),
            "raters": episode.raters.all(),
            "rater_form": rater_form or RaterForm(episode=episode),
            "meetings": episode.meetings.select_related("helper").order_by("-number"),
            "meeting_form": meeting_form
            or MeetingForm(initial={"date": timezone.localdate(), "format": "individual"}),
            "panel": outcome_panel(episode_outcome(episode)),
            "review": review_panel(episode, can_write),
            "poll_fp": poll_fingerprint(episode),
        }
    return render(request, "clients/client_detail.html", context, status=status)


def poll_fingerprint(episode: Episode) -> str:
    """What the open page shows of the episode's outcome, in a few characters: every save (in
    the room, by link or by a colleague) touches the episode's cached status in its transaction."""
    return hashlib.sha256(episode.updated_at.isoformat().encode()).hexdigest()[:16]


@login_required
@require_GET
def client_poll(request: HttpRequest, client_id: int) -> HttpResponse:
    """The open client page asks every few seconds: 204 while the episode is as shown, otherwise
    the progress panel (status, flags, chart), swapped in place, so a form that came by link or
    a colleague's save shows within seconds without a reload."""
    episode_id = request.GET.get("episode", "")
    episode = get_object_or_404(
        Episode.objects.visible_to(request.user)
        .select_related("client__organisation")
        .prefetch_related("raters"),
        pk=int(episode_id) if episode_id.isdigit() else None,
        client_id=client_id,
    )
    if not request.htmx:  # a fragment is no page: the page itself
        return redirect("client_detail", client_id)
    if request.GET.get("fp") == poll_fingerprint(episode):
        return HttpResponse(status=204)
    audit(request, "view", episode, client_id=client_id, screen="client_poll")
    context = {
        "client": episode.client,
        "episode": episode,
        "panel": outcome_panel(episode_outcome(episode)),
        "poll_fp": poll_fingerprint(episode),
    }
    return render(request, "clients/client_detail.html#poll_response", context)
