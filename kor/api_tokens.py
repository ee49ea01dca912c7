"""API tokens: made, checked and revoked here, the one place that knows how a token is stored.

A token is 32 random bytes (URL-safe text, prefixed "kor_" so a leaked one is recognisable in a
log or a repository). Only its SHA-256 is stored: a stolen database gives no working token. A
sha256 is enough (no slow password hash): the secret is random, not chosen by a person.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from kor.models import ApiToken, Organisation, User

PREFIX = "kor_"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    organisation: Organisation,
    *,
    name: str,
    expires_on: datetime.date,
    by: User,
    nonce: uuid.UUID | None = None,
) -> tuple[ApiToken, str | None]:
    """A new read token and its secret (shown once). The same form sent twice (same `nonce`)
    makes one token: the second time it returns that token and no secret."""
    if nonce is not None:
        existing = ApiToken.objects.filter(organisation=organisation, form_nonce=nonce).first()
        if existing is not None:
            return existing, None
    secret = PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                organisation=organisation,
                name=name,
                token_hash=hash_token(secret),
                prefix=secret[: len(PREFIX) + 6],
                expires_on=expires_on,
                created_by=by,
                form_nonce=nonce,
            )
    except IntegrityError:  # the same form at the same moment: the other request made it
        return ApiToken.objects.get(organisation=organisation, form_nonce=nonce), None
    return token, secret


def revoke_token(token: ApiToken, *, by: User) -> bool:
    """Revoke; False when it was revoked already (nothing changes then)."""
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    token.refresh_from_db()
    return bool(changed)


def token_for(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, revoked or expired alike)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("organisation")
        .filter(token_hash=hash_token(secret))
        .first()
    )
    if token is not None and (
        token.last_used_at is None or timezone.now() - token.last_used_at > _USE_STEP
    ):
        # The last use, to the minute: one write a minute, not one a request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


_USE_STEP = datetime.timedelta(minutes=1)
