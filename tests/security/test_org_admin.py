"""The organisation administrator: people and teams of their own organisation, no clinical data."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from kor.models import AuditEvent, User


@pytest.fixture
def admin_olga(olga, login):
    olga.is_staff = True
    olga.save()
    return login(olga)


def test_it_lists_only_the_people_of_the_own_organisation(admin_olga, alice, oscar):
    page = admin_olga.get("/admin/kor/user/")
    assert page.status_code == 200
    assert "alice" in page.text
    assert "oscar" not in page.text
    assert admin_olga.get(f"/admin/kor/user/{oscar.pk}/change/").status_code == 302  # not found


def test_it_keeps_superuser_status_out_of_reach(admin_olga, alice):
    page = admin_olga.get(f"/admin/kor/user/{alice.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.text
    assert 'name="user_permissions"' not in page.text


def test_it_shows_no_clinical_data_in_the_admin(admin_olga, client_n1):
    assert admin_olga.get("/admin/clients/client/").status_code == 403
    assert admin_olga.get(f"/admin/clients/client/{client_n1.pk}/change/").status_code == 403


def test_it_shows_no_clients_in_the_app(admin_olga, client_n1):
    assert admin_olga.get(f"/clients/{client_n1.pk}/").status_code == 404
    assert admin_olga.get(f"/clients/{client_n1.pk}/export.json").status_code == 404


def test_it_resets_a_lost_second_factor(admin_olga, carol):
    TOTPDevice.objects.create(user=carol, name="phone", confirmed=True)
    admin_olga.post(
        "/admin/kor/user/", {"action": "reset_second_factor", "_selected_action": [carol.pk]}
    )
    assert not TOTPDevice.objects.filter(user=carol, name="phone").exists()
    event = AuditEvent.objects.filter(object_id=str(carol.pk), action="update").get()
    assert event.detail == {"second_factor": "reset"}


def test_a_new_user_lands_in_the_own_organisation(admin_olga, olga):
    admin_olga.post(
        "/admin/kor/user/add/",
        {
            "username": "nina",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert User.objects.get(username="nina").organisation_id == olga.organisation_id
