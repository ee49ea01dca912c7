"""Deleting an empty meeting and withdrawing a form entered by mistake. Writes need a helper on
the case (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kor.audit import audit
from sessions.episode_forms import WithdrawForm
from sessions.episodes import EpisodeRuleBroken, delete_empty_meeting, withdraw_form
from sessions.forms import form_name
from sessions.models import FormResponse, WithdrawnForm
from sessions.views.meeting import get_meeting_for_user

WITHDRAW_PAGE = "sessions/form_withdraw.html"


@login_required
@require_POST
def meeting_delete(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, meeting_id, write=True)
    try:
        delete_empty_meeting(meeting=meeting, by=request.user, request=request)
    except EpisodeRuleBroken:
        messages.error(
            request,
            _(
                "The meeting has forms and was not deleted. "
                "Withdraw the forms first if they are wrong."
            ),
        )
        return redirect("meeting_detail", meeting.pk)
    messages.success(request, _("The empty meeting was deleted."))
    return redirect("client_detail", meeting.episode.client_id)


@login_required
@require_http_methods(["GET", "POST"])
def form_withdraw(
    request: HttpRequest, meeting_id: int, rater_id: int, instrument: str
) -> HttpResponse:
    meeting = get_meeting_for_user(request, meeting_id, write=True)
    response = (
        FormResponse.objects.select_related("rater")
        .filter(meeting=meeting, rater_id=rater_id, instrument=instrument)
        .first()
    )
    if response is None:
        # A second click after the withdrawal: say so rather than a bare 404.
        if WithdrawnForm.objects.filter(
            meeting=meeting, rater_id=rater_id, instrument=instrument
        ).exists():
            messages.info(request, _("This form has already been withdrawn."))
            return redirect("meeting_detail", meeting.pk)
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        withdraw_form(
            response=response, reason=form.cleaned_data["reason"], by=request.user, request=request
        )
        messages.success(
            request,
            _("The form was withdrawn. It is kept in the history, but no longer in the chart."),
        )
        return redirect("meeting_detail", meeting.pk)
    if request.method == "GET":
        audit(request, "view", response, client_id=meeting.episode.client_id)
    return render(
        request,
        WITHDRAW_PAGE,
        {
            "meeting": meeting,
            "client": meeting.episode.client,
            "response": response,
            "name": form_name(instrument),
            "form": form,
        },
    )
