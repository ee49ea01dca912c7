"""The off-track review: its form, and the one write that stores it (issue 16, part 1).

The points are the project's own wording of what the literature on feedback asks a helper to
look at when a client is not getting better; they copy no published checklist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from clients.models import Episode
from kor.audit import audit
from kor.outcomes.review import Spell
from sessions.models import OffTrackReview
from sessions.outcome import refresh_episode
from sessions.review_history import REVIEW_KEY

POINT_LABELS = {
    "talked_progress": _("We talked together about the lack of progress"),
    "goals_reviewed": _("We went through the goals again"),
    "alliance_discussed": _("We talked about how our work together is going"),
    "changed_approach": _("Changed the approach, the method or how often we meet"),
    "involved_network": _("Brought in the client's network or family"),
    "brought_to_supervision": _("Took the case to supervision"),
    "considered_referral": _("Considered a referral elsewhere"),
}
MAX_PLAN = 2000


class ReviewForm(forms.Form):
    with_client = forms.TypedChoiceField(
        label=_("How was the review done?"),
        choices=[("1", _("Together with the client")), ("0", _("By me alone"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the review was done with the client.")},
    )
    plan = forms.CharField(
        label=_("What we will do now"),
        required=False,
        max_length=MAX_PLAN,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in POINT_LABELS.items():
            self.fields[name] = forms.BooleanField(label=label, required=False)

    @property
    def typed_plan(self) -> str:
        """The plan as typed, for showing back after an error (without a NUL that caused it)."""
        if self.is_bound:
            return (self.data.get("plan") or "").replace("\x00", "")
        return ""

    @property
    def point_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in POINT_LABELS]

    def clean(self):
        data = super().clean()
        if (
            not any(data.get(name) for name in POINT_LABELS)
            and not (data.get("plan") or "").strip()
        ):
            raise forms.ValidationError(
                _("Tick at least one point or write the plan: an empty review says nothing.")
            )
        return data


def spell_of(episode: Episode) -> Spell | None:
    """The spell the episode is in, as refresh_episode cached it (None when it does not signal)."""
    cached = (episode.assessment or {}).get(REVIEW_KEY) if episode.is_open else None
    if not cached:
        return None
    return Spell(cached["trigger"], cached["since"], cached["meetings"], cached.get("reviewed"))


@dataclass
class Saved:
    review: OffTrackReview
    created: bool


def save_review(request: HttpRequest, episode: Episode, spell: Spell, data: dict) -> Saved:
    """Store the review with the episode's latest meeting: one row per meeting, however many
    submits race (a second one updates the first), audited, and the spell's cache refreshed."""
    with transaction.atomic():
        meeting = episode.meetings.order_by("-number").first()
        values = {name: bool(data.get(name)) for name in POINT_LABELS}
        values |= {"with_client": data["with_client"], "plan": data.get("plan", "").strip()}
        review, created = OffTrackReview.objects.get_or_create(
            episode=episode,
            meeting_number=meeting.number,
            defaults=values
            | {"meeting": meeting, "trigger": spell.trigger, "created_by": request.user},
        )
        if not created:
            for name, value in values.items():
                setattr(review, name, value)
            review.save(update_fields=[*values, "updated_at"])
        audit(
            request,
            "create" if created else "update",
            review,
            trigger=review.trigger,
            meeting=review.meeting_number,
        )
        refresh_episode(episode)
    return Saved(review, created)


def describe(spell: Spell) -> str:
    """The spell in words: "off track now, signalling since meeting 3: 3 meetings in a row"
    (the spell may have begun with another signal, an alliance alert say)."""
    trigger = OffTrackReview.Trigger(spell.trigger).label
    return ngettext(
        "%(trigger)s now, signalling since meeting %(since)s: %(n)s meeting in a row",
        "%(trigger)s now, signalling since meeting %(since)s: %(n)s meetings in a row",
        spell.meetings,
    ) % {"trigger": trigger, "since": spell.since, "n": spell.meetings}


def review_panel(episode: Episode, can_write: bool) -> dict:
    """What the client page shows of reviews: the spell, the form (to whoever may write) and
    the episode's reviews, newest first (one query)."""
    spell = spell_of(episode)
    reviews = list(episode.offtrack_reviews.select_related("created_by"))
    for review in reviews:
        review.point_labels = [POINT_LABELS[p] for p in review.points]
    return {
        "spell": spell,
        "spell_text": describe(spell) if spell else "",
        "review_form": ReviewForm() if spell and can_write else None,
        "reviews": reviews,
    }
