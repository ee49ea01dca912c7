"""The one read model of an episode's outcome: the screen and the PDF draw the same points, the
expected line follows KOR-REFERENCE.md's worked examples, and reading it costs a fixed number
of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Rater
from sessions.chart import outcome_panel
from sessions.models import FormResponse, Meeting
from sessions.outcome import episode_outcome, refresh_episode
from sessions.reports.charts import chart_series
from sessions.reports.data import client_report_data
from tests.conftest import add_meetings, make_client

pytestmark = pytest.mark.django_db


def rate(episode, rater, instrument, totals, status="completed", reason=""):
    """The rater's forms in meetings 1, 2, ... (None: declined with `reason`)."""
    meetings = Meeting.objects.filter(episode=episode).order_by("number")
    for meeting, total in zip(meetings, totals, strict=False):
        if total is None:
            FormResponse.objects.create(
                meeting=meeting, rater=rater, instrument=instrument, status=status,
                declined_reason=reason,
            )  # fmt: skip
            continue
        tenths = round(total * 10)
        items = [tenths // 4] * 3 + [tenths - 3 * (tenths // 4)]
        FormResponse.objects.create(
            meeting=meeting,
            rater=rater,
            instrument=instrument,
            **{f"item{k}": value for k, value in enumerate(items, 1)},
            total=tenths,
        )


@pytest.fixture
def family(org, north, alice):
    """A child rated by themself, the mother and the father, over four meetings, with a
    declined form and a form not offered."""
    client = make_client(org, north, alice, "F-010", birth_year=2016, age_group="child")
    episode = client.episodes.get()
    mother = Rater.objects.create(episode=episode, relation=Rater.Relation.MOTHER, label="Mum")
    father = Rater.objects.create(episode=episode, relation=Rater.Relation.FATHER, label="Dad")
    add_meetings(episode, ors=[18.0, None, 22.5, 24.0], srs=[35.0, 36.0, 37.5, 38.0])
    rate(episode, mother, "CORS", [15.0, 16.2, 14.0, 17.5])
    rate(episode, mother, "SRS", [30.0, 32.5, None, 33.0], status="not_offered")
    rate(episode, father, "CORS", [20.0, None, 23.2], status="declined", reason="travelling")
    refresh_episode(episode)
    return client


def screen_lines(figure) -> dict[tuple[int, str], tuple[list, list]]:
    return {
        (t["meta"]["rater"], t["meta"]["kind"]): (t["x"], t["y"])
        for t in figure["data"]
        if "meta" in t
    }


def test_the_screen_and_the_pdf_draw_the_same_series_expected_lines_and_targets(family):
    episode = family.episodes.get()
    screen = screen_lines(outcome_panel(episode_outcome(episode)).figure)
    data = client_report_data(family)
    pdf = {
        (data.raters[line.rater].rater.pk, line.kind): (line.x, line.y)
        for line in chart_series(data)
    }

    drawn = {key: value for key, value in screen.items() if key[1] in pdf_kinds}
    assert drawn == {key: value for key, value in pdf.items() if key[1] in pdf_kinds}
    # The off-track band: the PDF's threshold is the lower edge of the screen's band.
    assert any(kind == "threshold" for _, kind in pdf)
    for (rater_id, kind), (x, y) in pdf.items():
        if kind == "threshold":
            band_x, band_y = screen[(rater_id, "band")]
            assert (band_x[: len(x)], band_y[: len(y)]) == (x, y)
    child, mother, father = episode.raters.order_by("pk")
    # The declined form does not advance the child's expected line: 3 ratings at meetings 1, 3,
    # 4, then ahead after the last meeting until 6 ratings.
    assert pdf[(child.pk, "expected")][0] == [1, 3, 4, 5, 6, 7]
    assert pdf[(father.pk, "outcome")] == ([1, 3], [20.0, 23.2])
    for k, rater in enumerate((child, mother, father)):
        target = data.raters[k].target
        assert target is not None
        assert screen[(rater.pk, "target")][1] == [target, target]
    # Forms not filled are marked on the screen, not drawn as scores.
    assert screen[(child.pk, "not_rated")][0] == [2]
    assert screen[(mother.pk, "not_rated")][0] == [3]
    assert screen[(father.pk, "not_rated")][0] == [2]


pdf_kinds = ("outcome", "alliance", "expected")


def test_the_statuses_on_screen_in_the_pdf_and_on_the_dashboard_agree(family):
    episode = family.episodes.get()
    outcome = episode_outcome(episode)
    data = client_report_data(family)
    assert [r.status for r in outcome.raters] == [r.status for r in data.raters]
    assert [r.status for r in outcome.raters] == list(
        episode.raters.order_by("pk").values_list("status", flat=True)
    )
    assert outcome.status == data.status == episode.status


def test_the_expected_line_follows_the_worked_example_from_intake_20(client_n1):
    # KOR-REFERENCE.md, adult short: intake 20 -> 20.0, 23.1, 25.1, 26.4, 27.2, 27.6.
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[20.0])
    [rater] = episode_outcome(episode).raters
    assert [p.meeting for p in rater.expected] == [1, 2, 3, 4, 5, 6]
    expected = [20.0, 23.1, 25.1, 26.4, 27.2, 27.6]
    assert [p.value for p in rater.expected] == pytest.approx(expected, abs=0.05)


def test_a_declined_form_does_not_advance_the_expected_line(client_n1):
    # Intake 8 -> 8.0, 14.3, 18.1, 20.5, 21.7, 22.2; the second meeting's form was declined, so
    # the second rating (meeting 3) is expected at 14.3, and the line runs on after meeting 3.
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[8.0, None, 12.0])
    [rater] = episode_outcome(episode).raters
    assert [p.meeting for p in rater.expected] == [1, 3, 4, 5, 6, 7]
    expected = [8.0, 14.3, 18.1, 20.5, 21.7, 22.2]
    assert [p.value for p in rater.expected] == pytest.approx(expected, abs=0.05)
    assert rater.target == pytest.approx(22.2, abs=0.05)
    # The line at the latest rating is what the status was measured against.
    assert rater.expected[1].value == pytest.approx(rater.assessment.expected, abs=0.01)


def test_the_expected_line_runs_three_meetings_past_the_last_one(client_n1):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[20.0, 22.0, 23.0, 25.0, 26.0, 26.5, 27.0, 28.0])
    [rater] = episode_outcome(episode).raters
    assert [p.meeting for p in rater.expected] == list(range(1, 12))
    # The sixth rating is expected at the Target (27.6 for an intake of 20).
    assert rater.expected[5].value == pytest.approx(27.6, abs=0.05) == rater.target


def test_no_expected_line_for_a_high_intake_or_a_young_child(client_n1, org, north, alice):
    episode = client_n1.episodes.get()
    add_meetings(episode, ors=[33.0, 34.0])
    [rater] = episode_outcome(episode).raters
    assert rater.status == "high_intake" and rater.expected == [] and rater.target is None

    young = make_client(org, north, alice, "Y-001", birth_year=2023, age_group="young_child")
    young_episode = young.episodes.get()
    Meeting.objects.create(
        episode=young_episode, number=1, date=datetime.date(2026, 2, 1), helper=alice
    )
    FormResponse.objects.create(
        meeting=young_episode.meetings.get(),
        rater=young_episode.raters.get(),
        instrument="YCORS",
        item1=30,
        total=30,
    )
    [child] = episode_outcome(young_episode).raters
    assert child.status == "none" and child.expected == [] and child.ors[0].value == 3.0


def _episode_with(client, meetings: int, parents: int):
    episode = client.episodes.get()
    for k in range(parents):
        Rater.objects.create(episode=episode, relation=Rater.Relation.PARENT, label=f"P{k}")
    add_meetings(episode, ors=[15.0 + k for k in range(meetings)], srs=[36.0] * meetings)
    for rater in episode.raters.exclude(relation=Rater.Relation.CLIENT):
        rate(episode, rater, "ORS", [14.0 + k for k in range(meetings)])
    return episode


def test_reading_the_outcome_takes_the_same_queries_for_any_size(org, north, alice):
    small = _episode_with(make_client(org, north, alice, "Q-1"), meetings=2, parents=0)
    large = _episode_with(make_client(org, north, alice, "Q-2"), meetings=14, parents=3)
    counts = []
    for episode in (small, large):
        with CaptureQueriesContext(connection) as queries:
            episode_outcome(episode)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 2  # raters; meetings with their forms


def test_a_save_takes_the_same_queries_for_any_size(login, org, north, alice):
    browser = login(alice)
    # The first request after login notes in the session that no second step is needed: a
    # one-off write that every later request is spared.
    browser.get(reverse("caseload"))
    counts = []
    for code, meetings, parents in (("Q-3", 2, 0), ("Q-4", 14, 3)):
        episode = _episode_with(make_client(org, north, alice, code), meetings, parents)
        meeting = episode.meetings.order_by("-number").first()
        rater = episode.raters.get(relation=Rater.Relation.CLIENT)
        prefix = f"r{rater.pk}-ORS-"
        data = {prefix + "status": "completed"} | {f"{prefix}item{i}": "5.5" for i in range(1, 5)}
        url = reverse("save_form", args=[meeting.pk, rater.pk, "ORS"])
        with CaptureQueriesContext(connection) as queries:
            response = browser.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and b"chart-data" in response.content
        counts.append(len(queries))
    # The whole request, middleware included; the save itself reads the episode's outcome
    # once, in two queries, for the status and the chart (its raters are the ones the view
    # looked the form's rater up among).
    assert counts[0] == counts[1] <= 12, counts


def test_refreshing_again_changes_nothing_and_rewrites_no_rater(family):
    episode = family.episodes.get()
    fields = ("status", "flags", "assessment", "latest_ors", "meeting_count", "status_changed_at")
    before = episode.__class__.objects.values(*fields).get(pk=episode.pk)
    with CaptureQueriesContext(connection) as queries:
        outcome = refresh_episode(episode)
    assert not [q for q in queries.captured_queries if 'UPDATE "clients_rater"' in q["sql"]]
    assert episode.__class__.objects.values(*fields).get(pk=episode.pk) == before
    assert before["meeting_count"] == len(outcome.meetings) == 4
