"""The statistics panel: figures on a hand-built caseload, worked out here by hand.

Four clients closed in the period count (two ratings or more, first score 32 or less):
    alice: A1 10 -> 20 (mutual),  A2 20 -> 30 (goal reached)
    bob:   B1 24 -> 16 (dropout), B2 30 -> 30 (mutual)
Left out: one rating only, a high intake, one closed before the period, one still open.
"""

from __future__ import annotations

import datetime
import statistics as pystats

import pytest
from django.urls import reverse

from clients.models import Episode
from sessions import statistics as stats
from tests.conftest import add_meetings, make_client

START = datetime.date(2026, 3, 1)
END = datetime.date(2026, 6, 30)

# Adult short-term coefficients of KOR-REFERENCE.md, for Target = the polynomial at i = 5.
I0, L, Q, C, IX, LX, QX, CX, SD = (
    20.192794,
    3.391172,
    -0.51855,
    0.027243,
    0.968895,
    -0.281445,
    0.049636,
    -0.002821,
    7.75,
)


def target(intake: float) -> float:
    d = intake - 20
    a0, a1, a2, a3 = I0 + IX * d, L + LX * d, Q + QX * d, C + CX * d
    return a0 + a1 * 5 + a2 * 25 + a3 * 125


def close(client, reason: str, day: datetime.date = datetime.date(2026, 4, 1)) -> None:
    Episode.objects.filter(client=client).update(ended_on=day, end_reason=reason)


@pytest.fixture
def closed_caseload(org, north, alice, bob, carol):
    cases = [
        ("A1", alice, [10, 20], "mutual"),
        ("A2", alice, [20, 30], "goal_reached"),
        ("B1", bob, [24, 16], "dropout"),
        ("B2", bob, [30, 30], "mutual"),
        ("X-one", alice, [15], "mutual"),  # one rating: left out
        ("X-high", bob, [34, 36], "mutual"),  # intake above 32: left out
    ]
    for code, helper, ors, reason in cases:
        client = make_client(org, north, helper, code)
        add_meetings(client.episodes.get(), ors=ors, srs=[38] * len(ors))
        close(client, reason)
    before = make_client(org, north, alice, "X-before")
    add_meetings(before.episodes.get(), ors=[5, 35])
    close(before, "mutual", datetime.date(2026, 2, 1))
    # Still open: counts as active now, not in the outcome figures.
    add_meetings(make_client(org, north, alice, "O-1").episodes.get(), ors=[10, 10, 10])
    add_meetings(make_client(org, north, bob, "O-2").episodes.get(), ors=[15, 22])


FIRSTS, LASTS = [10, 20, 24, 30], [20, 30, 16, 30]


def test_it_computes_the_team_figures(closed_caseload, carol):
    figures = stats.team_statistics(Episode.objects.visible_to(carol), START, END)
    s = figures["summary"]
    assert figures["closed"] == 6
    assert figures["included"] == s["included"] == 4
    assert s["excluded"] == {"one_rating": 1, "high_intake": 1, "young_child": 0}

    change = [b - a for a, b in zip(FIRSTS, LASTS, strict=True)]
    assert s["effect_size"] == pytest.approx(pystats.mean(change) / pystats.stdev(FIRSTS))
    assert s["effect_size"] == pytest.approx(0.3569, abs=1e-4)
    saes = pystats.mean((b - target(a)) / SD for a, b in zip(FIRSTS, LASTS, strict=True))
    assert s["saes"] == pytest.approx(saes)
    assert s["saes"] == pytest.approx(-0.5213, abs=1e-4)

    # +10, +10 reliable; 20 -> 30 crosses the adult cut-off 25; 24 -> 16 is a deterioration.
    assert (s["reliable_improvement"], s["pct_reliable_improvement"]) == (2, 50.0)
    assert (s["clinically_significant"], s["pct_clinically_significant"]) == (1, 25.0)
    assert (s["reliable_deterioration"], s["pct_reliable_deterioration"]) == (1, 25.0)
    # Targets: 23.1, 27.6, 29.4, 32.1: only 20 -> 30 reaches its own.
    assert (s["reached_target"], s["pct_reached_target"]) == (1, 25.0)
    assert (s["dropouts"], s["with_end_reason"], s["dropout_pct"]) == (1, 4, 25.0)
    assert s["mean_meetings"] == 2.0
    assert figures["changes"] == [-8.0, 0.0, 10.0, 10.0]


def test_it_counts_active_clients_and_those_off_track_now(closed_caseload, carol):
    figures = stats.team_statistics(Episode.objects.visible_to(carol), START, END)
    assert figures["active"] == 2
    assert figures["off_track"] == 1  # O-1 10, 10, 10
    assert figures["pct_off_track"] == 50.0
    assert figures["too_few"] is True


def test_it_computes_the_figures_per_helper(closed_caseload, carol, alice, bob):
    per = stats.helper_statistics(Episode.objects.visible_to(carol), START, END)
    assert set(per) == {alice.pk, bob.pk}
    a, b = per[alice.pk], per[bob.pk]
    assert a["included"] == b["included"] == 2
    assert a["summary"]["effect_size"] == pytest.approx(10 / pystats.stdev([10, 20]))
    assert b["summary"]["effect_size"] == pytest.approx(-4 / pystats.stdev([24, 30]))
    assert a["summary"]["pct_reliable_improvement"] == 100.0
    assert b["summary"]["pct_reliable_deterioration"] == 50.0
    assert b["summary"]["dropout_pct"] == 50.0
    assert (a["active"], a["off_track"], b["active"], b["off_track"]) == (1, 1, 1, 0)


def test_it_takes_the_client_rater_and_else_a_collateral_one(org, north, alice, carol):
    from clients.models import Rater

    client = make_client(org, north, alice, "C-1", birth_year=2016, age_group="child")
    episode = client.episodes.get()
    mother = Rater.objects.create(episode=episode, relation=Rater.Relation.MOTHER)
    add_meetings(episode, ors=[12, 25], refresh=False)
    from sessions.models import FormResponse, Meeting

    for meeting, total in zip(Meeting.objects.filter(episode=episode), (200, 160), strict=True):
        FormResponse.objects.create(
            meeting=meeting,
            rater=mother,
            instrument="CORS",
            item1=total // 4,
            item2=total // 4,
            item3=total // 4,
            item4=total // 4,
            total=total,
        )
    close(client, "mutual")
    [(_, series)] = stats.episode_series(Episode.objects.filter(pk=episode.pk))
    assert list(series.ors) == [12.0, 25.0]  # the child's own, not the mother's
    assert series.age_group == "child"
    FormResponse.objects.filter(rater__relation="client").delete()
    [(_, series)] = stats.episode_series(Episode.objects.filter(pk=episode.pk))
    assert list(series.ors) == [20.0, 16.0]


def test_it_shows_the_figures_with_their_counts(login, carol, closed_caseload):
    response = login(carol).get(reverse("statistics") + "?start=2026-03-01&end=2026-06-30")
    assert response.status_code == 200
    html = response.content.decode()
    team = html[html.index('data-helper="team"') :]
    assert "0,36" in team or "0.36" in team
    assert "-0,52" in team or "-0.52" in team or "−0,52" in team
    assert "50 %" in team and "2 / 4" in team  # reliable improvement
    assert "1 / 4" in team  # dropouts of known ends
    assert "too few" in team or "for få" in team
    assert 'id="change-chart-data"' in html
    assert [r["helper"].username for r in response.context["rows"]] == ["alice", "bob"]


def test_it_shows_a_helper_only_their_own_outcomes(login, alice, closed_caseload):
    response = login(alice).get(reverse("statistics") + "?start=2026-03-01&end=2026-06-30")
    assert response.context["rows"] == []
    team = response.context["team"]
    assert team["included"] == 2  # A1 and A2
    assert team["active"] == 1


def test_it_shows_another_team_none_of_it(login, erin, closed_caseload):
    response = login(erin).get(reverse("statistics") + "?start=2026-03-01&end=2026-06-30")
    assert response.context["team"]["closed"] == 0
    assert response.context["team"]["active"] == 0
    assert response.context["rows"] == []
    assert b'data-helper="' in response.content  # the (empty) team row


def test_it_says_so_when_the_period_ends_before_it_starts(login, carol, closed_caseload):
    response = login(carol).get(reverse("statistics") + "?start=2026-06-30&end=2026-03-01")
    assert response.status_code == 200
    assert response.context["messages_period"]
    assert response.context["team"]["closed"] == 0
    assert response.context["team"]["summary"]["effect_size"] is None


@pytest.mark.parametrize(
    "query", ["?start=yesterday", "?end=2026-13-45", "?start=2026-02-30&end=x", "?start="]
)
def test_it_reads_bad_dates_as_the_last_year_with_a_message(login, carol, closed_caseload, query):
    response = login(carol).get(reverse("statistics") + query)
    assert response.status_code == 200
    if query != "?start=":
        assert response.context["messages_period"]


def test_it_reads_the_page_in_as_many_queries_for_many_clients_as_for_few(
    login, carol, org, north, alice, bob
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def closed_clients(prefix: str, n: int) -> None:
        for i in range(n):
            client = make_client(org, north, alice if i % 2 else bob, f"{prefix}-{i}")
            add_meetings(client.episodes.get(), ors=[12, 14 + i % 10], srs=[38, 38])
            close(client, "mutual")

    url = reverse("statistics") + "?start=2026-03-01&end=2026-06-30"
    browser = login(carol)
    closed_clients("F", 2)
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    closed_clients("M", 12)
    with CaptureQueriesContext(connection) as many:
        response = browser.get(url)
    assert response.context["team"]["included"] == 14
    assert len(many) == len(few)


def test_it_shows_an_outsider_and_the_administrator_nothing(login, oscar, olga, closed_caseload):
    for user in (oscar, olga):
        response = login(user).get(reverse("statistics") + "?start=2026-03-01&end=2026-06-30")
        assert response.status_code == 200
        assert (response.context["team"]["closed"], response.context["team"]["active"]) == (0, 0)
        assert b"A1" not in response.content


def test_the_page_sends_the_bars_binned_as_the_team_report_bins_them(login, carol, closed_caseload):
    import json

    from kor.outcomes import change_histogram

    response = login(carol).get(reverse("statistics") + "?start=2026-03-01&end=2026-06-30")
    html = response.content.decode()
    start = html.index('<script id="change-chart-data" type="application/json">')
    chart = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    # -8, 0, +10, +10 (see the reference statistics above), in bins of two points.
    assert chart["bins"] == [
        {"start": -8, "end": -6, "count": 1, "kind": "deteriorated"},
        {"start": 0, "end": 2, "count": 1, "kind": "neither"},
        {"start": 10, "end": 12, "count": 2, "kind": "improved"},
    ]
    assert [b.count for b in change_histogram([-8.0, 0.0, 10.0, 10.0], 6.0)] == [1, 1, 2]


# Issue 13: the figures a leader reads side by side, and no effect size read off a handful.


def _page(login, user, **extra) -> str:
    url = reverse("statistics") + "?start=2026-03-01&end=2026-06-30"
    browser = login(user)
    browser.cookies["django_language"] = "en"
    return browser.get(url).content.decode()


def _cell(html: str, row: str, figure: str) -> str:
    row_html = html[html.index(f'data-helper="{row}"') :]
    start = row_html.index(f'data-figure="{figure}"')
    return row_html[start : row_html.index("</td>", start)]


def test_it_says_too_few_for_an_effect_size_of_four_clients_and_keeps_the_number_one_click_away(
    login, carol, closed_caseload
):
    html = _page(login, carol)

    cell = _cell(html, "team", "effect_size")
    assert "<details" in cell and "<summary>too few</summary>" in cell
    assert "0.36" in cell  # the number, inside the disclosure
    assert "<summary>too few</summary>" in _cell(html, "team", "saes")
    assert 'id="note-too-few"' in html


def test_it_shows_the_effect_size_itself_from_the_minimum_the_service_set(
    login, carol, closed_caseload, settings
):
    settings.STATISTICS_MIN_CLIENTS = 4

    html = _page(login, carol)

    cell = _cell(html, "team", "effect_size")
    assert "0.36" in cell and "too few" not in cell
    assert 'id="note-too-few"' in html  # alice and bob have two each: still marked


def test_it_shows_the_team_figures_side_by_side_each_with_what_it_means(
    login, carol, closed_caseload
):
    html = _page(login, carol)

    cards = html[html.index('class="figure-cards"') : html.index("</dl>")]
    for figure in (
        "effect_size",
        "saes",
        "reliable_improvement",
        "clinically_significant",
        "deterioration",
        "reached_target",
        "dropout",
        "mean_meetings",
    ):
        card = cards[cards.index(f'data-card="{figure}"') :]
        assert 'class="figure-explain"' in card.split("</div>")[0], figure
    assert "Severity-adjusted effect size (SAES)" in cards
    assert "50 %" in cards  # reliable improvement, 2 of 4
    assert "rose by 6 points or more" in cards  # the reliable change index in words


def test_it_keeps_notes_out_of_the_table(login, carol, closed_caseload):
    html = _page(login, carol)

    head = html[html.index("<thead>") : html.index("</thead>")]
    assert head.count("<th ") == 12
    assert "Note" not in head
