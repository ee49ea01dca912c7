"""Roles: helper or leader in a team, organisation administrator. An administrator never gives
themselves (or another administrator) a clinical role, by any path; every change is audited and
shown to the leaders of the person's teams."""

from __future__ import annotations

import pytest

from kor.models import AuditEvent
from tests.orgadmin.conftest import administration_events


def _role(client, person, team, role):
    return client.post(f"/organisation/people/{person.pk}/role/", {"team": team.pk, "role": role})


def test_it_gives_changes_and_removes_a_role(as_olga, alice, south):
    assert _role(as_olga, alice, south, "leader").status_code == 302
    assert alice.memberships.get(team=south).role == "leader"
    _role(as_olga, alice, south, "helper")
    assert alice.memberships.get(team=south).role == "helper"
    _role(as_olga, alice, south, "")
    assert not alice.memberships.filter(team=south).exists()
    changes = [
        (e.detail["before"]["role"], e.detail["after"]["role"])
        for e in administration_events("role").order_by("id")
    ]
    assert changes == [("", "leader"), ("leader", "helper"), ("helper", "")]
    assert all(e.client_id is None for e in administration_events())


def test_the_same_role_twice_is_one_membership_and_one_row(as_olga, alice, south):
    _role(as_olga, alice, south, "leader")
    _role(as_olga, alice, south, "leader")
    assert alice.memberships.filter(team=south).count() == 1
    assert administration_events("role").count() == 1


def test_a_bad_role_is_refused_beside_the_field(as_olga, alice, south):
    response = _role(as_olga, alice, south, "owner")
    assert response.status_code == 400
    assert 'id="id_role_error"' in response.text
    assert not alice.memberships.filter(team=south).exists()


@pytest.mark.parametrize("role", ["helper", "leader"])
def test_an_administrator_cannot_give_themselves_a_role(as_olga, olga, north, role):
    response = _role(as_olga, olga, north, role)
    assert response.status_code == 403
    assert not olga.memberships.exists()
    refused = administration_events("self_grant_refused").get()
    assert refused.user == olga and refused.object_id == str(olga.pk)
    assert (refused.detail["team"], refused.detail["role"]) == (north.pk, role)
    # And with that no client is in reach.


def test_the_own_page_offers_no_role_form(as_olga, olga):
    page = as_olga.get(f"/organisation/people/{olga.pk}/")
    assert 'name="role"' not in page.text


def test_a_self_grant_leaves_no_client_in_reach(as_olga, olga, north, client_n1):
    _role(as_olga, olga, north, "leader")
    assert as_olga.get(f"/clients/{client_n1.pk}/").status_code == 404
    assert as_olga.get(f"/clients/{client_n1.pk}/export.json").status_code == 404


def test_no_administrator_gets_a_clinical_role(as_olga, org, north):
    # Two administrators cannot hand each other the leader role either.
    from tests.conftest import make_user

    anna = make_user("anna", org, is_org_admin=True)
    assert _role(as_olga, anna, north, "leader").status_code == 403
    assert not anna.memberships.exists()
    refused = administration_events("admin_grant_refused").get()
    assert refused.object_id == str(anna.pk) and refused.detail["role"] == "leader"


def test_a_person_with_a_team_role_is_not_made_administrator(as_olga, alice):
    as_olga.post(f"/organisation/people/{alice.pk}/administrator/", {"value": "1"})
    alice.refresh_from_db()
    assert not alice.is_org_admin


def test_making_and_unmaking_an_administrator_is_audited(as_olga, org):
    from tests.conftest import make_user

    nils = make_user("nils", org)
    as_olga.post(f"/organisation/people/{nils.pk}/administrator/", {"value": "1"})
    nils.refresh_from_db()
    assert nils.is_org_admin
    event = administration_events("org_admin").get()
    assert (event.detail["before"], event.detail["after"]) == ({"admin": False}, {"admin": True})


def test_a_closed_team_takes_no_new_people(as_olga, alice, south):
    as_olga.post(f"/organisation/teams/{south.pk}/closed/", {"value": "1"})
    assert _role(as_olga, alice, south, "helper").status_code == 403
    assert not alice.memberships.filter(team=south).exists()


# --- Who sees the administration trail -------------------------------------------------------


def _audit_text(client, url="/audit/?kind=administration"):
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def test_leaders_of_the_persons_teams_see_the_role_change(
    as_olga, login, alice, carol, erin, south
):
    _role(as_olga, alice, south, "leader")
    event = administration_events("role").get()
    # carol leads alice's team North; erin leads South, the team alice was given.
    for leader in (carol, erin):
        text = _audit_text(login(leader))
        assert "Alice" in text and "rolle endret" in text and "ingen → teamleder" in text
        trail = _audit_text(login(leader), f"/audit/users/{alice.pk}/")
        assert f"kor.user {event.object_id}" in trail


def test_the_leader_of_another_team_does_not_see_it(as_olga, login, dave, alice, erin, south):
    as_olga.post(f"/organisation/people/{alice.pk}/active/", {"value": "0"})
    text = _audit_text(login(erin))
    assert f"kor.user {alice.pk}" not in text


def test_a_refused_self_grant_is_shown_to_the_teams_leader(as_olga, login, olga, carol, north):
    _role(as_olga, olga, north, "leader")
    text = _audit_text(login(carol))
    assert "AVVIST: en administrator prøvde å gi seg selv en rolle i et team" in text


def test_the_administrator_sees_the_whole_administration_trail(as_olga, alice, carol, south):
    _role(as_olga, alice, south, "helper")
    as_olga.post(f"/organisation/people/{carol.pk}/lockout/")
    text = _audit_text(as_olga)
    assert f"kor.user {alice.pk}" in text and f"kor.user {carol.pk}" in text


def test_a_helper_sees_no_trail(as_olga, login, alice, bob, south):
    _role(as_olga, alice, south, "helper")
    assert login(bob).get("/audit/").status_code == 403


def test_the_filter_shows_administration_only(as_olga, login, carol, alice, south):
    _role(as_olga, alice, south, "helper")
    client = login(carol)
    client.get("/team/")  # a clinical read, in carol's own trail
    everything = client.get("/audit/")
    only = client.get("/audit/?kind=administration")
    assert AuditEvent.objects.filter(user=carol).exists()
    assert everything.text.count("<tr>") > only.text.count("<tr>")
    assert f"kor.user {alice.pk}" in only.text


@pytest.mark.parametrize(
    ("path", "data", "kind"),
    [
        ("role/", {"team": "south", "role": "helper"}, "role"),
        ("active/", {"value": "0"}, "deactivated"),
        ("lockout/", {}, "lockout_lifted"),
        ("second-factor/", {}, "second_factor_reset"),
        ("", {"first_name": "Alice", "last_name": "Aas", "title": ""}, "details"),
    ],
)
def test_every_action_on_a_person_is_shown_to_the_leader_of_their_team(
    as_olga, login, alice, carol, south, path, data, kind
):
    data = {k: (south.pk if v == "south" else v) for k, v in data.items()}
    as_olga.post(f"/organisation/people/{alice.pk}/{path}", data)
    event = administration_events(kind).get()
    assert event.client_id is None and event.object_id == str(alice.pk)
    text = _audit_text(login(carol))
    assert f"kor.user {alice.pk}" in text
