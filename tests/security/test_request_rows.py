"""The session and the user every logged-in request reads are read by fixed statements
(kor.security.rows), and they read what Django's own session store and ModelBackend read."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from kor.models import User
from kor.security.backends import PasswordBackend
from kor.security.rows import SessionStore, read_user, session_data

pytestmark = pytest.mark.django_db


def test_the_app_reads_sessions_and_users_through_the_fixed_statements():
    assert settings.SESSION_ENGINE == "kor.security.rows"
    assert "kor.security.backends.PasswordBackend" in settings.AUTHENTICATION_BACKENDS
    assert "django.contrib.auth.backends.ModelBackend" not in settings.AUTHENTICATION_BACKENDS


def test_the_user_read_is_the_row_the_orm_reads_field_by_field(alice):
    # A login time with microseconds, and every kind of column a user has (text, boolean,
    # date-time, foreign key): SQLite hands dates back as text, the ORM's converters turn them.
    alice.last_login = datetime.datetime(2026, 11, 30, 8, 15, 42, 123456, tzinfo=datetime.UTC)
    alice.first_name, alice.is_staff = "Alice Å.", True
    alice.save()

    read = read_user(alice.pk)
    orm = User.objects.get(pk=alice.pk)

    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.name
    assert read.last_login == alice.last_login
    assert read.is_staff is True
    assert read._state.adding is False and read._state.db == "default"
    assert read.organisation == alice.organisation  # a model like any other: its relations load


def test_a_missing_user_reads_as_none(alice):
    assert read_user(alice.pk + 1000) is None


def test_the_backend_gives_an_active_user_and_refuses_a_deactivated_one(alice):
    backend = PasswordBackend()
    assert backend.get_user(alice.pk) == alice

    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert backend.get_user(alice.pk) is None


def test_a_stored_session_loads_and_an_expired_one_is_gone(alice):
    store = SessionStore()
    store[SESSION_KEY] = str(alice.pk)
    store.save()

    assert SessionStore(store.session_key).load()[SESSION_KEY] == str(alice.pk)

    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # as Django's store: the next save starts a new session


def test_session_data_is_the_stored_text_until_it_expires():
    store = SessionStore()
    store["x"] = 1
    store.save()
    row = Session.objects.get(pk=store.session_key)

    assert session_data(Session, store.session_key, timezone.now()) == row.session_data
    assert session_data(Session, store.session_key, row.expire_date) is None
    assert session_data(Session, "no-such-key", timezone.now()) is None


def test_a_logged_in_browser_is_the_user_and_a_deactivated_one_is_logged_out(client, alice):
    client.force_login(alice)
    assert client.get("/").wsgi_request.user == alice

    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert client.get("/").wsgi_request.user.is_anonymous
