"""The dashboard's filters, sorting and pages, and what bad input in them gives."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Episode
from tests.conftest import make_client


def codes(response) -> list[str]:
    return [e.client.case_code for e in response.context["page"].object_list]


def messages(response) -> str:
    return " ".join(str(m) for m in response.context["filters"].messages)


@pytest.fixture
def caseload(org, north, alice, bob):
    """Five open episodes of team North with known cached figures."""
    today = timezone.localdate()
    rows = [
        # code, helper, status, severity, flags, age group, meetings, weeks ago, ORS, SRS
        ("N-01", alice, "off_track", 5, ["alliance_alert"], "adult", 4, 1, "12.0", "30.0"),
        ("N-02", alice, "on_track", 1, [], "adolescent", 6, 6, "30.5", "38.0"),
        ("N-03", bob, "deteriorated", 6, ["erratic"], "adult", 8, 3, "8.2", "39.0"),
        ("N-04", bob, "at_risk", 4, ["alliance_alert", "erratic"], "child", 2, 10, "18.0", "35.0"),
        ("N-05", bob, "none", 0, [], "adult", 0, None, None, None),
    ]
    for code, helper, status, severity, flags, age, meetings, weeks, ors, srs in rows:
        client = make_client(
            org, north, helper, code, started=today - datetime.timedelta(weeks=12), age_group=age
        )
        Episode.objects.filter(client=client).update(
            status=status,
            severity=severity,
            flags=flags,
            meeting_count=meetings,
            last_meeting_on=None if weeks is None else today - datetime.timedelta(weeks=weeks),
            latest_ors=None if ors is None else Decimal(ors),
            latest_srs=None if srs is None else Decimal(srs),
        )


@pytest.fixture
def board(login, carol, caseload):
    browser = login(carol)

    def get(query: str = ""):
        response = browser.get(reverse("team_dashboard") + query)
        assert response.status_code == 200
        return response

    return get


def test_it_sorts_by_urgency_by_default(board):
    assert codes(board()) == ["N-03", "N-01", "N-04", "N-02", "N-05"]


def test_it_filters_by_helper(board, alice, bob):
    assert codes(board(f"?helper={alice.pk}")) == ["N-01", "N-02"]
    assert codes(board(f"?helper={bob.pk}")) == ["N-03", "N-04", "N-05"]


def test_it_counts_shared_clients_with_the_helper_who_shares_them(board, alice, bob, caseload):
    Episode.objects.get(client__case_code="N-03").client.shared_with.add(alice)
    assert codes(board(f"?helper={alice.pk}")) == ["N-03", "N-01", "N-02"]


def test_it_filters_by_status(board):
    assert codes(board("?status=off_track")) == ["N-01"]
    assert codes(board("?status=on_track")) == ["N-02"]


def test_it_filters_by_flag(board):
    assert codes(board("?flag=alliance_alert")) == ["N-01", "N-04"]
    assert codes(board("?flag=erratic")) == ["N-03", "N-04"]


def test_it_filters_by_age_group(board):
    assert codes(board("?age_group=adolescent")) == ["N-02"]
    assert codes(board("?age_group=child")) == ["N-04"]


def test_it_finds_clients_with_no_meeting_for_some_weeks(board):
    # N-05 never met, and started 12 weeks ago: it counts as not met for 12 weeks.
    assert codes(board("?weeks=6")) == ["N-04", "N-02", "N-05"]
    assert codes(board("?weeks=11")) == ["N-05"]
    assert codes(board("?weeks=0")) == ["N-03", "N-01", "N-04", "N-02", "N-05"]


def test_it_combines_filters(board, bob):
    assert codes(board(f"?helper={bob.pk}&flag=erratic&weeks=5")) == ["N-04"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("client", ["N-01", "N-02", "N-03", "N-04", "N-05"]),
        ("-client", ["N-05", "N-04", "N-03", "N-02", "N-01"]),
        ("meetings", ["N-05", "N-04", "N-01", "N-02", "N-03"]),
        ("-meetings", ["N-03", "N-02", "N-01", "N-04", "N-05"]),
        ("ors", ["N-03", "N-01", "N-04", "N-02", "N-05"]),  # no score last
        ("-ors", ["N-02", "N-04", "N-01", "N-03", "N-05"]),  # no score last either way
        ("srs", ["N-01", "N-04", "N-02", "N-03", "N-05"]),
        ("weeks", ["N-01", "N-03", "N-02", "N-04", "N-05"]),  # never met: longest
        ("-weeks", ["N-04", "N-02", "N-03", "N-01", "N-05"]),
        ("status", ["N-05", "N-02", "N-04", "N-01", "N-03"]),
        ("-status", ["N-03", "N-01", "N-04", "N-02", "N-05"]),
        ("age_group", ["N-04", "N-02", "N-03", "N-01", "N-05"]),  # youngest first
        ("-age_group", ["N-03", "N-01", "N-05", "N-02", "N-04"]),
        ("helper", ["N-01", "N-02", "N-03", "N-04", "N-05"]),  # Alice, then Bob
        ("-helper", ["N-03", "N-04", "N-05", "N-01", "N-02"]),
    ],
)
def test_it_sorts_by_any_column(board, sort, expected):
    assert codes(board(f"?sort={sort}")) == expected


def test_it_turns_the_order_round_on_a_second_click(board):
    columns = {c["key"]: c for c in board("?sort=meetings").context["columns"]}
    assert "sort=-meetings" in columns["meetings"]["href"]
    assert "sort=client" in columns["client"]["href"]


def test_it_keeps_the_filters_in_sort_links(board, alice):
    columns = board(f"?helper={alice.pk}&status=on_track").context["columns"]
    assert all(
        f"helper={alice.pk}" in c["href"] and "status=on_track" in c["href"] for c in columns
    )


def test_it_says_so_for_an_unknown_helper_and_shows_nobody(board, dave):
    response = board(f"?helper={dave.pk}")  # dave is in team South
    assert codes(response) == []
    assert "no such helper" in messages(response) or "ingen slik" in messages(response).lower()
    assert codes(board("?helper=not-a-number")) == []


@pytest.mark.parametrize(
    "query",
    [
        "?status=purple",
        "?flag=<script>",
        "?age_group=elder",
        "?weeks=-3",
        "?weeks=two",
        "?weeks=99999",
        "?sort=password",
        "?page=0",
        "?page=abc",
    ],
)
def test_it_ignores_bad_filters_with_a_message(board, query):
    response = board(query)
    assert codes(response) == ["N-03", "N-01", "N-04", "N-02", "N-05"]
    assert messages(response)


def test_it_gives_an_empty_page_past_the_end_with_a_message(board):
    response = board("?page=9999")
    assert codes(response) == []
    assert "9999" in messages(response)


def test_it_shows_fifty_rows_a_page(login, carol, org, north, alice):
    for i in range(55):
        make_client(org, north, alice, f"P-{i:03d}")
    browser = login(carol)
    first = browser.get(reverse("team_dashboard") + "?sort=client")
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 2
    assert codes(first)[0] == "P-000"
    second = browser.get(reverse("team_dashboard") + "?sort=client&page=2")
    assert codes(second) == [f"P-{i:03d}" for i in range(50, 55)]
    assert "page=2" in first.context["next_url"]


@pytest.fixture
def fifty_five(login, carol, org, north, alice):
    for i in range(55):
        make_client(org, north, alice, f"P-{i:03d}")
    browser = login(carol)
    return lambda query: browser.get(reverse("team_dashboard") + "?sort=client" + query)


def test_the_last_page_counts_its_own_rows_and_links_back(fifty_five):
    html = fifty_five("&page=2").content.decode()
    assert "51–55" in html and "55" in html
    assert 'rel="prev"' in html and 'rel="next"' not in html


def test_the_first_page_links_on_only(fifty_five):
    html = fifty_five("").content.decode()
    assert "1–50" in html
    assert 'rel="next"' in html and 'rel="prev"' not in html


def test_a_page_past_the_end_has_no_rows_and_no_way_further(fifty_five):
    response = fifty_five("&page=3")
    html = response.content.decode()
    assert codes(response) == []
    assert "3" in messages(response) and "2" in messages(response)
    assert 'rel="prev"' not in html and 'rel="next"' not in html
    assert "?sort=client" in response.context["first_url"]


def test_exactly_fifty_rows_is_one_page_without_a_pager(login, carol, org, north, alice):
    for i in range(50):
        make_client(org, north, alice, f"P-{i:03d}")
    response = login(carol).get(reverse("team_dashboard"))
    assert len(codes(response)) == 50
    assert 'class="pager"' not in response.content.decode()
    assert not messages(response)


def test_an_empty_caseload_is_page_one_of_one(login, carol, north):
    response = login(carol).get(reverse("team_dashboard") + "?page=1")
    assert codes(response) == [] and not messages(response)
    assert response.context["page"].paginator.num_pages == 1


def test_it_filters_a_helpers_own_caseload_too(login, bob, caseload):
    response = login(bob).get(reverse("caseload") + "?status=at_risk")
    assert codes(response) == ["N-04"]
