"""Logging in: throttling, the second factor, password reset, idle sessions."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kor.models import AuditEvent
from tests.conftest import PASSWORD


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def _stable(html: str) -> str:
    # Nonces and masked CSRF tokens differ on every page; nothing else may.
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', "", html)


def _fail(client, username="alice", ip="10.0.0.7"):
    return client.post("/login/", {"username": username, "password": "nope"}, REMOTE_ADDR=ip)


def test_it_locks_a_username_and_address_after_repeated_failures(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client).status_code == 200
    locked = _fail(client)
    assert locked.status_code == 429
    # Even the right password is refused while locked, and says nothing about the account.
    response = client.post(
        "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", detail__locked_out=True).exists()


def test_the_lock_holds_only_for_that_address(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client)
    # A colleague elsewhere cannot lock alice out by guessing her password.
    response = client.post(
        "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8"
    )
    assert response.status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _fail(client)
    client.post("/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    client.post("/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _fail(client).status_code == 200


def test_a_leader_must_set_up_the_second_factor_before_anything_else(client, carol, client_n1):
    response = client.post("/login/", {"username": "carol", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/account/two-factor/setup/")
    for url in ("/", "/team/", f"/clients/{client_n1.pk}/", "/audit/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/two-factor/setup/"), url


def test_a_leader_enrols_with_a_code_from_the_app(client, carol):
    client.force_login(carol)
    page = client.get("/account/two-factor/setup/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text
    device = TOTPDevice.objects.get(user=carol, confirmed=False)
    assert client.post("/account/two-factor/setup/", {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second
    response = client.post("/account/two-factor/setup/", {"token": _code(device), "next": "/team/"})
    assert response.status_code == 302
    assert response["Location"] == "/team/"
    assert client.get("/team/").status_code == 200


def test_a_leader_with_an_app_must_type_a_code_after_the_password(client, carol):
    device = TOTPDevice.objects.create(user=carol, name="app", confirmed=True)
    response = client.post("/login/", {"username": "carol", "password": PASSWORD})
    response = client.get("/team/")
    assert response["Location"] == "/account/two-factor/?next=%2Fteam%2F"
    # Enrolling a second app is no way round the first.
    assert client.get("/account/two-factor/setup/")["Location"] == "/account/two-factor/"
    wrong = client.post("/account/two-factor/", {"token": "12345x"})
    assert wrong.status_code == 200
    device.refresh_from_db()
    device.throttle_reset()
    assert client.get("/team/").status_code == 302
    ok = client.post("/account/two-factor/", {"token": _code(device), "next": "/team/"})
    assert ok["Location"] == "/team/"
    assert client.get("/team/").status_code == 200
    assert AuditEvent.objects.filter(user=carol, detail__second_factor="verified").exists()


def test_an_org_admin_must_use_the_second_factor(client, olga):
    client.force_login(olga)
    assert client.get("/audit/")["Location"].startswith("/account/two-factor/setup/")


def test_the_second_factor_is_optional_for_a_helper(client, alice):
    client.force_login(alice)
    assert client.get("/caseload/").status_code == 200


def test_a_helper_who_turned_it_on_must_use_it_and_may_turn_it_off(client, alice):
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    client.force_login(alice)
    assert client.get("/caseload/").status_code == 302
    client.post("/account/two-factor/", {"token": _code(device)})
    assert client.get("/caseload/").status_code == 200
    client.post("/account/two-factor/disable/")
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_a_leader_cannot_turn_it_off(login, carol):
    from tests.security.conftest import verify

    c = login(carol)
    verify(c, carol)
    c.post("/account/two-factor/disable/")
    assert TOTPDevice.objects.filter(user=carol).exists()


def test_the_password_reset_does_not_tell_whether_an_account_exists(client, alice):
    alice.email = "alice@example.no"
    alice.save()
    known = client.post("/account/password-reset/", {"email": "alice@example.no"}, follow=True)
    unknown = client.post("/account/password-reset/", {"email": "nobody@example.no"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert _stable(known.text) == _stable(unknown.text)
    assert len(mail.outbox) == 1
    assert "/account/password-reset/" in mail.outbox[0].body


def test_a_password_reset_link_sets_a_validated_password(client, alice):
    alice.email = "alice@example.no"
    alice.save()
    client.post("/account/password-reset/", {"email": "alice@example.no"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert form.status_code == 200
    weak = client.post(
        form.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200  # too short, too common, all digits
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


@pytest.mark.parametrize(
    "name, value",
    [("SESSION_COOKIE_AGE", 30 * 60), ("SESSION_SAVE_EVERY_REQUEST", False)],
)
def test_an_idle_session_ends_after_30_minutes(name, value):
    assert getattr(settings, name) == value


def test_the_idle_expiry_is_moved_on_before_the_session_is_saved():
    # IdleTimeoutMiddleware marks the session for saving on the way out, before SessionMiddleware.
    sessions = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert settings.MIDDLEWARE[sessions + 1] == "kor.security.session.IdleTimeoutMiddleware"


def test_an_idle_session_is_gone_after_30_minutes(client, alice, client_n1):
    import datetime

    from django.contrib.sessions.models import Session

    client.force_login(alice)
    assert client.get("/caseload/").status_code == 200
    Session.objects.update(
        expire_date=datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    )
    response = client.get("/caseload/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_password_validators_are_on():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    } <= names


def test_guessing_second_factor_codes_is_slowed_down(client, carol):
    device = TOTPDevice.objects.create(user=carol, name="app", confirmed=True)
    client.force_login(carol)
    client.post("/account/two-factor/", {"token": "000000"})
    # Right after a wrong code even the right one waits: guessing a million codes takes forever.
    response = client.post("/account/two-factor/", {"token": _code(device)})
    assert response.status_code == 200
    assert client.get("/team/").status_code == 302


@pytest.mark.parametrize("target", ["0", "https://evil.example/", "//evil.example/", "home"])
def test_the_second_step_sends_nowhere_but_this_site(client, carol, target):
    device = TOTPDevice.objects.create(user=carol, name="app", confirmed=True)
    client.force_login(carol)
    response = client.post("/account/two-factor/", {"token": _code(device), "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    # Already verified: the same answer, not an error.
    assert client.get("/account/two-factor/", {"next": target})["Location"] == "/"


@pytest.mark.parametrize("length", [151, 256, 1000])
def test_an_overlong_username_gets_a_message_and_never_reaches_axes(db, client, length):
    # Issue 12: 256 characters or more gave a 500 (axes' username column is varchar(255)).
    from axes.models import AccessAttempt

    client.cookies["django_language"] = "en"
    response = _fail(client, username="x" * length)
    assert response.status_code == 200
    assert "A username is at most 150 characters long." in response.content.decode()
    assert not AccessAttempt.objects.filter(username__startswith="x" * 151).exists()


def test_the_admin_login_cuts_an_overlong_username_for_the_lockout_table(db, client):
    from axes.models import AccessAttempt

    response = client.post(
        "/admin/login/", {"username": "y" * 300, "password": "nope"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "y" * 150
