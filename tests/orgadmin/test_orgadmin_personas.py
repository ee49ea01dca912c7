"""Who reaches the organisation administration pages: the administrator of the organisation, and
nobody else (another organisation's administrator, leaders, helpers, superusers: 404)."""

from __future__ import annotations

import pytest
from django.core import mail

from kor.models import Membership, Team, User

PAGES = [
    "/organisation/",
    "/organisation/people/invite/",
    "/organisation/people/{alice}/",
    "/organisation/teams/",
    "/organisation/teams/{north}/",
]
ACTIONS = [
    ("/organisation/people/{alice}/role/", {"team": "{south}", "role": "leader"}),
    ("/organisation/people/{alice}/active/", {"value": "0"}),
    ("/organisation/people/{alice}/administrator/", {"value": "1"}),
    ("/organisation/people/{alice}/lockout/", {}),
    ("/organisation/people/{alice}/second-factor/", {}),
    ("/organisation/people/{alice}/password-link/", {}),
    ("/organisation/people/{alice}/", {"first_name": "Changed", "last_name": "X", "title": ""}),
    ("/organisation/teams/", {"name": "New team"}),
    ("/organisation/teams/{north}/", {"name": "Renamed"}),
    ("/organisation/teams/{north}/closed/", {"value": "1"}),
    (
        "/organisation/people/invite/",
        {"email": "x@example.org", "first_name": "X", "last_name": "Y"},
    ),
]


def _fill(text: str, ids: dict) -> str:
    return text.format(**ids)


@pytest.fixture
def ids(alice, north, south):
    alice.email = "alice@example.org"
    alice.save()
    return {"alice": alice.pk, "north": north.pk, "south": south.pk}


def _snapshot():
    return (
        sorted(User.objects.values_list("pk", "first_name", "is_active", "is_org_admin")),
        sorted(Membership.objects.values_list("user_id", "team_id", "role")),
        sorted(Team.objects.values_list("pk", "name", "closed_at")),
    )


@pytest.mark.parametrize("page", PAGES)
def test_the_administrator_of_the_organisation_opens_every_page(page, ids, as_olga):
    response = as_olga.get(_fill(page, ids))
    assert response.status_code == 200
    assert 'lang="nb"' in response.text


@pytest.mark.parametrize("persona", ["otto", "carol", "alice", "root"])
@pytest.mark.parametrize("page", PAGES)
def test_everyone_else_finds_no_such_page(persona, page, ids, request, login):
    client = login(request.getfixturevalue(persona))
    response = client.get(_fill(page, ids))
    if persona == "otto" and "{" not in page:
        # Another organisation's administrator has these pages, for their own organisation.
        assert response.status_code == 200
        assert "Alice" not in response.text and "North" not in response.text
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", ["otto", "carol", "alice", "root"])
@pytest.mark.parametrize(("url", "data"), ACTIONS)
def test_everyone_elses_writes_change_nothing(persona, url, data, ids, request, login, carol):
    if persona == "otto" and "{" not in url:
        pytest.skip("creates in otto's own organisation: tested in test_orgadmin_teams")
    client = login(request.getfixturevalue(persona))
    before = _snapshot()
    response = client.post(_fill(url, ids), {k: _fill(v, ids) for k, v in data.items()})
    assert response.status_code == 404
    assert _snapshot() == before
    assert not mail.outbox


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_the_login(page, ids, client):
    response = client.get(_fill(page, ids))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_another_organisations_people_and_teams_are_not_found(as_olga, oscar, alice):
    team = oscar.memberships.get().team
    before = _snapshot()
    assert as_olga.get(f"/organisation/people/{oscar.pk}/").status_code == 404
    assert as_olga.get(f"/organisation/teams/{team.pk}/").status_code == 404
    assert (
        as_olga.post(f"/organisation/people/{oscar.pk}/active/", {"value": "0"}).status_code == 404
    )
    assert as_olga.post(f"/organisation/teams/{team.pk}/closed/", {"value": "1"}).status_code == 404
    # Nor can another organisation's team be given to one's own people.
    response = as_olga.post(
        f"/organisation/people/{alice.pk}/role/", {"team": team.pk, "role": "helper"}
    )
    assert response.status_code == 400
    assert _snapshot() == before


def test_the_administrator_sees_no_client(as_olga, client_n1, alice, north):
    for url in (
        "/organisation/",
        f"/organisation/people/{alice.pk}/",
        f"/organisation/teams/{north.pk}/",
    ):
        assert "N-001" not in as_olga.get(url).text
    assert as_olga.get(f"/clients/{client_n1.pk}/").status_code == 404
