"""Personas for organisation administration, besides those of tests/conftest.py:

- olga: the administrator of alice's organisation (tests/conftest.py)
- otto: the administrator of another organisation
- root: a superuser of the service, in no organisation
"""

from __future__ import annotations

import pytest

from kor.models import AuditEvent, User
from tests.conftest import make_user


@pytest.fixture
def otto(other_org) -> User:
    return make_user("otto", other_org, is_org_admin=True)


@pytest.fixture
def root(db) -> User:
    return make_user("root", None, is_superuser=True, is_staff=True)


@pytest.fixture
def as_olga(login, olga):
    return login(olga)


def administration_events(kind: str | None = None):
    events = AuditEvent.objects.filter(detail__has_key="administration")
    return events.filter(detail__administration=kind) if kind else events
