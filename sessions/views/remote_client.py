"""The client's page of a form link: no login, no names, no case code, no earlier scores.

Everything the page says is in the client's language. The page is throttled per address (and
harder for unknown links, so tokens cannot be guessed) and per link. A used, expired or revoked
link gives a clear page and changes nothing. With the organisation's birth-year check on, the
form opens only after the client has typed their birth year (five tries, then the link ends).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from kor.audit import client_address
from kor.outcomes.wording import wording
from sessions import remote, throttle
from sessions.client_progress import progress_for
from sessions.forms import ResponseForm, form_name
from sessions.models import FormResponse, RemoteLink

PAGE = "sessions/remote_form.html"
MAX_FACTOR_TRIES = 5


class BirthYearForm(forms.Form):
    birth_year = forms.IntegerField(
        label=_("Your year of birth"),
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
        error_messages={"invalid": _("Write the year with four digits, like 1990.")},
    )


class DeclineForm(forms.Form):
    why = forms.CharField(
        label=_("If you like, tell us why (you do not have to)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _throttled(request: HttpRequest, token: str) -> bool:
    window = settings.KOR_LINK_RATE_WINDOW
    ip = client_address(request) or "-"
    bad = throttle.count("link-bad", ip, window)
    return (
        bad >= settings.KOR_LINK_BAD_TOKENS_PER_IP
        or not throttle.hit("link-ip", ip, settings.KOR_LINK_RATE_PER_IP, window)
        or not throttle.hit(
            "link", remote.hash_token(token)[:32], settings.KOR_LINK_RATE_PER_TOKEN, window
        )
    )


def _plain(request: HttpRequest, template: str, context: dict, status: int) -> HttpResponse:
    response = render(request, template, context, status=status)
    # The page holds answers about someone's health: no browser or proxy keeps a copy.
    add_never_cache_headers(response)
    return response


def _gone(request: HttpRequest, reason: str, status: int = 410, link=None) -> HttpResponse:
    context = {"reason": reason, "link": link}
    if link is not None and reason == "completed":
        context["progress"] = _progress_if_allowed(request, link)
    return _plain(request, "sessions/remote_gone.html", context, status)


def _progress_if_allowed(request: HttpRequest, link: RemoteLink):
    """The client's own progress, right after they completed the link in this browser."""
    if link.show_progress and request.session.get("remote_done") == link.pk:
        progress = progress_for(link.meeting.episode, link.rater)
        if progress is not None:  # the client read their own scores: in their trail too
            remote.audit_link(link, "view", "progress_shown", request=request)
        return progress
    return None


def _open(request: HttpRequest, token: str):
    """(link, refusal): the live link of the token, or the page that says why not."""
    if _throttled(request, token):
        return None, _gone(request, "throttled", status=429)
    link = remote.find_link(token)
    if link is None:
        throttle.count(
            "link-bad", client_address(request) or "-", settings.KOR_LINK_RATE_WINDOW, add=1
        )
        return None, _gone(request, "unknown", status=404)
    translation.activate(link.language)
    request.LANGUAGE_CODE = link.language
    if remote.expire_if_due(link, request):
        # The browser that has just finished the link gets its thanks; any other, a 410.
        thanked = link.state == "completed" and request.session.get("remote_done") == link.pk
        return None, _gone(request, link.state, status=200 if thanked else 410, link=link)
    return link, None


def _needs_factor(request: HttpRequest, link: RemoteLink) -> bool:
    client = link.meeting.episode.client
    verified = request.session.get("remote_verified", [])
    return (
        client.organisation.link_birth_year_check
        and client.birth_year is not None
        and link.pk not in verified
    )


def _form(link: RemoteLink, instrument: str, data=None) -> ResponseForm:
    own = link.meeting.episode.client.organisation.form_wording
    return ResponseForm(
        data,
        instrument=instrument,
        rater=link.rater,
        wording=wording(instrument, own),
        prefix="f",
        initial={"status": FormResponse.Status.COMPLETED},
    )


def _form_page(request, link, token, form=None, decline_form=None, status=200) -> HttpResponse:
    instrument = link.open_forms()[0]
    context = {
        "token": token,
        "form": form or _form(link, instrument),
        "decline_form": decline_form or DeclineForm(prefix="d"),
        "instrument": instrument,
        "form_title": form_name(instrument),
        "organisation": link.meeting.episode.client.organisation.name,
        "step": len(link.done) + 1,
        "steps": len(link.instruments),
    }
    return _plain(request, PAGE, context, status)


@require_http_methods(["GET", "POST"])
def remote_form(request: HttpRequest, token: str) -> HttpResponse:
    link, refusal = _open(request, token)
    if refusal is not None:
        return refusal
    if _needs_factor(request, link):
        return _plain(
            request, "sessions/remote_check.html", {"token": token, "form": BirthYearForm()}, 200
        )
    if request.method == "GET":
        remote.opened(link, request)
        return _form_page(request, link, token)
    instrument = request.POST.get("instrument", "")
    if instrument not in link.open_forms():
        # Sent twice, or an old page: this form was taken; show where the link stands now.
        return redirect("remote_form", token)
    if "decline" in request.POST:
        decline_form = DeclineForm(request.POST, prefix="d")
        if not decline_form.is_valid():
            return _form_page(request, link, token, decline_form=decline_form, status=400)
        why = decline_form.cleaned_data["why"].strip()
        _outcome, link = remote.save_from_link(link, instrument, reason=why, request=request)
    else:
        form = _form(link, instrument, request.POST)
        if not form.is_valid() or form.cleaned_data.get("tenths") is None:
            return _form_page(request, link, token, form=form, status=400)
        tenths = form.cleaned_data["tenths"]
        _outcome, link = remote.save_from_link(link, instrument, items=tenths, request=request)
    if link.completed_at:
        request.session["remote_done"] = link.pk
    return redirect("remote_form", token)


@require_POST
def remote_check(request: HttpRequest, token: str) -> HttpResponse:
    link, refusal = _open(request, token)
    if refusal is not None:
        return refusal
    if not _needs_factor(request, link):  # no check asked, or passed already
        return redirect("remote_form", token)
    form = BirthYearForm(request.POST)
    if (
        form.is_valid()
        and form.cleaned_data["birth_year"] == link.meeting.episode.client.birth_year
    ):
        request.session["remote_verified"] = [*request.session.get("remote_verified", []), link.pk]
        return redirect("remote_form", token)
    if form.is_valid():
        if not remote.count_factor_try(link, MAX_FACTOR_TRIES, request):
            return _gone(request, "revoked", link=link)
        form.add_error("birth_year", _("That is not the year we have. Try again."))
    return _plain(request, "sessions/remote_check.html", {"token": token, "form": form}, 400)
