"""The client page leads to the report, the client's rights and the access log, for those who
may use them."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_responsible_helper_gets_the_report_and_the_rights_page(login, alice, client_n1):
    page = login(alice).get(f"/clients/{client_n1.pk}/").text
    assert f"/clients/{client_n1.pk}/report.pdf" in page
    assert f"/clients/{client_n1.pk}/rights/" in page
    # a helper does not review the access log; leaders and administrators do
    assert f"/audit/clients/{client_n1.pk}/" not in page


def test_a_colleague_sharing_the_case_gets_the_report_but_not_the_rights_page(
    login, bob, client_n1
):
    page = login(bob).get(f"/clients/{client_n1.pk}/").text
    assert f"/clients/{client_n1.pk}/report.pdf" in page
    assert f"/clients/{client_n1.pk}/rights/" not in page


def test_the_team_leader_gets_the_access_log_too(login, carol, client_n1):
    page = login(carol).get(f"/clients/{client_n1.pk}/").text
    assert f"/clients/{client_n1.pk}/rights/" in page
    assert f"/audit/clients/{client_n1.pk}/" in page


def test_the_leader_finds_the_team_reports_from_the_dashboard(login, carol, client_n1):
    assert "/reports/team/" in login(carol).get("/team/").text


def test_a_helper_has_no_team_reports_link_on_her_caseload(login, alice, client_n1):
    assert "/reports/team/" not in login(alice).get("/caseload/").text
