"""Writes that span several models: start a meeting, record a form (with the episode's new status
and the audit row in the same transaction)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.http import HttpRequest

from clients.models import AgeGroup, Episode, Rater
from kor.audit import audit
from kor.models import AuditEvent, User
from kor.outcomes import alliance_instrument, outcome_instrument
from sessions.models import FormResponse, Meeting
from sessions.outcome import refresh_episode


def outcome_form_for(episode: Episode) -> str:
    """The outcome form follows the age of the person rated: the client, whoever rates."""
    return outcome_instrument(episode.age_group)


def alliance_form_for(episode: Episode, rater: Rater, meeting_format: str) -> str:
    """The alliance form follows the rater's own age: the client's group for the client, adult
    for a parent or partner; GSRS in a group meeting (13 and older)."""
    age_group = episode.age_group if rater.is_client else AgeGroup.ADULT
    return alliance_instrument(age_group, group_meeting=meeting_format == Meeting.Format.GROUP)


def forms_for(episode: Episode, rater: Rater, meeting: Meeting) -> tuple[str, str]:
    return outcome_form_for(episode), alliance_form_for(episode, rater, meeting.format)


@transaction.atomic
def start_meeting(*, episode: Episode, date: datetime.date, format: str, helper: User) -> Meeting:
    """A new meeting of the episode, numbered in date order: a meeting entered from paper with an
    older date goes before the later ones, which move up by one (`meeting.renumbered` says which:
    {meeting id: (old number, new number)}). Numbers are assigned under a lock on the episode, so
    two helpers starting a meeting at once get 3 and 4, never two 3s."""
    lock_episode(episode)
    last = Meeting.objects.filter(episode=episode).aggregate(n=Max("number"))["n"] or 0
    meeting = Meeting.objects.create(
        episode=episode, number=last + 1, date=date, helper=helper, format=format
    )
    meeting.renumbered = renumber_meetings(episode)
    if meeting.pk in meeting.renumbered:
        meeting.number = meeting.renumbered[meeting.pk][1]
    refresh_episode(episode)
    return meeting


def lock_episode(episode: Episode) -> None:
    """Take the episode's row lock: every change of its meetings' numbers happens under it."""
    list(Episode.objects.select_for_update().filter(pk=episode.pk).order_by().values("pk"))


# Above any real meeting number and below the column's limit (smallint): a parking place.
_PARK = 10_000


def renumber_meetings(episode: Episode) -> dict[int, tuple[int, int]]:
    """Number the episode's meetings 1, 2, 3... in date order (same date: the order they had).
    Call under lock_episode. Returns {meeting id: (old, new)} for the meetings that moved.

    (episode, number) is unique and checked row by row, so the moving meetings are parked above
    every real number first, then put in place: no step ever holds two equal numbers.
    """
    rows = list(
        Meeting.objects.filter(episode=episode)
        .order_by("date", "number", "pk")
        .values_list("pk", "number")
    )
    moved = {pk: (old, new) for new, (pk, old) in enumerate(rows, 1) if old != new}
    if not moved:
        return {}
    Meeting.objects.filter(pk__in=moved).update(number=models.F("number") + _PARK)
    for pk, (_old, new) in moved.items():
        Meeting.objects.filter(pk=pk).update(number=new)
    return moved


class StaleForm(Exception):
    """The form was saved by someone else (another tab) since this copy was loaded."""

    def __init__(self, current: FormResponse) -> None:
        super().__init__("form changed meanwhile")
        self.current = current


@dataclass(frozen=True)
class Recorded:
    response: FormResponse
    created: bool
    changed: bool  # False for a repeated submit of the same values: nothing was written


def version_of(response: FormResponse | None) -> str:
    """What the form carries to detect a save by someone else: the row's last change."""
    return response.updated_at.isoformat() if response is not None else "new"


def record_form(
    *,
    meeting: Meeting,
    rater: Rater,
    instrument: str,
    items: list[int] | None = None,
    declined: str | None = None,
    declined_reason: str = "",
    by: User,
    version: str | None = None,
    source: str = FormResponse.Source.MEETING,
    request: HttpRequest | None = None,
) -> Recorded:
    """Save one form (items in tenths, or `declined` = "declined" | "not_offered" with a reason),
    recompute the episode's status and flags, and write the audit row, all in one transaction.

    Idempotent: (meeting, rater, instrument) is unique, so a repeated submit updates the one row.
    With `version` (from `version_of` when the form was loaded), a save on top of someone else's
    newer save raises StaleForm instead of overwriting it; a repeat of identical values is a no-op.
    """
    if (items is None) == (declined is None):
        raise ValueError("give items or declined, not both")
    if declined is None:
        values = {
            "status": FormResponse.Status.COMPLETED,
            "item1": items[0],
            "item2": items[1] if len(items) > 1 else None,
            "item3": items[2] if len(items) > 2 else None,
            "item4": items[3] if len(items) > 3 else None,
            "total": sum(items),
            "declined_reason": "",
        }
    else:
        values = {
            "status": declined,
            "item1": None,
            "item2": None,
            "item3": None,
            "item4": None,
            "total": None,
            "declined_reason": declined_reason[:300],
        }
    try:
        with transaction.atomic():
            # The row lock orders two saves of a stored form; for a new form, the unique
            # constraint does (the second insert waits for the first, then fails: StaleForm).
            current = (
                FormResponse.objects.select_for_update()
                .filter(meeting=meeting, rater=rater, instrument=instrument)
                .order_by()
                .first()
            )
            if current is not None and all(
                getattr(current, key) == value for key, value in values.items()
            ):
                return Recorded(current, created=False, changed=False)
            if current is not None and version is not None and version != version_of(current):
                raise StaleForm(current)
            created = current is None
            if created:
                current = FormResponse(
                    meeting=meeting, rater=rater, instrument=instrument, source=source
                )
            for key, value in values.items():
                setattr(current, key, value)
            current.entered_by = by
            current.save()
            refresh_episode(meeting.episode)
            action = "create" if created else "update"
            detail = {"instrument": instrument, "status": values["status"]}
            if request is not None:
                audit(request, action, current, client_id=meeting.episode.client_id, **detail)
            else:
                AuditEvent.objects.create(
                    user=by,
                    organisation_id=by.organisation_id,
                    action=action,
                    object_type=current._meta.label_lower,
                    object_id=str(current.pk),
                    client_id=meeting.episode.client_id,
                    detail=detail,
                )
    except IntegrityError:
        # Another request created the row between our read and our insert (no row to lock yet).
        current = FormResponse.objects.get(meeting=meeting, rater=rater, instrument=instrument)
        raise StaleForm(current) from None
    return Recorded(current, created=created, changed=True)
