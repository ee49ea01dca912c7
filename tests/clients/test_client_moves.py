"""Edit a client's details, share the case, transfer it, archive the client: who may, and the
audit trail with the values before and after."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from clients.models import Client
from kor.models import AuditEvent, Membership
from tests.conftest import make_user


def edit_data(client: Client, **overrides) -> dict:
    data = {
        "case_code": client.case_code,
        "birth_year": client.birth_year or "",
        "age_group": client.age_group,
        "language": client.language_id,
        "forms_consent": client.forms_consent,
        "forms_consent_on": "",
    }
    return data | overrides


def snapshot(client: Client) -> tuple:
    client.refresh_from_db()
    return (
        client.case_code,
        client.birth_year,
        client.team_id,
        client.responsible_helper_id,
        client.active,
        sorted(client.shared_with.values_list("pk", flat=True)),
    )


def last_update(client: Client) -> AuditEvent:
    return AuditEvent.objects.filter(action="update", client_id=client.pk).latest("id")


# --- Who may: every new URL, every persona ------------------------------------------------------

# (url name, method, data) -> personas allowed. The responsible helper (alice) and the leader of
# the team (carol) move the case; the colleague it is shared with (bob) only edits details.
ALLOWED = {
    "client_edit": {"alice", "bob", "carol"},
    "client_sharing": {"alice", "carol"},
    "client_transfer": {"alice", "carol"},
    "client_archive": {"alice", "carol"},
    "client_unarchive": {"alice", "carol"},
}
PERSONAS = ["alice", "bob", "carol", "dave", "erin", "olga", "oscar"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_only_the_right_people_reach_the_pages(
    request, login, name, persona, client_n1, dave, erin, olga, oscar, carol
):
    user = request.getfixturevalue(persona)
    before = snapshot(client_n1)
    browser = login(user)
    url = reverse(name, args=[client_n1.pk])
    response = browser.post(url, {"case_code": "HACKED", "colleague": dave.pk, "to": "1:1"})
    if persona in ALLOWED[name]:
        assert response.status_code in (200, 302, 400)
    else:
        assert response.status_code == 404
        assert snapshot(client_n1) == before  # a refused write changes nothing
        assert not AuditEvent.objects.filter(action="update").exists()
    if name in ("client_edit", "client_sharing", "client_transfer"):
        expected = 200 if persona in ALLOWED[name] else 404
        assert browser.get(url).status_code == expected


def test_stop_sharing_is_for_the_responsible_helper_and_leader(login, client_n1, bob, dave):
    url = reverse("client_stop_sharing", args=[client_n1.pk, bob.pk])
    for user in (bob, dave):
        assert login(user).post(url).status_code == 404
    assert client_n1.shared_with.filter(pk=bob.pk).exists()
    assert login(client_n1.responsible_helper).post(url).status_code == 302
    assert not client_n1.shared_with.filter(pk=bob.pk).exists()


def test_stop_sharing_someone_not_sharing_is_a_404(login, alice, client_n1, carol):
    url = reverse("client_stop_sharing", args=[client_n1.pk, carol.pk])
    assert login(alice).post(url).status_code == 404


# --- Edit -------------------------------------------------------------------------------------


def test_it_edits_the_details_with_before_and_after(login, alice, client_n1):
    response = login(alice).post(
        reverse("client_edit", args=[client_n1.pk]),
        edit_data(client_n1, case_code="N-001B", birth_year="1992", language="nn"),
    )
    assert response.status_code == 302
    client_n1.refresh_from_db()
    assert (client_n1.case_code, client_n1.birth_year, client_n1.language_id) == (
        "N-001B",
        1992,
        "nn",
    )
    row = last_update(client_n1)
    assert row.detail["before"] == {"case_code": "N-001", "birth_year": 1990, "language_id": "nb"}
    assert row.detail["after"] == {"case_code": "N-001B", "birth_year": 1992, "language_id": "nn"}


def test_a_corrected_birth_year_corrects_an_episode_without_meetings(login, alice, client_n1):
    login(alice).post(
        reverse("client_edit", args=[client_n1.pk]), edit_data(client_n1, birth_year="2015")
    )
    assert client_n1.episodes.get().age_group == "child"


def test_it_keeps_what_was_typed_on_bad_input(login, alice, client_n1, client_s1):
    response = login(alice).post(
        reverse("client_edit", args=[client_n1.pk]),
        edit_data(client_n1, case_code="S-001", birth_year="3000"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Saksnummeret S-001 er allerede i bruk" in page
    assert "Skriv et fødselsår fra" in page
    assert 'value="3000"' in page
    assert snapshot(client_n1)[:2] == ("N-001", 1990)
    assert not AuditEvent.objects.filter(action="update").exists()


# --- Share ------------------------------------------------------------------------------------


def test_it_shares_with_a_colleague_and_stops(login, alice, client_n1, carol):
    browser = login(alice)
    page = browser.get(reverse("client_sharing", args=[client_n1.pk])).content.decode()
    assert "Bob" in page and "Carol" in page
    browser.post(reverse("client_sharing", args=[client_n1.pk]), {"colleague": carol.pk})
    assert client_n1.shared_with.filter(pk=carol.pk).exists()
    row = last_update(client_n1)
    assert row.detail == {
        "before": {"shared_with": sorted([client_n1.shared_with.get(username="bob").pk])},
        "after": {"shared_with": sorted([carol.pk, client_n1.shared_with.get(username="bob").pk])},
    }
    browser.post(reverse("client_stop_sharing", args=[client_n1.pk, carol.pk]))
    assert not client_n1.shared_with.filter(pk=carol.pk).exists()
    assert last_update(client_n1).detail["after"]["shared_with"] == [client_n1.shared_with.get().pk]


def test_it_shares_only_within_the_organisation(login, alice, client_n1, oscar, olga):
    browser = login(alice)
    for outsider in (oscar, olga):  # another organisation; an administrator in no team
        response = browser.post(
            reverse("client_sharing", args=[client_n1.pk]), {"colleague": outsider.pk}
        )
        assert response.status_code == 400
        assert "Velg en kollega fra lista." in response.content.decode()
    assert list(client_n1.shared_with.values_list("username", flat=True)) == ["bob"]


# --- Transfer -----------------------------------------------------------------------------------


def test_a_transfer_shows_on_the_receiving_leaders_dashboard_at_once(
    login, alice, client_n1, dave, erin, south
):
    assert "N-001" not in login(erin).get(reverse("team_dashboard")).content.decode()
    response = login(alice).post(
        reverse("client_transfer", args=[client_n1.pk]), {"to": f"{south.pk}:{dave.pk}"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("caseload")  # alice no longer sees the case
    assert "N-001" in login(erin).get(reverse("team_dashboard")).content.decode()
    assert "N-001" in login(dave).get(reverse("caseload")).content.decode()
    assert login(alice).get(reverse("client_detail", args=[client_n1.pk])).status_code == 404
    row = last_update(client_n1)
    assert row.detail["transfer"] is True
    assert row.detail["before"] == {"team_id": client_n1.team_id, "responsible_helper_id": alice.pk}
    assert row.detail["after"] == {"team_id": south.pk, "responsible_helper_id": dave.pk}


def test_the_previous_helper_keeps_the_case_when_asked(login, alice, bob, client_n1, north):
    login(alice).post(
        reverse("client_transfer", args=[client_n1.pk]),
        {"to": f"{north.pk}:{bob.pk}", "keep_previous": "on"},
    )
    client_n1.refresh_from_db()
    assert client_n1.responsible_helper == bob
    assert list(client_n1.shared_with.values_list("username", flat=True)) == ["alice"]
    assert login(alice).get(reverse("client_edit", args=[client_n1.pk])).status_code == 200


def test_it_refuses_a_transfer_to_where_the_case_is(login, alice, client_n1, north):
    response = login(alice).post(
        reverse("client_transfer", args=[client_n1.pk]), {"to": f"{north.pk}:{alice.pk}"}
    )
    assert response.status_code == 400
    assert "Der ligger saken nå" in response.content.decode()


def test_it_refuses_a_helper_of_another_organisation(login, alice, client_n1, oscar):
    team = oscar.memberships.get().team
    response = login(alice).post(
        reverse("client_transfer", args=[client_n1.pk]), {"to": f"{team.pk}:{oscar.pk}"}
    )
    assert response.status_code == 400
    assert snapshot(client_n1)[3] == alice.pk


def test_it_refuses_an_inactive_helper(login, alice, client_n1, north, org):
    gone = make_user("gone", org, north, Membership.Role.HELPER, is_active=False)
    response = login(alice).post(
        reverse("client_transfer", args=[client_n1.pk]), {"to": f"{north.pk}:{gone.pk}"}
    )
    assert response.status_code == 400


# --- Archive ------------------------------------------------------------------------------------


def test_it_archives_only_when_the_episodes_are_ended(login, alice, client_n1):
    browser = login(alice)
    browser.post(reverse("client_archive", args=[client_n1.pk]))
    assert snapshot(client_n1)[4] is True
    client_n1.episodes.update(ended_on=datetime.date(2026, 6, 1), end_reason="mutual")
    browser.post(reverse("client_archive", args=[client_n1.pk]))
    assert snapshot(client_n1)[4] is False
    assert last_update(client_n1).detail == {
        "archive": True,
        "before": {"active": True},
        "after": {"active": False},
    }
    page = browser.get(reverse("client_detail", args=[client_n1.pk])).content.decode()
    assert "Arkivert" in page
    browser.post(reverse("client_unarchive", args=[client_n1.pk]))
    assert snapshot(client_n1)[4] is True
    assert last_update(client_n1).detail["after"] == {"active": True}
