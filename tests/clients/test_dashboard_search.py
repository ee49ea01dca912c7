"""Find a client on the caseload and the team dashboard by case code (and name where shown)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_client


def rows(response) -> list[str]:
    return [e.client.case_code for e in response.context["page"].object_list]


def test_it_finds_by_a_part_of_the_case_code(login, alice, org, north):
    for code in ("N-100", "N-101", "N-200"):
        make_client(org, north, alice, code)
    response = login(alice).get(reverse("caseload"), {"q": "n-10"})
    assert sorted(rows(response)) == ["N-100", "N-101"]
    assert 'value="n-10"' in response.content.decode()


def test_the_search_keeps_the_other_filters(login, carol, alice, bob, org, north):
    make_client(org, north, alice, "N-100")
    make_client(org, north, bob, "N-101")
    response = login(carol).get(reverse("team_dashboard"), {"q": "N-10", "helper": bob.pk})
    assert rows(response) == ["N-101"]
    page = response.content.decode()
    # Sort links and the poll keep the search.
    assert "q=N-10" in response.context["poll_url"]
    assert all("q=N-10" in c["href"] for c in response.context["columns"])
    assert "Søk" in page


def test_it_finds_by_name_only_where_names_are_shown(login, alice, org, north):
    client = make_client(org, north, alice, "N-100")
    client.name = "Kari Nordmann"
    client.save()
    browser = login(alice)
    assert rows(browser.get(reverse("caseload"), {"q": "kari"})) == []
    org.show_client_names = True
    org.save()
    assert rows(browser.get(reverse("caseload"), {"q": "kari"})) == ["N-100"]


def test_archived_clients_are_found_only_when_asked(login, alice, org, north):
    gone = make_client(org, north, alice, "N-300")
    gone.episodes.update(ended_on=datetime.date(2026, 6, 1), end_reason="mutual")
    gone.active = False
    gone.save()
    browser = login(alice)
    assert "N-300" not in browser.get(reverse("caseload")).content.decode()
    response = browser.get(reverse("caseload"), {"q": "N-3"})
    assert response.context["found"] == []
    response = browser.get(reverse("caseload"), {"q": "N-3", "archived": "1"})
    assert [c.case_code for c in response.context["found"]] == ["N-300"]
    page = response.content.decode()
    assert reverse("client_detail", args=[gone.pk]) in page
    assert "Arkivert" in page


def test_the_search_finds_nothing_outside_the_users_scope(login, alice, client_s1, client_x1):
    response = login(alice).get(reverse("caseload"), {"q": "001", "archived": "1"})
    assert rows(response) == []
    assert response.context["found"] == []


def test_a_search_costs_a_fixed_handful_of_queries(login, alice, org, north):
    browser = login(alice)
    browser.get(reverse("caseload"))  # the first request after login notes the second step
    for n in range(3):
        make_client(org, north, alice, f"N-40{n}")
    with CaptureQueriesContext(connection) as few:
        browser.get(reverse("caseload"), {"q": "N-4"})
    for n in range(3, 13):
        make_client(org, north, alice, f"N-4{n:02d}")
    with CaptureQueriesContext(connection) as many:
        browser.get(reverse("caseload"), {"q": "N-4"})
    assert len(many) == len(few)
