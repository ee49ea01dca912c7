"""Teams: create, rename, close and reopen; a closed team keeps its history."""

from __future__ import annotations

from kor.models import Team
from tests.orgadmin.conftest import administration_events


def test_it_creates_a_team(as_olga, org):
    response = as_olga.post("/organisation/teams/", {"name": "  Vest   team "})
    team = Team.objects.get(name="Vest team")
    assert response["Location"] == f"/organisation/teams/{team.pk}/"
    assert team.organisation == org
    assert administration_events("team_created").get().object_id == str(team.pk)


def test_a_taken_name_is_refused_beside_the_field(as_olga, north):
    response = as_olga.post("/organisation/teams/", {"name": "North"})
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.text and 'value="North"' in response.text
    assert Team.objects.filter(name="North").count() == 1
    assert not administration_events().exists()


def test_another_organisation_may_use_the_same_name(login, otto, north):
    response = login(otto).post("/organisation/teams/", {"name": "North"})
    assert response.status_code == 302
    assert Team.objects.filter(name="North").count() == 2


def test_it_renames_a_team(as_olga, north, south):
    as_olga.post(f"/organisation/teams/{north.pk}/", {"name": "Nord"})
    north.refresh_from_db()
    assert north.name == "Nord"
    event = administration_events("team_renamed").get()
    assert (event.detail["before"], event.detail["after"]) == ({"name": "North"}, {"name": "Nord"})
    taken = as_olga.post(f"/organisation/teams/{north.pk}/", {"name": "South"})
    assert taken.status_code == 400
    north.refresh_from_db()
    assert north.name == "Nord"


def test_a_closed_team_keeps_its_history_and_takes_no_new_clients(as_olga, north, client_n1):
    as_olga.post(f"/organisation/teams/{north.pk}/closed/", {"value": "1"})
    north.refresh_from_db()
    assert north.is_closed
    assert north not in Team.objects.open()
    assert north.clients.get() == client_n1  # the history stays
    as_olga.post(f"/organisation/teams/{north.pk}/closed/", {"value": "0"})
    north.refresh_from_db()
    assert not north.is_closed
    kinds = list(
        administration_events().order_by("id").values_list("detail__administration", flat=True)
    )
    assert kinds == ["team_closed", "team_reopened"]


def test_the_team_page_lists_people_not_clients(as_olga, north, alice, carol, client_n1):
    page = as_olga.get(f"/organisation/teams/{north.pk}/")
    assert "Alice" in page.text and "Carol" in page.text
    assert "N-001" not in page.text


def test_the_leader_of_the_team_sees_its_administration(as_olga, login, north, carol, erin):
    as_olga.post(f"/organisation/teams/{north.pk}/", {"name": "Nord"})
    assert "Nord" in login(carol).get("/audit/?kind=administration").text
    assert "Nord" not in login(erin).get("/audit/?kind=administration").text
