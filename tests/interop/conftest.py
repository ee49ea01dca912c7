"""FHIR fixtures: the family of three raters from the read-model tests, and API tokens."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kor.api_tokens import create_token
from tests.conftest import make_user
from tests.sessions.test_outcome_read_model import family, rate  # noqa: F401 (fixtures)


@pytest.fixture
def token_for(olga):
    """`token_for(org)`: a usable read token of the organisation, and its secret."""

    def _make(org, *, days: int = 30, name: str = "Journal"):
        admin = (
            olga
            if olga.organisation_id == org.pk
            else make_user(f"admin-{org.slug}", org, is_org_admin=True)
        )
        return create_token(
            org,
            name=name,
            expires_on=timezone.localdate() + datetime.timedelta(days=days),
            by=admin,
        )

    return _make


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
