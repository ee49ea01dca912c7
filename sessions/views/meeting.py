"""The session view: start a meeting, record each rater's forms, see the chart and flags change.

Every view looks its object up through the access QuerySet methods first (`visible_to`,
`writable_by`: 404 for what the user may not see); writes need a helper on the case. htmx
requests get fragments, others a redirect or the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clients.models import Episode, Goal, Rater
from kor.audit import audit
from kor.http import safe_next
from kor.outcomes.wording import wording
from sessions.chart import Panel, outcome_panel
from sessions.forms import (
    GoalForm,
    MeetingForm,
    RaterForm,
    ResponseForm,
    UnlockForm,
    form_name,
)
from sessions.models import FormResponse, Meeting
from sessions.outcome import episode_outcome
from sessions.remote_links import link_form, links_context, meeting_responses
from sessions.services import (
    Recorded,
    StaleForm,
    add_goal,
    add_rater,
    forms_for,
    record_form,
    start_meeting,
    version_of,
)
from sessions.views.client import client_page
from sessions.views.meeting_new import meeting_new_page

MEETING_PAGE = "sessions/meeting.html"


def get_meeting_for_user(request: HttpRequest, meeting_id: int, *, write: bool = False) -> Meeting:
    """The meeting, if its client is visible to the user (404 otherwise, as for a meeting that
    does not exist); with `write`, only for a helper on the case."""
    user = request.user
    meetings = Meeting.objects.writable_by(user) if write else Meeting.objects.visible_to(user)
    return get_object_or_404(
        meetings.select_related("episode__client__organisation"), pk=meeting_id
    )


def writable_episode(request: HttpRequest, episode_id: int) -> Episode:
    """The episode, for a helper on the case (404 otherwise)."""
    return get_object_or_404(
        Episode.objects.writable_by(request.user).select_related(
            "client", "client__team", "client__responsible_helper"
        ),
        pk=episode_id,
    )


def rater_for_form(meeting: Meeting, rater_id: int, instrument: str) -> Rater:
    # Among the raters of the meeting's episode, which the caller has looked up for the user.
    # All of them, in one query the save's status refresh (episode_outcome) reads again.
    prefetch_related_objects([meeting.episode], "raters")
    rater = next((r for r in meeting.episode.raters.all() if r.pk == rater_id), None)
    if rater is None:
        raise Http404
    if instrument not in forms_for(meeting.episode, rater, meeting):
        raise Http404
    return rater


class FormSlot:
    """One rating form on the page: who rates, which form, and the bound or unbound form."""

    def __init__(
        self,
        meeting: Meeting,
        rater: Rater,
        instrument: str,
        form: ResponseForm,
        response: FormResponse | None,
        *,
        saved: str = "",
        conflict: bool = False,
    ):
        self.meeting = meeting
        self.rater = rater
        self.instrument = instrument
        self.form = form
        self.response = response
        self.saved = saved
        self.conflict = conflict
        self.name = form_name(instrument)
        self.id = f"form-r{rater.pk}-{instrument}"

    @property
    def save_url(self) -> str:
        return reverse("save_form", args=[self.meeting.pk, self.rater.pk, self.instrument])

    @property
    def handover_url(self) -> str:
        return reverse("handover_start", args=[self.meeting.pk, self.rater.pk, self.instrument])


def form_slot(meeting, rater, instrument, response, data=None, **extra) -> FormSlot:
    # The service's own (licensed) wording where it has loaded one, else the project's text.
    own_wording = meeting.episode.client.organisation.form_wording
    form = ResponseForm(
        data,
        instrument=instrument,
        rater=rater,
        wording=wording(instrument, own_wording),
        prefix=f"r{rater.pk}-{instrument}",
        initial=ResponseForm.initial_from(response),
    )
    return FormSlot(meeting, rater, instrument, form, response, **extra)


def meeting_slots(meeting: Meeting, responses: dict) -> tuple[list[FormSlot], list[FormSlot]]:
    """The outcome forms (start of the meeting) and alliance forms (end), one per rater, with
    the meeting's forms (meeting_responses) filled in."""
    start, end = [], []
    # Prefetched: the page's progress panel reads the same raters (episode_outcome).
    prefetch_related_objects([meeting.episode], "raters")
    for rater in meeting.episode.raters.all():
        outcome, alliance = forms_for(meeting.episode, rater, meeting)
        start.append(form_slot(meeting, rater, outcome, responses.get((rater.pk, outcome))))
        end.append(form_slot(meeting, rater, alliance, responses.get((rater.pk, alliance))))
    return start, end


@login_required
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, meeting_id)
    episode = meeting.episode
    audit(request, "view", meeting, client_id=episode.client_id)
    responses = meeting_responses(meeting)  # the forms, the corrections and the links read them
    start, end = meeting_slots(meeting, responses)
    can_write = episode.client.is_writable_by(request.user)
    context = _meeting_context(meeting, start, end, can_write, responses)
    rater_id = request.GET.get("rater", "")
    if rater_id.isdigit():  # from a rater on the client's page: the link form, opened for them
        context |= {"link_form": link_form(meeting, rater_id=rater_id), "link_open": True}
    return render(request, MEETING_PAGE, context)


def _meeting_context(
    meeting: Meeting, start: list, end: list, can_write: bool, responses: dict
) -> dict:
    """What the meeting page shows: the forms at the start and the end, goals and progress."""
    episode = meeting.episode
    return {
        "meeting": meeting,
        "episode": episode,
        "client": episode.client,
        "start_slots": start,
        "end_slots": end,
        "panel": outcome_panel(episode_outcome(episode)),
        "goals": episode.goals.all(),
        "goal_form": GoalForm(),
        "can_write": can_write,
        # Corrections (sessions.views.backlog): an empty meeting can be deleted; withdrawn
        # forms are listed, kept out of the chart.
        "is_empty": not responses,
        "withdrawn": meeting.withdrawn_forms.select_related("rater", "withdrawn_by"),
        # Form links (issue 14): sent, answered, kept aside; the page polls for new answers.
        **links_context(meeting, can_write=can_write, responses=responses),
    }


@login_required
@require_POST
def save_form(
    request: HttpRequest, meeting_id: int, rater_id: int, instrument: str
) -> HttpResponse:
    meeting = get_meeting_for_user(request, meeting_id, write=True)
    rater = rater_for_form(meeting, rater_id, instrument)
    handover = _in_handover(request, meeting, rater, instrument)
    # A bound form needs no stored copy: what was posted is what is shown again.
    slot = form_slot(meeting, rater, instrument, None, request.POST)
    form = slot.form
    changed = False
    if form.is_valid():
        data = form.cleaned_data
        completed = data["status"] == FormResponse.Status.COMPLETED
        reason_code, reason_words = ("", "") if completed else form.declined_reason()
        try:
            recorded = record_form(
                meeting=meeting,
                rater=rater,
                instrument=instrument,
                items=data["tenths"] if completed else None,
                declined=None if completed else data["status"],
                declined_reason=reason_words,
                declined_reason_code=reason_code,
                by=request.user,
                version=data.get("version") or None,
                request=request,
            )
        except StaleForm as stale:
            # Keep what this person entered; the next save (with the new version) replaces
            # the other tab's values, knowingly.
            form.data = form.data.copy()
            form.data[form.add_prefix("version")] = version_of(stale.current)
            form.add_error(None, _stale_message(stale.current))
            slot.conflict = True
        else:
            # The page sends a save once more when the first got no answer (static/js/
            # request-failure.js). If the first was stored, the repeat changes nothing, but the
            # helper has not seen it saved, nor the chart and flags it changed: show both.
            changed = recorded.changed or retried(request)
            slot = form_slot(meeting, rater, instrument, recorded.response)
            slot.saved = _("Saved.") if changed else _("Already saved: nothing had changed.")
    if not request.htmx:
        if slot.saved:
            messages.success(request, slot.saved)
            if handover:
                return redirect("handover", meeting.pk, rater.pk, instrument)
            return redirect("meeting_detail", meeting.pk)
        return _full_page_with(request, meeting, slot, handover)
    context = {"slot": slot, "handover": handover}
    if changed and not handover:
        # The chart, badge and flags change with the save: they are swapped out of band.
        context["panel"] = _panel_after(request, meeting, recorded)
    html = render_to_string(f"{MEETING_PAGE}#save_response", context, request)
    return HttpResponse(html)


def _panel_after(request: HttpRequest, meeting: Meeting, recorded: Recorded) -> Panel:
    """The progress panel after a save. The save read the episode's outcome once (to cache the
    status): the panel draws it. A repeat the page sent (`retried`) wrote nothing, as the first
    had stored it: the outcome is read anew, and that read goes in the client's trail as the
    poll's does."""
    if recorded.outcome is not None:
        return outcome_panel(recorded.outcome)
    episode = meeting.episode
    audit(request, "view", episode, client_id=episode.client_id, screen="save_sent_again")
    return outcome_panel(episode_outcome(episode))


RETRY_HEADER = "X-KOR-Retry"


def retried(request: HttpRequest) -> bool:
    """The page sent this request again because the first got no answer (it may have been
    stored): request-failure.js marks the repeat with this header."""
    return request.headers.get(RETRY_HEADER) == "1"


def _stale_message(current: FormResponse) -> str:
    when = timezone.localtime(current.updated_at).strftime("%H:%M:%S")
    return _(
        "This form was saved from another window at %(when)s while you were filling it in. "
        "Your values are still here: check them and save again to replace the other ones."
    ) % {"when": when}


def _full_page_with(request, meeting: Meeting, slot: FormSlot, handover: bool) -> HttpResponse:
    """The page again with the rejected form in place (no JavaScript: the values stay)."""
    if handover:
        return render(
            request,
            "sessions/handover.html",
            {"slot": slot, "handover": True, "unlock_form": UnlockForm()},
        )
    responses = meeting_responses(meeting)
    start, end = meeting_slots(meeting, responses)
    start = [slot if s.id == slot.id else s for s in start]
    end = [slot if s.id == slot.id else s for s in end]
    context = _meeting_context(meeting, start, end, True, responses)
    return render(request, MEETING_PAGE, context)


def _in_handover(request: HttpRequest, meeting: Meeting, rater: Rater, instrument: str) -> bool:
    state = request.session.get("handover")
    return bool(state) and state.get("path") == reverse(
        "handover", args=[meeting.pk, rater.pk, instrument]
    )


@login_required
@require_POST
def meeting_start(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = writable_episode(request, episode_id)
    if not episode.is_open:
        raise Http404
    form = MeetingForm(request.POST, episode=episode)
    if form.is_valid():
        meeting = start_meeting(
            episode=episode,
            date=form.cleaned_data["date"],
            format=form.cleaned_data["format"],
            helper=request.user,
        )
        if meeting.repeated:  # a double submit: the meeting the first one started
            return redirect("meeting_detail", meeting.pk)
        audit(
            request,
            "create",
            meeting,
            client_id=episode.client_id,
            number=meeting.number,
            renumbered={str(pk): list(n) for pk, n in meeting.renumbered.items()},
        )
        return redirect("meeting_detail", meeting.pk)
    return meeting_new_page(request, episode, form)


@login_required
@require_POST
def goal_add(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = writable_episode(request, episode_id)
    form = GoalForm(request.POST)
    if form.is_valid():
        goal, created = add_goal(episode=episode, text=form.cleaned_data["text"], by=request.user)
        if created:  # a repeat of the same goal shows the list as it is
            audit(request, "create", goal, client_id=episode.client_id)
        form = GoalForm()
    return _goals_response(request, episode, form)


@login_required
@require_POST
def goal_reached(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_object_or_404(
        Goal.objects.writable_by(request.user).select_related("episode"), pk=goal_id
    )
    episode = goal.episode
    goal.reached_on = None if request.POST.get("reached") == "0" else timezone.localdate()
    goal.save(update_fields=["reached_on"])
    audit(request, "update", goal, client_id=episode.client_id, reached=bool(goal.reached_on))
    return _goals_response(request, episode, GoalForm())


def _goals_response(request: HttpRequest, episode: Episode, form: GoalForm) -> HttpResponse:
    if not request.htmx:
        if form.errors:
            messages.error(request, _("The goal was not saved: write it in a few words."))
        return redirect(safe_next(request) or _client_url(episode))
    return render(
        request,
        "clients/client_detail.html#goals",
        {
            "episode": episode,
            "goals": episode.goals.all(),
            "goal_form": form,
            "can_write": True,
            "next": safe_next(request),
        },
    )


def _client_url(episode: Episode) -> str:
    return reverse("client_detail", args=[episode.client_id])


@login_required
@require_POST
def rater_add(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = writable_episode(request, episode_id)
    form = RaterForm(request.POST, episode=episode)
    if not form.is_valid():
        # The client's page again, with what was typed and the message beside the field (a
        # second "mor" asks for a label that tells them apart).
        return client_page(request, episode.client, rater_form=form, status=200)
    # Two posts at the same moment both pass the form; the lock in add_rater keeps one.
    data = form.cleaned_data
    rater, created = add_rater(episode=episode, relation=data["relation"], label=data["label"])
    if created:
        audit(request, "create", rater, client_id=episode.client_id)
    messages.success(request, _("%(rater)s now rates in this episode.") % {"rater": rater})
    return redirect(_client_url(episode))
