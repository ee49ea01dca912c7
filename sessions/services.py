"""Writes that span several models: start a meeting, record a form (with the episode's new status
and the audit row in the same transaction)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from clients.models import AgeGroup, Episode, Goal, Rater
from kor.audit import record
from kor.models import User
from kor.outcomes import alliance_instrument, outcome_instrument
from sessions.models import FormResponse, Meeting
from sessions.outcome import EpisodeOutcome, refresh_episode


def forms_for(episode: Episode, rater: Rater, meeting: Meeting) -> tuple[str, str]:
    """The one rule for which forms a rater fills in a meeting: (outcome form, alliance form).

    The outcome form follows the age of the person rated: the client's, whoever rates (a parent
    of a young child also fills YCORS). The alliance form follows the rater's own age: the
    client's group for the client, adult for a parent or partner; GSRS in a group meeting
    (13 and older). The meeting page, the save, the demo seeder and the reports all ask here.
    """
    age_group = episode.age_group if rater.is_client else AgeGroup.ADULT
    alliance = alliance_instrument(age_group, group_meeting=meeting.format == Meeting.Format.GROUP)
    return outcome_form_for(episode), alliance


def outcome_form_for(episode: Episode) -> str:
    """The outcome form of every rater of the episode (the first half of `forms_for`), for a
    form filled before its meeting exists, such as the last ORS when an episode ends."""
    return outcome_instrument(episode.age_group)


@transaction.atomic
def start_meeting(*, episode: Episode, date: datetime.date, format: str, helper: User) -> Meeting:
    """A new meeting of the episode, numbered in date order: a meeting entered from paper with an
    older date goes before the later ones, which move up by one (`meeting.renumbered` says which:
    {meeting id: (old number, new number)}). Numbers are assigned under a lock on the episode, so
    two helpers starting a meeting at once get 3 and 4, never two 3s. The same confirmation
    posted twice gives the first meeting back (`meeting.repeated`)."""
    lock_episode(episode)
    # A double click (or two tabs posting the same confirmation): the meeting this helper started
    # for the same date and format within the last minute is this request's meeting, not a new one.
    repeated = (
        Meeting.objects.filter(
            episode=episode,
            date=date,
            format=format,
            helper=helper,
            created_at__gte=timezone.now() - REPEAT_WINDOW,
            # A double click leaves an empty meeting; a second real meeting on the same day
            # (paper forms entered one after the other) follows a meeting that has forms.
            responses__isnull=True,
        )
        .order_by("-pk")
        .first()
    )
    if repeated is not None:
        repeated.renumbered, repeated.repeated = {}, True
        return repeated
    last = Meeting.objects.filter(episode=episode).aggregate(n=Max("number"))["n"] or 0
    meeting = Meeting.objects.create(
        episode=episode, number=last + 1, date=date, helper=helper, format=format
    )
    meeting.renumbered, meeting.repeated = renumber_meetings(episode), False
    if meeting.pk in meeting.renumbered:
        meeting.number = meeting.renumbered[meeting.pk][1]
    refresh_episode(episode)
    return meeting


# How long a repeated "start meeting" counts as the same request (a double click, a resubmit).
REPEAT_WINDOW = datetime.timedelta(minutes=1)


@transaction.atomic
def add_goal(*, episode: Episode, text: str, by: User) -> tuple[Goal, bool]:
    """The client's goal, and whether it is new: the same words twice in an episode (a double
    submit, two tabs) are one goal. Checked under the episode's lock, so two posts at once
    cannot both miss the other's row."""
    lock_episode(episode)
    existing = Goal.objects.filter(episode=episode, text=text).order_by("pk").first()
    if existing is not None:
        return existing, False
    goal = Goal.objects.create(
        episode=episode, text=text, set_on=timezone.localdate(), created_by=by
    )
    return goal, True


@transaction.atomic
def add_rater(*, episode: Episode, relation: str, label: str) -> tuple[Rater, bool]:
    """A rater of the episode, and whether it is new: the same relation and label (any case)
    twice are one rater, so a double submit adds one (checked under the episode's lock)."""
    lock_episode(episode)
    existing = (
        Rater.objects.filter(episode=episode, relation=relation, label__iexact=label)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing, False
    return Rater.objects.create(episode=episode, relation=relation, label=label), True


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
    outcome: EpisodeOutcome | None = None  # the episode's outcome after the save, if it changed


def version_of(response: FormResponse | None) -> str:
    """What the form carries to detect a save by someone else: the row's last change."""
    return response.updated_at.isoformat() if response is not None else "new"


def _values(
    items: list[int] | None, declined: str | None, declined_reason: str, reason_code: str = ""
) -> dict:
    if (items is None) == (declined is None):
        raise ValueError("give items or declined, not both")
    if declined is None:
        return {
            "status": FormResponse.Status.COMPLETED,
            "item1": items[0],
            "item2": items[1] if len(items) > 1 else None,
            "item3": items[2] if len(items) > 2 else None,
            "item4": items[3] if len(items) > 3 else None,
            "total": sum(items),
            "declined_reason": "",
            "declined_reason_code": "",
        }
    return {
        "status": declined,
        "item1": None,
        "item2": None,
        "item3": None,
        "item4": None,
        "total": None,
        "declined_reason": declined_reason[:300],
        "declined_reason_code": reason_code,
    }


def record_form(
    *,
    meeting: Meeting,
    rater: Rater,
    instrument: str,
    items: list[int] | None = None,
    declined: str | None = None,
    declined_reason: str = "",
    declined_reason_code: str = "",
    by: User | None,
    version: str | None = None,
    source: str = FormResponse.Source.MEETING,
    request: HttpRequest | None = None,
) -> Recorded:
    """Save one form (items in tenths, or `declined` = "declined" | "not_offered" with a reason
    chosen from sessions.decline's list and/or the helper's own words),
    recompute the episode's status and flags, and write the audit row, all in one transaction.

    Idempotent: (meeting, rater, instrument) is unique, so a repeated submit updates the one row.
    With `version` (from `version_of` when the form was loaded), a save on top of someone else's
    newer save raises StaleForm instead of overwriting it; a repeat of identical values is a no-op.
    """
    values = _values(items, declined, declined_reason, declined_reason_code)
    # Joins the request's transaction without a savepoint (two queries a save); nothing raises
    # inside it but a real error, which fails the whole request anyway.
    with transaction.atomic(savepoint=False):
        # The row lock orders two saves of a stored form; for a new form, the unique
        # constraint does (the second insert waits for the first, then fails: StaleForm).
        current = (
            FormResponse.objects.select_for_update()
            .filter(meeting=meeting, rater=rater, instrument=instrument)
            .order_by()
            .first()
        )
        if current is not None and _holds(current, values):
            return Recorded(current, created=False, changed=False)
        if current is not None and version is not None and version != version_of(current):
            stale = current
        else:
            created = current is None
            if created:
                current = FormResponse(
                    meeting=meeting, rater=rater, instrument=instrument, source=source
                )
            for key, value in values.items():
                setattr(current, key, value)
            if source != FormResponse.Source.MEETING:
                # An answer from a link (or an import) chosen over the room's form says so.
                current.source = source
            current.entered_by = by
            stale = _write(current, created)
            if stale is None:
                return _recorded(current, meeting, created, by, request)
            if _holds(stale, values):
                # A double click on a new form: the other request stored these very values.
                return Recorded(stale, created=False, changed=False)
    raise StaleForm(stale)


def _holds(response: FormResponse, values: dict) -> bool:
    """The stored form already has these values (a repeat of the same save)."""
    return all(getattr(response, key) == value for key, value in values.items())


def _write(response: FormResponse, created: bool) -> FormResponse | None:
    """Store the row; the other request's row if it created this form first (None otherwise)."""
    if not created:
        response.save()
        return None
    try:
        # Only an insert can collide, so only it needs a savepoint to roll back to.
        with transaction.atomic():
            response.save()
    except IntegrityError:
        # Another request created the row between our read and our insert (no row to lock yet).
        return FormResponse.objects.get(
            meeting_id=response.meeting_id,
            rater_id=response.rater_id,
            instrument=response.instrument,
        )
    return None


def _recorded(
    current: FormResponse,
    meeting: Meeting,
    created: bool,
    by: User | None,
    request: HttpRequest | None,
) -> Recorded:
    """The episode's status and the audit row, in the save's transaction."""
    outcome = refresh_episode(meeting.episode)
    action = "create" if created else "update"
    detail = {"instrument": current.instrument, "status": current.status}
    if current.source != FormResponse.Source.MEETING:
        detail["source"] = current.source
    # Without a request (an import, a job) the row has no address or path. Without a user (the
    # client on a link) the row belongs to the client's organisation.
    record(
        action,
        current,
        user=by,
        request=request,
        client_id=meeting.episode.client_id,
        organisation_id=None if by else meeting.episode.client.organisation_id,
        **detail,
    )
    return Recorded(current, created=created, changed=True, outcome=outcome)
