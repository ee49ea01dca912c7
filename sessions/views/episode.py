"""Start an episode (also on a past date), end it, reopen one ended by mistake.

Leaders read, helpers on the case write (DESIGN: access): every view here looks the client or
episode up for writing first, so for anyone else it is a 404 and nothing changes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clients.models import Client, Episode
from kor.audit import audit
from sessions.episode_forms import EpisodeEndForm, EpisodeStartForm
from sessions.episodes import (
    EpisodeRuleBroken,
    end_episode,
    last_meeting_on,
    reopen_episode,
    start_episode,
)
from sessions.services import outcome_form_for
from sessions.views.client import client_page

END_PAGE = "sessions/episode_end.html"


@login_required
@require_POST
def episode_start(request: HttpRequest, client_id: int) -> HttpResponse:
    client = get_object_or_404(Client.objects.writable_by(request.user), pk=client_id)
    form = EpisodeStartForm(request.POST, client=client)
    if not form.is_valid():
        return client_page(request, client, episode_form=form)
    try:
        start_episode(
            client=client,
            started_on=form.cleaned_data["started_on"],
            by=request.user,
            request=request,
        )
    except EpisodeRuleBroken as refused:
        if str(refused) == "archived":
            messages.error(
                request,
                _("This client is archived. Bring them back from the archive first."),
            )
        else:
            messages.error(request, _("This client already has an open episode."))
    else:
        messages.success(request, _("A new episode of care has started."))
    return redirect("client_detail", client.pk)


@login_required
@require_http_methods(["GET", "POST"])
def episode_end(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_object_or_404(
        Episode.objects.writable_by(request.user).select_related("client"), pk=episode_id
    )
    if not episode.is_open:
        messages.info(request, _("This episode has already ended."))
        return redirect("client_detail", episode.client_id)
    instrument = outcome_form_for(episode)
    if request.method == "GET":
        audit(request, "view", episode, client_id=episode.client_id, screen="episode_end")
        form = EpisodeEndForm(
            initial={"ended_on": timezone.localdate()}, episode=episode, instrument=instrument
        )
        return _end_page(request, episode, form)
    form = EpisodeEndForm(request.POST, episode=episode, instrument=instrument)
    if not form.is_valid():
        return _end_page(request, episode, form)
    data = form.cleaned_data
    ended = end_episode(
        episode=episode,
        ended_on=data["ended_on"],
        reason=data["end_reason"],
        reason_text=data.get("end_reason_text", ""),
        last_outcome=data["last_outcome"],
        by=request.user,
        request=request,
    )
    if ended.changed:
        messages.success(
            request, _("The episode of care has ended. It is no longer in the caseload.")
        )
    else:
        messages.info(request, _("This episode had already ended: nothing was changed."))
    return redirect("client_detail", episode.client_id)


def _end_page(request: HttpRequest, episode, form: EpisodeEndForm) -> HttpResponse:
    return render(
        request,
        END_PAGE,
        {
            "episode": episode,
            "client": episode.client,
            "form": form,
            "last_meeting_on": last_meeting_on(episode),
            "instrument": form.instrument,
        },
    )


@login_required
@require_POST
def episode_reopen(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_object_or_404(
        Episode.objects.writable_by(request.user).select_related("client"), pk=episode_id
    )
    if episode.is_open:
        return redirect("client_detail", episode.client_id)
    try:
        reopen_episode(episode=episode, by=request.user, request=request)
    except EpisodeRuleBroken:
        messages.error(
            request,
            _(
                "This episode can no longer be reopened. Start a new episode instead: "
                "the history is kept."
            ),
        )
    else:
        messages.success(request, _("The episode is open again."))
    return redirect("client_detail", episode.client_id)
