"""Off track and reviewed, or not yet (issue 16): the markers the dashboard and the supervision
list show, read from the spell sessions.review_history caches on the episode's assessment."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import F, IntegerField, QuerySet
from django.db.models.fields.json import KT, KeyTransform
from django.db.models.functions import Cast
from django.utils.translation import pgettext_lazy

from clients.models import Episode

# The off-track spell (issue 16), cached on Episode.assessment under this key by
# sessions.review_history: {"trigger", "since", "meetings", "reviewed" (only once reviewed)}.
REVIEW_KEY = "review"
REVIEW_LABELS = {
    "reviewed": pgettext_lazy("dashboard", "reviewed"),
    "open": pgettext_lazy("dashboard", "not yet reviewed"),
    "due": pgettext_lazy("dashboard", "review due"),
}


def review_state(spell: Mapping | None, after: int) -> str:
    """The marker: "reviewed", "open" (not yet reviewed), "due" (not reviewed after `after`
    meetings in a row, the organisation's setting: marked for the leader), or "" (no signal)."""
    if not spell:
        return ""
    if spell.get("reviewed"):
        return "reviewed"
    return "due" if spell.get("meetings", 0) >= after else "open"


def due_for_review(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """The open episodes among `episodes` whose spell has run the organisation's number of
    meetings with no review (one query; the JSON keys read alike on SQLite and PostgreSQL)."""
    meetings = Cast(KT(f"assessment__{REVIEW_KEY}__meetings"), IntegerField())
    return (
        episodes.filter(client__active=True, ended_on__isnull=True)
        .filter(**{f"assessment__{REVIEW_KEY}__has_key": "since"})
        .filter(**{f"assessment__{REVIEW_KEY}__reviewed__isnull": True})
        .alias(spell_meetings=meetings)
        .filter(spell_meetings__gte=F("client__organisation__review_after_meetings"))
        .select_related("client", "client__responsible_helper")
        .defer("assessment")
        .annotate(review_spell=KeyTransform(REVIEW_KEY, "assessment"))
        .order_by("-severity", "client__case_code")
    )
