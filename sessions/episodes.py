"""The life of an episode of care and the corrections of a backlog: start an episode (also on a
past date), end it (with an optional last outcome form), reopen one ended by mistake, delete an
empty meeting, withdraw a form entered by mistake. Each is one transaction with its audit row,
used by the views and by seed_demo alike.

Audit rows carry `what` and the values before and after; the action is one of the log's own
(update for end and reopen, delete for a meeting or a withdrawn form).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from clients.models import Client, Episode, Rater
from kor.audit import record
from kor.models import User
from sessions.models import FormResponse, Meeting, WithdrawnForm
from sessions.outcome import refresh_episode
from sessions.services import (
    lock_episode,
    outcome_form_for,
    record_form,
    renumber_meetings,
    start_meeting,
)


class EpisodeRuleBroken(Exception):
    """The change is not allowed in the episode's present state (another window got there
    first, or the time to reopen has passed). The message is for the person who tried."""


def _end_state(episode: Episode) -> dict[str, Any]:
    return {
        "ended_on": episode.ended_on.isoformat() if episode.ended_on else None,
        "end_reason": episode.end_reason,
        "end_reason_text": episode.end_reason_text,
    }


# --- Start ---------------------------------------------------------------------------------------


def earliest_start(client: Client) -> datetime.date | None:
    """A new episode starts no earlier than the day the client's last one ended."""
    return Episode.objects.filter(client=client).aggregate(d=Max("ended_on"))["d"]


@transaction.atomic
def start_episode(
    *, client: Client, started_on: datetime.date, by: User, request: HttpRequest | None = None
) -> Episode:
    """A new episode with the client as its first rater. Refused while one is open: the lock on
    the client's episodes makes two clicks at once give one episode."""
    if not client.active:
        # An archived client is in no caseload: a new episode would be seen by nobody.
        raise EpisodeRuleBroken("archived")
    open_ = Episode.objects.select_for_update().filter(client=client, ended_on__isnull=True)
    if open_.exists():
        raise EpisodeRuleBroken("open")
    episode = Episode.objects.create(
        client=client, started_on=started_on, age_group=client.age_group_on(started_on)
    )
    Rater.objects.create(episode=episode, relation=Rater.Relation.CLIENT)
    record(
        "create",
        episode,
        user=by,
        request=request,
        client_id=client.pk,
        started_on=started_on.isoformat(),
    )
    return episode


# --- End and reopen ------------------------------------------------------------------------------


def last_meeting_on(episode: Episode) -> datetime.date | None:
    return Meeting.objects.filter(episode=episode).aggregate(d=Max("date"))["d"]


@dataclass(frozen=True)
class Ended:
    episode: Episode
    changed: bool  # False: it was already ended (a second click); nothing was written
    meeting: Meeting | None  # the final meeting holding the last outcome form, if one was given


def end_episode(
    *,
    episode: Episode,
    ended_on: datetime.date,
    reason: str,
    reason_text: str = "",
    last_outcome: list[int] | None = None,
    by: User,
    request: HttpRequest | None = None,
    at: datetime.datetime | None = None,
) -> Ended:
    """End the episode on `ended_on` for `reason`; with `last_outcome` (items in tenths), first
    record the client's last outcome form in a new final meeting on that day.

    Idempotent: under the episode's row lock an episode already ended is left as it is, so a
    double submit gives one end and one final meeting. The episode then counts in the period
    statistics (closed episodes) and leaves the caseload (open episodes only). `at` is when it
    was ended (now; seed_demo gives the end date, so old demo episodes cannot be reopened).
    """
    with transaction.atomic():
        locked = Episode.objects.select_for_update().select_related("client").get(pk=episode.pk)
        if locked.ended_on is not None:
            return Ended(locked, changed=False, meeting=None)
        if ended_on < locked.started_on or ended_on < (last_meeting_on(locked) or ended_on):
            raise ValueError("an episode ends after its start and its last meeting")
        before = _end_state(locked)
        meeting = None
        if last_outcome:
            meeting = start_meeting(
                episode=locked, date=ended_on, format=Meeting.Format.INDIVIDUAL, helper=by
            )
            record(
                "create",
                meeting,
                user=by,
                request=request,
                client_id=locked.client_id,
                number=meeting.number,
                final=True,
            )
            record_form(
                meeting=meeting,
                rater=client_rater(locked),
                instrument=outcome_form_for(locked),
                items=last_outcome,
                by=by,
                request=request,
            )
        text = reason_text.strip() if reason == Episode.EndReason.OTHER else ""
        _set_end(locked, "episode_end", before, by, request, ended_on, reason, text, at)
    return Ended(locked, changed=True, meeting=meeting)


def _set_end(
    episode: Episode,
    what: str,
    before: dict[str, Any],
    by: User,
    request: HttpRequest | None,
    ended_on: datetime.date | None,
    reason: str,
    text: str,
    at: datetime.datetime | None,
) -> None:
    """Store an end (or its undoing, with ended_on None) and its audit row with before/after."""
    episode.ended_on, episode.end_reason, episode.end_reason_text = ended_on, reason, text
    episode.ended_at = None if ended_on is None else (at or timezone.now())
    episode.ended_by = None if ended_on is None else by
    episode.save(
        update_fields=["ended_on", "end_reason", "end_reason_text", "ended_at", "ended_by"]
    )
    record(
        "update",
        episode,
        user=by,
        request=request,
        client_id=episode.client_id,
        what=what,
        before=before,
        after=_end_state(episode),
    )


def client_rater(episode: Episode) -> Rater:
    rater = episode.raters.filter(relation=Rater.Relation.CLIENT).first()
    return rater or episode.raters.first() or Rater.objects.create(episode=episode)


def reopen_deadline(episode: Episode) -> datetime.datetime | None:
    """Until when an ended episode can be reopened: EPISODE_REOPEN_DAYS after it was ended in the
    app (for an episode ended before that was recorded, after its end date)."""
    if episode.ended_on is None:
        return None
    ended = episode.ended_at or timezone.make_aware(
        datetime.datetime.combine(episode.ended_on, datetime.time.max)
    )
    return ended + datetime.timedelta(days=settings.EPISODE_REOPEN_DAYS)


def may_reopen(episode: Episode, now: datetime.datetime | None = None) -> bool:
    """Within the time to reopen, and the client's latest episode (no new one started since)."""
    deadline = reopen_deadline(episode)
    if deadline is None or (now or timezone.now()) > deadline:
        return False
    later = Episode.objects.filter(client_id=episode.client_id).exclude(pk=episode.pk)
    return (
        not later.filter(started_on__gte=episode.started_on).exists()
        and not later.filter(ended_on__isnull=True).exists()
    )


def reopen_episode(*, episode: Episode, by: User, request: HttpRequest | None = None) -> Episode:
    """Undo an end by mistake: the episode is open again, as before, and in the caseload.
    A final meeting recorded with the end stays (it is a real rating)."""
    with transaction.atomic():
        # The client's episodes are locked as a start locks them: a reopen and a new start
        # at once cannot give the client two open episodes.
        list(Episode.objects.select_for_update().filter(client_id=episode.client_id).values("pk"))
        locked = Episode.objects.select_related("client").get(pk=episode.pk)
        if not may_reopen(locked):
            raise EpisodeRuleBroken("too late")
        _set_end(locked, "episode_reopen", _end_state(locked), by, request, None, "", "", None)
    return locked


# --- Corrections of meetings and forms -----------------------------------------------------------


def delete_empty_meeting(*, meeting: Meeting, by: User, request: HttpRequest | None = None) -> None:
    """Delete a meeting that holds no form (a stray start); the later ones move down by one."""
    episode = meeting.episode
    with transaction.atomic():
        lock_episode(episode)
        if FormResponse.objects.filter(meeting_id=meeting.pk).exists():
            raise EpisodeRuleBroken("not empty")
        if not Meeting.objects.filter(pk=meeting.pk).exists():
            return  # a second click: already gone
        before = {
            "number": meeting.number,
            "date": meeting.date.isoformat(),
            "format": meeting.format,
            "helper": meeting.helper_id,
        }
        Meeting.objects.filter(pk=meeting.pk).delete()
        moved = renumber_meetings(episode)
        refresh_episode(episode)
        record(
            "delete",
            meeting,
            user=by,
            request=request,
            client_id=episode.client_id,
            what="empty_meeting",
            before=before,
            renumbered={str(pk): list(n) for pk, n in moved.items()},
        )


def withdraw_form(
    *, response: FormResponse, reason: str, by: User, request: HttpRequest | None = None
) -> WithdrawnForm | None:
    """Take a form entered by mistake out of the series, the chart and the statistics, keeping
    it as it was (with who withdrew it and why) in WithdrawnForm. None for a second click."""
    meeting = response.meeting
    episode = meeting.episode
    with transaction.atomic():
        lock_episode(episode)
        current = FormResponse.objects.select_for_update().filter(pk=response.pk).first()
        if current is None:
            return None
        kept = WithdrawnForm.objects.create(
            episode=episode,
            meeting=meeting,
            meeting_number=meeting.number,
            meeting_date=meeting.date,
            rater_id=current.rater_id,
            instrument=current.instrument,
            item1=current.item1,
            item2=current.item2,
            item3=current.item3,
            item4=current.item4,
            total=current.total,
            status=current.status,
            declined_reason=current.declined_reason,
            source=current.source,
            entered_by_id=current.entered_by_id,
            entered_at=current.created_at,
            reason=reason.strip()[:300],
            withdrawn_by=by,
        )
        before = {
            "instrument": current.instrument,
            "status": current.status,
            "items": current.items,
            "total": current.total,
            "meeting": meeting.number,
        }
        current.delete()
        refresh_episode(episode)
        record(
            "delete",
            response,
            user=by,
            request=request,
            client_id=episode.client_id,
            what="withdraw_form",
            reason=kept.reason,
            kept_as=kept.pk,
            before=before,
        )
    return kept
