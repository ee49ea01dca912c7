"""The administrator's people pages: search, invite, details, and the account actions."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import mail
from django.test import Client as Browser
from django_otp.plugins.otp_totp.models import TOTPDevice

from kor.models import User
from tests.conftest import PASSWORD
from tests.orgadmin.conftest import administration_events


def test_it_lists_and_searches_the_organisations_people(as_olga, alice, carol, oscar):
    carol.title = "teamleder"
    carol.save()
    page = as_olga.get("/organisation/")
    assert "Alice" in page.text and "Carol" in page.text
    assert "Oscar" not in page.text
    found = as_olga.get("/organisation/", {"q": "teamled"})
    assert "Carol" in found.text and "Alice" not in found.text
    # htmx asks for the list alone.
    partial = as_olga.get("/organisation/", {"q": "ali"}, headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<div id="people-list">')
    assert "Alice" in partial.text and "Carol" not in partial.text


def _invite(client, **extra):
    data = {"email": "Nina@Example.org", "first_name": "Nina", "last_name": "Nyansatt"}
    return client.post("/organisation/people/invite/", {**data, **extra})


def test_an_invitation_sends_a_link_that_sets_the_password(as_olga, olga):
    response = _invite(as_olga, title="psykolog")
    nina = User.objects.get(email="nina@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/organisation/people/{nina.pk}/"
    assert nina.organisation_id == olga.organisation_id
    assert not nina.has_usable_password() and not nina.memberships.exists()
    assert administration_events("invited").get().object_id == str(nina.pk)

    (message,) = mail.outbox
    assert message.to == ["nina@example.org"]
    assert "Bydel Nord" in message.subject
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body)[1]

    browser = Browser()
    form = browser.get(link, follow=True)
    assert "new_password1" in form.text
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done.status_code == 302
    nina.refresh_from_db()
    assert nina.check_password("a-new-long-passphrase")
    # The link works once.
    assert "new_password1" not in Browser().get(link, follow=True).text


def test_a_bad_invitation_says_why_beside_the_field_and_stores_nothing(as_olga, alice):
    alice.email = "alice@example.org"
    alice.save()
    response = _invite(as_olga, email="not-an-address", first_name="")
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.text and 'id="id_first_name_error"' in response.text
    assert 'value="not-an-address"' in response.text
    taken = _invite(as_olga, email="ALICE@example.org")
    assert "Noen har allerede en konto med denne e-postadressen." in taken.text
    assert User.objects.count() == 2 and not mail.outbox


def test_the_same_invitation_twice_makes_one_account(as_olga):
    _invite(as_olga)
    _invite(as_olga)
    assert User.objects.filter(email="nina@example.org").count() == 1
    assert len(mail.outbox) == 1


def test_details_are_saved_with_before_and_after(as_olga, alice):
    response = as_olga.post(
        f"/organisation/people/{alice.pk}/",
        {"first_name": "Alice", "last_name": "Andersen", "title": "familieterapeut"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.last_name, alice.title) == ("Andersen", "familieterapeut")
    event = administration_events("details").get()
    assert event.detail["before"] == {"last_name": "", "title": ""}
    assert event.detail["after"] == {"last_name": "Andersen", "title": "familieterapeut"}
    assert event.client_id is None


def test_the_administrator_cannot_set_a_password(as_olga, alice):
    page = as_olga.get(f"/organisation/people/{alice.pk}/")
    assert 'type="password"' not in page.text
    as_olga.post(
        f"/organisation/people/{alice.pk}/",
        {"first_name": "Alice", "password": "x-chosen-by-admin", "password1": "x", "usable": "1"},
    )
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_set_password_link_is_sent_not_a_password(as_olga, alice):
    alice.email = "alice@example.org"
    alice.save()
    as_olga.post(f"/organisation/people/{alice.pk}/password-link/")
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"] and "/account/password-reset/" in message.body
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert administration_events("password_link_sent").exists()


def test_deactivate_and_reactivate_are_audited(as_olga, alice):
    as_olga.post(f"/organisation/people/{alice.pk}/active/", {"value": "0"})
    alice.refresh_from_db()
    assert not alice.is_active
    as_olga.post(f"/organisation/people/{alice.pk}/active/", {"value": "1"})
    alice.refresh_from_db()
    assert alice.is_active
    off = administration_events("deactivated").get()
    assert (off.detail["before"], off.detail["after"]) == ({"active": True}, {"active": False})
    assert administration_events("activated").exists()


def test_a_deactivated_person_cannot_log_in(as_olga, alice):
    as_olga.post(f"/organisation/people/{alice.pk}/active/", {"value": "0"})
    assert not Browser().login(username="alice", password=PASSWORD)


def test_the_last_administrator_cannot_be_removed(as_olga, olga, org):
    response = as_olga.post(f"/organisation/people/{olga.pk}/administrator/", {"value": "0"})
    assert response.status_code == 302
    olga.refresh_from_db()
    assert olga.is_org_admin
    assert (
        as_olga.post(f"/organisation/people/{olga.pk}/active/", {"value": "0"}).status_code == 302
    )
    olga.refresh_from_db()
    assert olga.is_active
    assert not administration_events("org_admin").exists()
    assert "administrator" in as_olga.get(f"/organisation/people/{olga.pk}/", follow=True).text


def test_with_two_administrators_one_may_step_down(as_olga, olga, org):
    from tests.conftest import make_user

    anna = make_user("anna", org, is_org_admin=True)
    as_olga.post(f"/organisation/people/{olga.pk}/administrator/", {"value": "0"})
    olga.refresh_from_db()
    assert not olga.is_org_admin
    # Now anna is the last one, and olga is no administrator any more.
    assert (
        as_olga.post(f"/organisation/people/{anna.pk}/active/", {"value": "0"}).status_code == 404
    )
    anna.refresh_from_db()
    assert anna.is_active and anna.is_org_admin


def test_a_login_lockout_is_lifted(as_olga, alice):
    browser = Browser()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser.post("/login/", {"username": "alice", "password": "nope"}, REMOTE_ADDR="10.0.0.7")
    locked = browser.post(
        "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert locked.status_code == 429
    page = as_olga.get(f"/organisation/people/{alice.pk}/").text
    assert "sperret" in page  # "locked out"

    as_olga.post(f"/organisation/people/{alice.pk}/lockout/")

    again = browser.post(
        "/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert again.status_code == 302
    assert administration_events("lockout_lifted").get().detail["attempts"] >= 1


def test_the_second_factor_is_reset(as_olga, carol):
    TOTPDevice.objects.create(user=carol, name="phone", confirmed=True)
    as_olga.post(f"/organisation/people/{carol.pk}/second-factor/")
    assert not TOTPDevice.objects.filter(user=carol).exists()
    event = administration_events("second_factor_reset").get()
    assert event.object_id == str(carol.pk) and event.detail["devices"] == 1
    # At the next login carol must set up a new app before anything else.
    browser = Browser()
    browser.force_login(carol)
    assert browser.get("/team/")["Location"].startswith("/account/two-factor/setup/")


def test_get_does_not_act(as_olga, alice):
    assert as_olga.get(f"/organisation/people/{alice.pk}/active/").status_code == 405
    alice.refresh_from_db()
    assert alice.is_active
