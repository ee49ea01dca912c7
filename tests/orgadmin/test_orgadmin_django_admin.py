"""/admin/ is for superusers only. An organisation administrator with staff status used to give
themselves a leader role there and then read clinical data (issue 11): now the admin refuses them
entirely. What superusers change there about people and roles goes to the audit log."""

from __future__ import annotations

import pytest

from kor.models import Membership, User
from tests.orgadmin.conftest import administration_events


@pytest.fixture
def staff_olga(olga, login):
    olga.is_staff = True
    olga.save()
    return login(olga)


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/kor/user/", "/admin/kor/team/", "/admin/clients/client/"]
)
def test_staff_who_are_not_superusers_get_nothing(staff_olga, url):
    response = staff_olga.get(url)
    # 403 for the clinical apps (refused before the admin's own check), the login otherwise.
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/admin/login/")


def test_a_self_grant_through_the_admin_is_refused(staff_olga, olga, north, client_n1):
    response = staff_olga.post(
        f"/admin/kor/user/{olga.pk}/change/",
        {
            "username": "olga",
            "organisation": olga.organisation_id,
            "is_org_admin": "on",
            "is_staff": "on",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-team": north.pk,
            "memberships-0-role": "leader",
            "memberships-0-user": olga.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not Membership.objects.filter(user=olga).exists()
    refused = administration_events("admin_refused").get()
    assert refused.user == olga and refused.detail["admin"] == "kor_user_change"
    assert refused.organisation_id == olga.organisation_id
    assert staff_olga.get(f"/clients/{client_n1.pk}/").status_code == 404
    team_add = staff_olga.post("/admin/kor/team/add/", {"name": "Mine", "organisation": 1})
    assert team_add.status_code == 302 and not olga.memberships.exists()
    assert administration_events("admin_refused").count() == 2


def test_a_superuser_uses_the_admin_and_role_changes_are_audited(
    root, login, alice, south, carol, erin
):
    client = login(root)
    assert client.get("/admin/kor/user/").status_code == 200
    response = client.post(
        f"/admin/kor/user/{alice.pk}/change/",
        {
            "username": "alice",
            "first_name": "Alice",
            "organisation": alice.organisation_id,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": alice.memberships.get().pk,
            "memberships-0-user": alice.pk,
            "memberships-0-team": alice.memberships.get().team_id,
            "memberships-0-role": "helper",
            "memberships-1-user": alice.pk,
            "memberships-1-team": south.pk,
            "memberships-1-role": "leader",
        },
    )
    assert response.status_code == 302, response.text[:3000]
    assert alice.memberships.get(team=south).role == "leader"
    event = administration_events("role").get()
    assert event.user == root and event.object_id == str(alice.pk)
    assert event.organisation_id == alice.organisation_id
    assert (event.detail["before"], event.detail["after"]) == ({"role": ""}, {"role": "leader"})
    # The leaders of alice's teams see it.
    text = login(erin).get("/audit/?kind=administration").text
    assert f"kor.user {alice.pk}" in text


def test_the_admins_second_factor_reset_is_audited(root, login, carol):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=carol, name="phone", confirmed=True)
    login(root).post(
        "/admin/kor/user/", {"action": "reset_second_factor", "_selected_action": [carol.pk]}
    )
    assert not TOTPDevice.objects.filter(user=carol, name="phone").exists()
    event = administration_events("second_factor_reset").get()
    assert event.organisation_id == carol.organisation_id and event.user == root


def test_users_still_exist_for_superusers_only(root):
    assert User.objects.filter(is_superuser=True).count() == 1
