"""The start page takes each persona where their work is."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_helper_starts_on_her_caseload(login, alice):
    response = login(alice).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/caseload/"


def test_a_leader_starts_on_the_team_dashboard(login, carol):
    response = login(carol).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/team/"


def test_an_organisation_administrator_sees_no_clinical_data(login, olga, client_n1):
    response = login(olga).get("/")
    assert response.status_code == 200
    assert "N-001" not in response.text


def test_the_caseload_lists_a_helpers_own_clients(login, alice, client_n1, client_s1):
    response = login(alice).get("/caseload/")
    assert "N-001" in response.text
    assert "S-001" not in response.text
