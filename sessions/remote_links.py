"""What the meeting page shows of its form links (issue 14), for the page and for its poll."""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max

from sessions.link_forms import LinkForm
from sessions.models import FormResponse, Meeting, RemoteLink

POLL_SECONDS = 5


def link_form(meeting: Meeting, data=None, rater_id: str | None = None) -> LinkForm:
    return LinkForm(
        data,
        initial={"rater": rater_id} if rater_id else None,
        episode=meeting.episode,
        allow_progress=meeting.episode.client.organisation.client_own_view,
        prefix="link",
    )


def fingerprint(meeting: Meeting, links: list[RemoteLink] | None = None) -> str:
    """What the meeting page shows of its links, in a few characters: a poll with the same one
    gets an empty 204. Every answer through a link changes its link in the same transaction; the
    helper's own saves (which swap the panel themselves) do not count. From `links` where the
    page has read them all already, else one query."""
    if links is None:
        row = RemoteLink.objects.filter(meeting=meeting).aggregate(
            n=Count("pk"), at=Max("updated_at")
        )
        n, at = row["n"], row["at"]
    else:
        n, at = len(links), max((link.updated_at for link in links), default=None)
    return hashlib.sha256(f"{n}|{at}".encode()).hexdigest()[:16]


def meeting_responses(meeting: Meeting) -> dict[tuple[int, str], FormResponse]:
    """The meeting's forms by (rater id, instrument), in one query."""
    return {(r.rater_id, r.instrument): r for r in FormResponse.objects.filter(meeting=meeting)}


def links_context(
    meeting: Meeting,
    form: LinkForm | None = None,
    *,
    can_write: bool,
    responses: dict[tuple[int, str], FormResponse] | None = None,
    **extra,
) -> dict:
    """`responses`: the meeting's forms (meeting_responses), where the page has read them."""
    links = list(RemoteLink.objects.filter(meeting=meeting).select_related("rater"))
    if responses is None:
        responses = meeting_responses(meeting)
    for link in links:
        link.forms = [
            {
                "code": code,
                "done": link.done.get(code, ""),
                "response": responses.get((link.rater_id, code)),
                "aside": link.kept_aside.get(code),
            }
            for code in link.instruments
        ]
    return {
        "meeting": meeting,
        "links": links,
        "link_form": form or link_form(meeting),
        "fp": fingerprint(meeting, links),
        "poll_seconds": POLL_SECONDS,
        "can_write": can_write,
        **extra,
    }
