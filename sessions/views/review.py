"""The off-track review of an episode: the form (also offered on the client page) and its save."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.models import Episode
from kor.audit import audit
from sessions.review import ReviewForm, save_review, spell_of


@login_required
@require_http_methods(["GET", "POST"])
def episode_review(request: HttpRequest, episode_id: int) -> HttpResponse:
    """Whoever may write the episode reviews it while it signals; anyone else gets a 404."""
    episode = get_object_or_404(
        Episode.objects.writable_by(request.user).select_related("client"), pk=episode_id
    )
    spell = spell_of(episode)
    if spell is None:
        # Nothing signals now (or the episode ended): nothing to review, nothing stored.
        if request.method == "GET":
            audit(request, "view", episode, screen="review")
        return render(
            request,
            "sessions/review.html",
            {"episode": episode, "client": episode.client, "spell": None},
            status=409 if request.method == "POST" else 200,
        )
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        saved = save_review(request, episode, spell, form.cleaned_data)
        text = _("The review is saved.") if saved.created else _("The review is updated.")
        messages.success(request, text)
        return redirect("client_detail", client_id=episode.client_id)
    if request.method == "GET":
        audit(request, "view", episode, screen="review")
    return render(
        request,
        "sessions/review.html",
        {"episode": episode, "client": episode.client, "spell": spell, "review_form": form},
        status=400 if form.is_bound else 200,
    )
