"""Hand-over mode: the helper gives the tablet to the client, who sees only the form being filled.

No names, no other scores, no navigation. Going back to the helper's view asks for the helper's
password; after a few wrong tries the hand-over ends and the helper is logged out, so a client
cannot guess their way in. The tries are counted in the database (a Handover row), so parallel
requests cannot get more of them, and every wrong one is in the audit log. The middleware keeps
every other page of the app behind that password while the mode is on.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kor.audit import audit
from sessions.client_progress import progress_for
from sessions.forms import UnlockForm
from sessions.models import FormResponse, Handover
from sessions.views.meeting import form_slot, get_meeting_for_user, rater_for_form

MAX_UNLOCK_ATTEMPTS = 5


@login_required
@require_POST
def handover_start(request: HttpRequest, meeting_id: int, rater_id: int, instrument: str):
    meeting = get_meeting_for_user(request, meeting_id, write=True)
    rater = rater_for_form(meeting, rater_id, instrument)
    path = reverse("handover", args=[meeting.pk, rater.pk, instrument])
    # The client's own progress after the form (issue 14): where the service allows it and the
    # helper ticked it.
    show_progress = (
        meeting.episode.client.organisation.client_own_view
        and request.POST.get("show_progress") == "1"
    )
    started = Handover.objects.create(
        meeting=meeting, helper=request.user, instrument=instrument, show_progress=show_progress
    )
    request.session["handover"] = {
        "id": started.pk,
        "path": path,
        "save": reverse("save_form", args=[meeting.pk, rater.pk, instrument]),
        "back": reverse("meeting_detail", args=[meeting.pk]),
    }
    audit(request, "view", meeting, client_id=meeting.episode.client_id, handover=instrument)
    return redirect(path)


@login_required
@require_http_methods(["GET"])
def handover(request: HttpRequest, meeting_id: int, rater_id: int, instrument: str):
    meeting = get_meeting_for_user(request, meeting_id, write=True)
    rater = rater_for_form(meeting, rater_id, instrument)
    state = request.session.get("handover")
    if not state or state["path"] != request.path:
        return redirect("meeting_detail", meeting.pk)
    response = FormResponse.objects.filter(
        meeting=meeting, rater=rater, instrument=instrument
    ).first()
    # The page shows the form's stored values: a read of the client's data like any other.
    audit(
        request,
        "view",
        response or meeting,
        client_id=meeting.episode.client_id,
        screen="handover",
        instrument=instrument,
    )
    slot = form_slot(meeting, rater, instrument, response)
    progress = None
    if response is not None and response.is_completed and _shows_progress(state):
        progress = progress_for(meeting.episode, rater)
    return render(
        request,
        "sessions/handover.html",
        {"slot": slot, "handover": True, "unlock_form": UnlockForm(), "progress": progress},
    )


def _shows_progress(state: dict) -> bool:
    return Handover.objects.filter(pk=state.get("id"), show_progress=True).exists()


@login_required
@require_POST
def handover_unlock(request: HttpRequest) -> HttpResponse:
    state = request.session.get("handover")
    if not state:
        return redirect("home")
    current = Handover.objects.filter(
        pk=state.get("id"), helper=request.user, ended_at__isnull=True
    )
    # Take one check, atomically: the UPDATE's condition is evaluated on the row as the last
    # request left it (PostgreSQL re-reads it after waiting for that request's row lock), so
    # however many requests arrive at once, at most MAX_UNLOCK_ATTEMPTS get a password check.
    if not current.filter(password_checks__lt=MAX_UNLOCK_ATTEMPTS).update(
        password_checks=F("password_checks") + 1
    ):
        return _lock_out(request, state)
    handover = current.get()
    form = UnlockForm(request.POST)
    if form.is_valid() and request.user.check_password(form.cleaned_data["password"]):
        current.update(ended_at=timezone.now())
        del request.session["handover"]
        return redirect(state["back"])
    audit(
        request,
        "login_failed",
        handover.meeting,
        handover="wrong_password",
        attempt=handover.password_checks,
    )
    if handover.password_checks >= MAX_UNLOCK_ATTEMPTS:
        return _lock_out(request, state)
    form.errors.pop("password", None)
    form.add_error(
        "password",
        _("Wrong password. %(left)s tries left before you are logged out.")
        % {"left": MAX_UNLOCK_ATTEMPTS - handover.password_checks},
    )
    return render(
        request,
        "sessions/handover_unlock.html",
        {"unlock_form": form},
        status=403,
    )


def _lock_out(request: HttpRequest, state: dict) -> HttpResponse:
    """No checks left (or no hand-over of this user's to check against): end it and log out."""
    Handover.objects.filter(pk=state.get("id"), ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    ended = Handover.objects.filter(pk=state.get("id")).select_related("meeting__episode").first()
    audit(request, "login_failed", ended.meeting if ended else None, handover="locked_out")
    logout(request)
    return redirect(reverse("login") + "?next=" + state["back"])


class HandoverMiddleware:
    """While the tablet is handed over, only the form, its save and the unlock are reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        state = getattr(request, "session", None) and request.session.get("handover")
        if state and not self._allowed(request, state):
            return redirect(state["path"])
        return self.get_response(request)

    @staticmethod
    def _allowed(request: HttpRequest, state: dict) -> bool:
        from django.conf import settings

        path = request.path
        return (
            path in (state["path"], state["save"], reverse("handover_unlock"))
            or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
            or path == reverse("set_language")
        )
