"""A new meeting before it exists: its date and format to confirm. A stray click on "Start a
meeting" leaves nothing behind; the meeting is created by the confirmation (meeting_start), and
numbered in date order, so a meeting from paper goes where its date puts it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clients.models import Episode
from kor.audit import audit
from sessions.forms import MeetingForm
from sessions.models import Meeting

NEW_PAGE = "sessions/meeting_new.html"


@login_required
@require_GET
def meeting_new(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_object_or_404(
        Episode.objects.writable_by(request.user).select_related("client"), pk=episode_id
    )
    if not episode.is_open:
        raise Http404
    audit(request, "view", episode, client_id=episode.client_id, screen="meeting_new")
    if "date" in request.GET:
        form = MeetingForm(request.GET, episode=episode)
        form.is_valid()  # shows a future or too early date at once, before confirming
    else:
        form = MeetingForm(initial={"date": timezone.localdate(), "format": "individual"})
    return meeting_new_page(request, episode, form)


def meeting_new_page(
    request: HttpRequest, episode: Episode, form: MeetingForm, status: int = 200
) -> HttpResponse:
    meetings = list(Meeting.objects.filter(episode=episode).order_by("number"))
    day = form.cleaned_data.get("date") if form.is_bound and form.is_valid() else None
    day = day or form.initial.get("date")
    # Where the new meeting falls among the others: numbers follow the dates.
    number = 1 + sum(1 for m in meetings if day is not None and m.date <= day)
    # htmx asks again when the date changes: only the line saying where the meeting falls.
    template = NEW_PAGE + "#new-number" if request.htmx else NEW_PAGE
    return render(
        request,
        template,
        {
            "episode": episode,
            "client": episode.client,
            "form": form,
            "meetings": meetings,
            "number": number,
            "moves_others": number <= len(meetings),
        },
        status=status,
    )
