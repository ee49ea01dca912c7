"""My practice (issue 16, section 2): who opens whose page, what it shows, and the audit trail.

alice (North) closed four clients today, the caseload of tests/outcomes/test_practice.py:
    A1 10, 11, 11, 22 (off track at 3, on track at 4)   A2 20, 14 (deteriorated, dropout)
    A3 15, 22, 25                                      A4 18, 18, 18 (off track, dropout)
bob (North) closed B1 20 -> 30; dave (South) closed S1 10 -> 30: South is not alice's team.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Episode
from kor.models import AuditEvent
from sessions import practice
from tests.conftest import add_meetings, make_client

CASES = [
    ("A1", "alice", [10, 11, 11, 22], [38, 35, 38, 39], "planned"),
    ("A2", "alice", [20, 14], [39, 39], "dropout"),
    ("A3", "alice", [15, 22, 25], [39, 38.5, 39], "planned"),
    ("A4", "alice", [18, 18, 18], [], "dropout"),
    ("B1", "bob", [20, 30], [39, 39], "planned"),
    ("S1", "dave", [10, 30], [39, 39], "planned"),
]


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def caseload(org, north, south, alice, bob, dave):
    people = {"alice": (alice, north), "bob": (bob, north), "dave": (dave, south)}
    start = today() - datetime.timedelta(days=60)
    for code, who, ors, srs, reason in CASES:
        helper, team = people[who]
        client = make_client(org, team, helper, code, started=start)
        add_meetings(client.episodes.get(), ors=ors, srs=srs)
        Episode.objects.filter(client=client).update(ended_on=today(), end_reason=reason)


@pytest.fixture
def few(settings):
    settings.STATISTICS_MIN_CLIENTS = 2  # so the small caseload is not "too few"


def row(html: str, table_class: str, figure: str) -> dict[str, str]:
    """The cells of one figure's row in a table, by data-who, as text."""
    table = re.search(rf'<table class="table {table_class}">(.*?)</table>', html, re.S).group(1)
    tr = re.search(rf'<tr data-figure="{figure}">(.*?)</tr>', table, re.S).group(1)
    cells = re.findall(r'<td data-who="(\w+)">(.*?)</td>', tr, re.S)
    return {who: " ".join(re.sub(r"<[^>]+>", " ", text).split()) for who, text in cells}


# --- Who sees whose page -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_helper_sees_their_own_page(login_en, alice, caseload, few):
    response = login_en(alice).get(reverse("practice"))
    assert response.status_code == 200
    assert "My practice" in response.text
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )


@pytest.mark.django_db
def test_the_leader_opens_a_helper_of_their_team(login_en, carol, alice, caseload, few):
    response = login_en(carol).get(reverse("practice_of", args=[alice.pk]))
    assert response.status_code == 200
    assert "Practice of Alice" in response.text
    assert "Mark a period of practice" not in response.text  # only alice marks hers


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "dave", "erin", "olga", "oscar"])
def test_nobody_else_opens_a_helpers_page(login_en, request, alice, caseload, who):
    """A colleague, a helper and the leader of another team, the organisation administrator and
    someone of another organisation all get a 404, as for a client they may not see."""
    viewer = request.getfixturevalue(who)
    response = login_en(viewer).get(reverse("practice_of", args=[alice.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_team_statistics_link_to_each_helpers_page(login_en, carol, alice, caseload):
    response = login_en(carol).get(reverse("statistics"))
    assert reverse("practice_of", args=[alice.pk]) in response.text


@pytest.mark.django_db
def test_the_header_links_helpers_to_their_practice(login_en, alice, olga):
    assert f'href="{reverse("practice")}"' in login_en(alice).get(reverse("caseload")).text


# --- What it shows -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_last_twelve_months_beside_the_team(login_en, alice, caseload, few):
    html = login_en(alice).get(reverse("practice")).text
    # alice: +12 and +10 of four; the team (North) adds bob's +10: three of five.
    assert row(html, "practice-year", "reliable_improvement") == {
        "own": "50 % (15 – 85) n = 4",
        "team": "60 % (23 – 88) n = 5",
    }
    assert row(html, "practice-year", "reliable_deterioration")["own"] == "25 % (5 – 70) n = 4"
    assert row(html, "practice-year", "dropout")["own"] == "50 % (15 – 85) n = 4"
    assert row(html, "practice-year", "mean_alliance")["own"].startswith("38.4 (")
    assert row(html, "practice-year", "mean_alliance")["own"].endswith("n = 3")
    assert row(html, "practice-year", "alliance_alerts")["own"] == "33 % (6 – 79) n = 3"
    assert row(html, "practice-year", "off_track_recovered")["own"] == "33 % (6 – 79) n = 3"
    assert row(html, "practice-year", "effect_size")["own"].startswith("0.92 (")


@pytest.mark.django_db
def test_a_figure_on_too_few_clients_says_so_and_is_not_drawn(login_en, alice, caseload):
    response = login_en(alice).get(reverse("practice"))
    cell = row(response.text, "practice-year", "reliable_improvement")["own"]
    assert cell.startswith("too few") and cell.endswith("n = 4")
    chart = response.context["chart"]
    ri = next(f for f in chart["figures"] if f["key"] == "reliable_improvement")
    assert ri["own"]["y"] == [None] * practice.QUARTERS
    assert ri["own"]["n"][-1] == 4


@pytest.mark.django_db
def test_the_chart_has_the_quarters_with_their_intervals(login_en, alice, caseload, few):
    chart = login_en(alice).get(reverse("practice")).context["chart"]
    assert len(chart["x"]) == practice.QUARTERS
    q = today()
    assert chart["x"][-1] == f"Q{(q.month - 1) // 3 + 1} {q.year}"
    ri = next(f for f in chart["figures"] if f["key"] == "reliable_improvement")
    assert ri["own"]["y"][-1] == 50.0 and ri["own"]["y"][:-1] == [None] * (practice.QUARTERS - 1)
    assert ri["own"]["low"][-1] == pytest.approx(15.004, abs=1e-3)
    assert ri["team"]["n"][-1] == 5


@pytest.mark.django_db
def test_reading_the_page_is_in_each_clients_audit_trail(login_en, alice, caseload, few):
    login_en(alice).get(reverse("practice"))
    events = AuditEvent.objects.filter(user=alice, action="view", detail__screen="practice")
    codes = sorted(Episode.objects.get(pk=e.object_id).client.case_code for e in events)
    assert codes == ["A1", "A2", "A3", "A4", "B1"]  # the team's clients read; not South's
    assert {e.detail["helper"] for e in events} == {alice.pk}


# --- The quarters --------------------------------------------------------------------------------


def test_the_last_quarters_end_today_and_run_back_whole():
    quarters = practice.last_quarters(datetime.date(2026, 5, 14), count=3)
    assert [(q.label, q.start, q.end) for q in quarters] == [
        ("Q4 2025", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        ("Q1 2026", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        ("Q2 2026", datetime.date(2026, 4, 1), datetime.date(2026, 5, 14)),
    ]


@pytest.mark.django_db
def test_a_figure_with_too_few_clients_in_every_quarter_draws_no_chart(login_en, alice, caseload):
    response = login_en(alice).get(reverse("practice"))
    assert 'id="chart-reliable_improvement"' not in response.text
    assert "No quarter has enough clients to draw this figure yet." in response.text


@pytest.mark.django_db
def test_a_figure_with_enough_clients_in_a_quarter_draws_its_chart(login_en, alice, caseload, few):
    response = login_en(alice).get(reverse("practice"))
    assert 'id="chart-reliable_improvement"' in response.text
    # Three clients were off track at some time: enough (two) here, so that chart is drawn too.
    assert 'id="chart-off_track_recovered"' in response.text
