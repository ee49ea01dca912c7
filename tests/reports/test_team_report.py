"""The team report: the dashboard's figures, per helper (named or not), change chart, off track."""

from __future__ import annotations

import pytest

from clients.models import Episode
from kor.outcomes import RaterSeries, summarize
from sessions import statistics as stats
from sessions.outcome import engine_config
from sessions.reports.data import team_report_data
from sessions.reports.pdf import team_report_pdf
from tests.conftest import add_meetings

from .conftest import pdf_info, pdf_text
from .team_fixtures import END, START, build_north, closed


@pytest.fixture
def north_clients(org, north, alice, bob, carol, client_s1):
    clients = build_north(org, north, alice, bob)
    # A South client closed in the period: never in North's report.
    add_meetings(client_s1.episodes.get(), ors=[10.0, 30.0])
    Episode.objects.filter(client=client_s1).update(ended_on=END, end_reason="mutual")
    return clients


def _report(carol, north, **kwargs):
    data = team_report_data(north, START, END, episodes=Episode.objects.visible_to(carol), **kwargs)
    return data, pdf_text(team_report_pdf(data, printed_by="Carol", lang="en"))


def test_it_counts_the_closed_episodes_by_the_published_rules(carol, north, north_clients):
    data, _ = _report(carol, north)
    s = data.summary

    assert data.figures["closed"] == 5  # A-E; G ended in 2025, F is open
    assert data.figures["included"] == 3  # A, B, C
    assert s["excluded"] == {"one_rating": 1, "high_intake": 1, "young_child": 0}
    assert (s["reliable_improvement"], s["clinically_significant"]) == (2, 1)
    assert s["reliable_deterioration"] == 1
    assert s["dropouts"] == 1
    assert data.changes == [-7.0, 7.0, 10.0]
    assert (data.figures["active"], data.figures["off_track"]) == (1, 1)


def test_its_figures_equal_summarize_over_the_clients_own_ratings(carol, north, north_clients):
    """The dashboard's rule, written out: one series per closed episode, summarised."""
    settings, model = engine_config(north.organisation)
    series = [
        RaterSeries([12.0, 15.0, 19.0, 22.0], "adult", ended=None, end_reason="mutual"),
        RaterSeries([20.0, 27.0], "adult", end_reason="goal_reached"),
        RaterSeries([25.0, 18.0], "adult", end_reason="dropout"),
        RaterSeries([33.0, 35.0], "adult", end_reason="mutual"),
        RaterSeries([18.0], "adult", end_reason="mutual"),
    ]
    expected = summarize(series, settings=settings, model=model).to_dict()
    data, text = _report(carol, north)

    for key in (
        "included",
        "mean_intake",
        "mean_last",
        "effect_size",
        "saes",
        "pct_reliable_improvement",
        "pct_clinically_significant",
        "pct_reliable_deterioration",
        "pct_reached_target",
        "dropout_pct",
    ):
        assert data.summary[key] == pytest.approx(expected[key]), key
    assert f"{expected['mean_intake']:.1f}" in text
    assert f"{expected['effect_size']:.2f}" in text
    assert f"{expected['saes']:.2f}" in text
    squashed = text.replace(" ", "")  # pdftotext loses some spaces
    assert "67%" in squashed and "2/3" in squashed  # reliable improvement
    assert "33%" in squashed and "1/3" in squashed  # significant change, deterioration


def test_its_figures_equal_the_dashboards(carol, north, north_clients):
    """The statistics page computes over the same episodes; the report shows the same figures."""
    settings, model = engine_config(north.organisation)
    episodes = Episode.objects.visible_to(carol).filter(client__team=north)
    dashboard = stats.team_statistics(episodes, START, END, settings, model)
    per_helper = stats.helper_statistics(episodes, START, END, settings, model)
    data, text = _report(carol, north)

    assert data.figures == dashboard
    assert sorted(row.figures["closed"] for row in data.helpers) == sorted(
        f["closed"] for f in per_helper.values()
    )
    s = dashboard["summary"]
    assert f"{s['mean_last']:.1f}" in text
    assert f"{s['saes']:.2f}" in text


def test_it_shows_the_figures_per_helper_by_name(carol, north, north_clients):
    data, text = _report(carol, north)

    assert [row.name for row in data.helpers] == ["Alice", "Bob"]
    alice, bob = (row.figures for row in data.helpers)
    assert (alice["closed"], alice["included"], alice["active"]) == (3, 2, 1)
    assert (bob["closed"], bob["included"]) == (2, 1)
    assert "Alice" in text and "Bob" in text


def test_it_can_leave_the_helpers_names_out(carol, north, north_clients):
    data, text = _report(carol, north, hide_helpers=True)

    assert [row.number for row in data.helpers] == [1, 2]
    assert "Helper 1" in text and "Helper 2" in text
    assert "Alice" not in text and "Bob" not in text


def test_it_lists_the_clients_off_track_by_code(carol, north, north_clients):
    data, text = _report(carol, north)

    assert [e.client.case_code for e in data.off_track] == ["N-F"]
    section = text.split("Clients off track or deteriorated")[1]
    assert "N-F" in section and "off track" in section
    for code in ("N-A", "N-B", "N-C", "S-001"):
        assert code not in text


def test_it_draws_the_change_chart_with_searchable_labels(carol, north, north_clients):
    _, text = _report(carol, north)

    assert "Change in ORS from first to last meeting" in text
    assert "Reliable change ±6.0" in text


def test_it_renders_in_norwegian_as_a_tagged_pdf(carol, north, north_clients):
    data = team_report_data(north, START, END, episodes=Episode.objects.visible_to(carol))
    pdf = team_report_pdf(data, printed_by="Carol", lang="nb")
    text = pdf_text(pdf)

    assert "Teamrapport: North" in text
    assert "Resultatstatistikk" in text
    assert "67%" in text.replace(" ", "")
    assert "Tagged:" in pdf_info(pdf) and "yes" in pdf_info(pdf).split("Tagged:")[1][:20]


def test_it_reports_an_empty_period(carol, north, north_clients):
    import datetime

    data = team_report_data(
        north,
        datetime.date(2020, 1, 1),
        datetime.date(2020, 12, 31),
        episodes=Episode.objects.visible_to(carol),
    )
    text = pdf_text(team_report_pdf(data, printed_by="Carol", lang="en"))

    assert data.figures["closed"] == 0
    assert "No client in the period has two ratings or more yet." in text


def test_it_counts_only_what_the_reader_may_see(org, north, alice, bob, dave, north_clients):
    # dave (South) sees none of North's clients: the report over his view of North is empty.
    data = team_report_data(north, START, END, episodes=Episode.objects.visible_to(dave))
    assert data.figures["closed"] == 0
    assert data.off_track == []


def test_the_client_stands_for_the_episode_before_a_parent(org, north, alice, carol):
    from clients.models import Rater
    from sessions.outcome import refresh_episode

    client = closed(org, north, alice, "N-P", [20.0, 27.0])
    episode = client.episodes.get()
    mother = Rater.objects.create(episode=episode, relation=Rater.Relation.MOTHER)
    add_meetings(episode, ors=[10.0, 10.0], rater=mother, refresh=False)
    refresh_episode(episode)
    data = team_report_data(north, START, END, episodes=Episode.objects.visible_to(carol))

    assert data.changes == [7.0]
