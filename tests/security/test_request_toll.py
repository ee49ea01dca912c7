"""The fixed cost of a logged-in request: no session write when nothing changed, no second-step
queries once a login is known not to need the second step, and the idle timeout still holds."""

from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kor.bench import FLOOR_PATH
from kor.models import Membership
from kor.security.session import TOUCH_EVERY, TOUCHED_KEY

pytestmark = pytest.mark.urls("kor.bench")


def _statements(client, path: str = FLOOR_PATH) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    # Inside a test's transaction ATOMIC_REQUESTS shows as savepoints; live it is BEGIN/COMMIT.
    return [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]


def _expiry() -> datetime.datetime:
    return Session.objects.get().expire_date


def test_a_helper_request_costs_the_session_the_user_and_the_view(client, alice, client_n1):
    client.force_login(alice)
    client.get(FLOOR_PATH)  # the first request of a login asks about the second step

    statements = _statements(client)

    assert len(statements) == 3, statements
    assert "django_session" in statements[0]  # read, not written
    assert "kor_user" in statements[1]
    assert "clients_client" in statements[2]  # the view's own query


def test_a_second_request_within_the_minute_does_not_write_the_session(client, alice):
    client.force_login(alice)
    client.get(FLOOR_PATH)
    expiry = _expiry()

    statements = _statements(client)

    assert not [s for s in statements if s.startswith(("UPDATE", "INSERT"))], statements
    assert _expiry() == expiry


def test_a_request_a_minute_later_moves_the_expiry_on(client, alice):
    client.force_login(alice)
    client.get(FLOOR_PATH)
    session = client.session
    session[TOUCHED_KEY] = int(time.time()) - TOUCH_EVERY
    session.save()
    Session.objects.update(expire_date=_expiry() - datetime.timedelta(minutes=10))
    before = _expiry()

    client.get(FLOOR_PATH)

    now = datetime.datetime.now(datetime.UTC)
    assert _expiry() > before
    assert abs((_expiry() - now).total_seconds() - 30 * 60) < 5


def test_a_session_idle_for_30_minutes_logs_out_even_after_requests_that_wrote_nothing(
    client, alice
):
    client.force_login(alice)
    client.get(FLOOR_PATH)
    client.get(FLOOR_PATH)  # wrote nothing: the expiry stays 30 minutes after the first
    Session.objects.update(
        expire_date=datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    )

    response = client.get(FLOOR_PATH)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_leader_is_asked_for_the_second_step_on_every_request_until_verified(client, carol):
    client.force_login(carol)
    for _ in range(2):
        response = client.get(FLOOR_PATH)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/two-factor/setup/")


def test_a_helper_made_leader_is_asked_for_the_second_step_from_the_next_login(
    client, alice, north
):
    client.force_login(alice)
    assert client.get(FLOOR_PATH).status_code == 200
    Membership.objects.filter(user=alice, team=north).update(role=Membership.Role.LEADER)

    # The answer is kept for the login (documented in kor.security.session) ...
    assert client.get(FLOOR_PATH).status_code == 200
    # ... and asked again at the next one.
    client.force_login(alice)
    response = client.get(FLOOR_PATH)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/setup/")
