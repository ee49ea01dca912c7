"""Forms by link when the client is not in the room (issue 14): the link's life, in one place.

A helper sends a rater a one-time link for the meeting's outcome form (before it), the alliance
form (after it) or both. The token is random and only its SHA-256 is stored; each form on the
link is taken once, through the same save as the meeting page (`record_form`, source = remote),
so status and flags are recomputed in the same transaction. A form already saved in the room is
not overwritten: the answer is kept aside on the link and the helper chooses. Every step
(sent, opened, completed, expired, revoked, reminded) is in the client's audit trail.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clients.models import Rater
from kor.audit import record
from kor.models import User
from sessions.models import FormResponse, Meeting, RemoteLink
from sessions.services import StaleForm, forms_for, record_form, version_of
from sessions.sms import send_sms

PARTS = ("before", "after", "both")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)  # 192 random bits
    return token, hash_token(token)


# The languages the client's screens speak (a catalogue in locale/ and the form wording);
# a client's language outside these gets English, nynorsk's missing texts fall back to bokmål.
CLIENT_LANGUAGES = ("nb", "nn", "en")


def link_language(meeting: Meeting) -> str:
    code = meeting.episode.client.language_id or "nb"
    return code if code in CLIENT_LANGUAGES else "en"


def instruments_for(meeting: Meeting, rater: Rater, part: str) -> list[str]:
    outcome, alliance = forms_for(meeting.episode, rater, meeting)
    return {"before": [outcome], "after": [alliance], "both": [outcome, alliance]}[part]


def audit_link(link: RemoteLink, action: str, event: str, *, user=None, request=None, **detail):
    # The client's organisation, also for the rows of nobody (the client on the link, a command).
    record(
        action,
        link,
        user=user,
        request=request,
        client_id=link.meeting.episode.client_id,
        organisation_id=link.meeting.episode.client.organisation_id,
        link=event,
        **detail,
    )


def create_link(
    *,
    meeting: Meeting,
    rater: Rater,
    part: str,
    channel: str,
    contact: str,
    by: User,
    show_progress: bool = False,
    request: HttpRequest | None = None,
) -> tuple[RemoteLink, str]:
    """A new link and its token (shown once: it is not stored), sent by its channel."""
    token, digest = _new_token()
    organisation = meeting.episode.client.organisation
    link = RemoteLink.objects.create(
        meeting=meeting,
        rater=rater,
        instruments=instruments_for(meeting, rater, part),
        token_hash=digest,
        channel=channel,
        contact=contact if channel != RemoteLink.Channel.SCREEN else "",
        language=link_language(meeting),
        show_progress=show_progress and organisation.client_own_view,
        created_by=by,
        expires_at=timezone.now() + datetime.timedelta(hours=settings.KOR_LINK_HOURS),
    )
    deliver(link, absolute_url(token, request))
    audit_link(
        link, "create", "sent", user=by, request=request, channel=channel, forms=link.instruments
    )
    return link, token


def absolute_url(token: str, request: HttpRequest | None = None) -> str:
    path = reverse("remote_form", args=[token])
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.KOR_SITE_URL.rstrip("/") + path


def message(link: RemoteLink, url: str, *, reminder: bool = False) -> tuple[str, str]:
    """(subject, body): the organisation's name and the link, nothing else (no diagnosis, no
    service, no helper, no name), in the client's language."""
    name = link.meeting.episode.client.organisation.name
    with translation.override(link.language):
        subject = _("%(organisation)s: a short form") % {"organisation": name}
        if reminder:
            body = _(
                "A reminder from %(organisation)s: you have a short form to fill in. "
                "Open it here: %(url)s"
            )
        else:
            body = _("%(organisation)s has sent you a short form to fill in. Open it here: %(url)s")
    return subject, body % {"organisation": name, "url": url}


def deliver(link: RemoteLink, url: str, *, reminder: bool = False) -> None:
    if link.channel == RemoteLink.Channel.SCREEN or not link.contact:
        return
    subject, body = message(link, url, reminder=reminder)
    if link.channel == RemoteLink.Channel.EMAIL:
        send_mail(subject, body, None, [link.contact])
    else:
        send_sms(link.contact, body)


def find_link(token: str) -> RemoteLink | None:
    """The link a token opens (the first message's or the reminder's), or None."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    links = RemoteLink.objects.select_related(
        "meeting__episode__client__organisation", "rater", "meeting__episode"
    )
    return links.filter(token_hash=digest).first() or links.filter(reminder_hash=digest).first()


def expire_if_due(link: RemoteLink, request: HttpRequest | None = None) -> bool:
    """End a link whose time is up (once: audited, the address cleared). True if it has ended."""
    if not link.ended and timezone.now() >= link.expires_at:
        link.expired_at = timezone.now()
        link.contact = ""
        link.save(update_fields=["expired_at", "contact", "updated_at"])
        audit_link(link, "update", "expired", request=request)
    return link.ended


def opened(link: RemoteLink, request: HttpRequest) -> None:
    if link.opened_at is None:
        link.opened_at = timezone.now()
        link.save(update_fields=["opened_at", "updated_at"])
    audit_link(link, "view", "opened", request=request)


def revoke(link: RemoteLink, *, by: User | None, request: HttpRequest, **detail) -> None:
    if link.ended:
        return
    link.revoked_at = timezone.now()
    link.contact = ""
    link.save(update_fields=["revoked_at", "contact", "updated_at"])
    audit_link(link, "update", "revoked", user=by, request=request, **detail)


def count_factor_try(link: RemoteLink, limit: int, request: HttpRequest) -> bool:
    """One wrong birth year: False when the tries are used up (the link is then revoked).
    Counted by one conditional UPDATE, so parallel guesses cannot get more tries."""
    from django.db.models import F

    allowed = RemoteLink.objects.filter(pk=link.pk, factor_tries__lt=limit - 1).update(
        factor_tries=F("factor_tries") + 1
    )
    audit_link(link, "login_failed", "wrong_birth_year", request=request)
    if not allowed:
        revoke(link, by=None, request=request, why="too_many_tries")
        return False
    return True


@transaction.atomic
def save_from_link(
    link: RemoteLink,
    instrument: str,
    *,
    items: list[int] | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> tuple[str, RemoteLink]:
    """Take one form of the link: "saved", "declined", "kept_aside" (the room's form was there
    first) or "already" (this form was taken before: nothing changes), and the link as it is
    now (read under its row lock)."""
    link = (
        RemoteLink.objects.select_for_update(of=("self",))
        .select_related("meeting__episode__client__organisation", "rater")
        .get(pk=link.pk)
    )
    if instrument not in link.open_forms() or link.ended:
        return "already", link
    meeting, rater = link.meeting, link.rater
    declined = None if items is not None else FormResponse.Status.DECLINED
    outcome = "saved" if items is not None else "declined"
    exists = FormResponse.objects.filter(meeting=meeting, rater=rater, instrument=instrument)
    try:
        if exists.exists():
            raise StaleForm(exists.get())
        record_form(
            meeting=meeting,
            rater=rater,
            instrument=instrument,
            items=items,
            declined=declined,
            declined_reason=reason,
            declined_reason_code="" if items is not None else "did_not_want",
            by=None,
            version="new",
            source=FormResponse.Source.REMOTE,
            request=request,
        )
    except StaleForm:
        outcome = "kept_aside"
        total = sum(items) / 10 if items is not None else None
        link.kept_aside[instrument] = {"items": items, "reason": reason, "total": total}
        audit_link(link, "create", "kept_aside", request=request, instrument=instrument)
    link.done[instrument] = outcome
    fields = ["done", "kept_aside", "updated_at"]
    if not link.open_forms():
        link.completed_at, link.contact = timezone.now(), ""
        fields += ["completed_at", "contact"]
        audit_link(link, "update", "completed", request=request)
    link.save(update_fields=fields)
    return outcome, link


@transaction.atomic
def choose_kept_aside(
    link: RemoteLink, instrument: str, *, use: bool, by: User, request: HttpRequest
) -> None:
    """The helper's choice between the room's form and the answer from the link."""
    link = RemoteLink.objects.select_for_update().get(pk=link.pk)
    answer = link.kept_aside.pop(instrument, None)
    if answer is None:
        return
    if use:
        current = FormResponse.objects.filter(
            meeting=link.meeting, rater=link.rater, instrument=instrument
        ).first()
        items = answer["items"]
        record_form(
            meeting=link.meeting,
            rater=link.rater,
            instrument=instrument,
            items=items,
            declined=None if items is not None else FormResponse.Status.DECLINED,
            declined_reason=answer["reason"],
            declined_reason_code="" if items is not None else "did_not_want",
            by=by,
            version=version_of(current),
            source=FormResponse.Source.REMOTE,
            request=request,
        )
    link.save(update_fields=["kept_aside", "updated_at"])
    audit_link(link, "update", "chosen", user=by, request=request, instrument=instrument, used=use)


def send_reminders(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Expire the links whose time is up, and remind once those not done after
    KOR_LINK_REMINDER_HOURS. Returns (reminded, expired)."""
    now = now or timezone.now()
    expired = 0
    live = RemoteLink.objects.filter(
        revoked_at__isnull=True, expired_at__isnull=True, completed_at__isnull=True
    ).select_related("meeting__episode__client__organisation")
    for link in live.filter(expires_at__lte=now):
        expired += expire_if_due(link)
    due = now - datetime.timedelta(hours=settings.KOR_LINK_REMINDER_HOURS)
    reminded = 0
    waiting = live.filter(expires_at__gt=now, created_at__lte=due, reminded_at__isnull=True)
    for link in waiting.exclude(channel=RemoteLink.Channel.SCREEN).exclude(contact=""):
        token, digest = _new_token()
        with transaction.atomic():
            # Once only, even with two commands at once: the row is claimed by its update.
            if not RemoteLink.objects.filter(pk=link.pk, reminded_at__isnull=True).update(
                reminded_at=now, reminder_hash=digest
            ):
                continue
            deliver(link, absolute_url(token), reminder=True)
            audit_link(link, "update", "reminded", channel=link.channel)
            reminded += 1
    return reminded, expired
