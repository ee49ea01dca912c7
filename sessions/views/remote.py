"""The helper's side of form links (issue 14): send a link from a meeting, show it as a QR code,
revoke it, choose between a room's form and a link's answer, and the meeting page's poll.

Only a helper who may write the episode sends or revokes: the meeting is looked up through
`Meeting.objects.writable_by` first (404 otherwise), and a link only among those meetings'.
"""

from __future__ import annotations

import logging

import segno
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kor.audit import audit
from sessions import remote
from sessions.chart import outcome_panel
from sessions.models import Meeting, RemoteLink
from sessions.outcome import episode_outcome
from sessions.remote_links import fingerprint, link_form, links_context
from sessions.views.meeting import get_meeting_for_user

logger = logging.getLogger(__name__)
SECTION = "sessions/_remote_links.html#remote_links"


def _qr(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, dark="#1b1f24", light="#ffffff")


@login_required
@require_POST
def link_send(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, meeting_id, write=True)
    form = link_form(meeting, request.POST)
    extra = {}
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a message that cannot go leaves no link behind
                link, token = remote.create_link(
                    meeting=meeting,
                    rater=data["rater"],
                    part=data["part"],
                    channel=data["channel"],
                    contact=data["contact"],
                    by=request.user,
                    show_progress=data.get("show_progress", False),
                    request=request,
                )
        except Exception:  # the mail server or the SMS gateway: any failure of theirs
            logger.exception("form link not sent")
            form.add_error(
                None, _("The message could not be sent. Try again, or show the QR code.")
            )
        else:
            url = remote.absolute_url(token, request)
            # The token is shown this once (only its hash is stored): as a QR code and as text.
            extra = {"sent": link, "sent_url": url, "qr": _qr(url)}
            form = None
    context = links_context(meeting, form, can_write=True, **extra)
    if not request.htmx:
        return render(request, "sessions/remote_sent.html", context, status=200 if extra else 400)
    return HttpResponse(render_to_string(SECTION, context, request), status=200)


def _writable_link(request: HttpRequest, link_id: int) -> RemoteLink:
    meetings = Meeting.objects.writable_by(request.user)
    return get_object_or_404(
        RemoteLink.objects.filter(meeting__in=meetings).select_related(
            "meeting__episode__client__organisation", "rater"
        ),
        pk=link_id,
    )


@login_required
@require_POST
def link_revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    link = _writable_link(request, link_id)
    remote.revoke(link, by=request.user, request=request)
    return _back(request, link.meeting)


@login_required
@require_POST
def link_choose(request: HttpRequest, link_id: int, instrument: str) -> HttpResponse:
    link = _writable_link(request, link_id)
    use = request.POST.get("use") == "remote"
    remote.choose_kept_aside(link, instrument, use=use, by=request.user, request=request)
    return _back(request, link.meeting)


def _back(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if not request.htmx:
        return redirect("meeting_detail", meeting.pk)
    return _section_with_panel(request, meeting)


def _section_with_panel(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    can_write = meeting.episode.client.is_writable_by(request.user)
    context = links_context(meeting, can_write=can_write)
    context["panel"] = outcome_panel(episode_outcome(meeting.episode))
    html = render_to_string("sessions/_remote_links.html#poll_response", context, request)
    return HttpResponse(html)


@login_required
@require_GET
def meeting_poll(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The open meeting page asks every few seconds: 204 when nothing changed, otherwise the
    links (with the scores that came) and the progress panel, swapped out of band."""
    meeting = get_meeting_for_user(request, meeting_id)
    if not request.htmx:  # a fragment is no page: the page itself
        return redirect("meeting_detail", meeting.pk)
    if request.GET.get("fp") == fingerprint(meeting):
        return HttpResponse(status=204)
    audit(request, "view", meeting, client_id=meeting.episode.client_id, screen="meeting_poll")
    return _section_with_panel(request, meeting)
